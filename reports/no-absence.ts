// 无缺位 report (R17): interruptions per counter and per staff member, by year (to date) and month.

import type { AlertType } from '../core/protocol/payloads.ts';
import { type AttributedInterruption, noAbsenceRows } from '../core/stats/index.ts';
import { responsibleFor } from '../core/stats/staff.ts';
import { alertsOf, lastStaffedBefore } from './queries.ts';
import { checkQuery } from './range.ts';
import type { NoAbsenceQuery, NoAbsenceReport } from './types.ts';
import type { ReportDeps } from './uptime.ts';

export async function noAbsenceReport(d: ReportDeps, q: NoAbsenceQuery): Promise<NoAbsenceReport> {
  const { hall, counters } = checkQuery(d.config, q);
  // Sanctions accrue over the calendar year: read from 1 January of the range's first year.
  const yearStart = d.calendar.startOfDay(`${d.calendar.localDate(q.from).slice(0, 4)}-01-01`);
  const alerts = (
    await alertsOf(d.db, {
      hall: q.hall,
      from: yearStart,
      to: q.to,
      types: ['unattended', 'staffing_gap', 'service_paused'] as AlertType[],
    })
  )
    .filter((a) => a.reason !== 'retracted' && a.counter && counters.some((c) => c.id === a.counter))
    .sort((a, b) => a.openedAt - b.openedAt);
  const ask = alerts.filter((a) => !a.responsible);
  const before = await lastStaffedBefore(
    d.db,
    q.hall,
    ask.map((a) => ({ counter: a.counter!, at: a.openedAt })),
  );
  const rosterOf = new Map(counters.map((c) => [c.id, c.roster]));
  const interruptions: AttributedInterruption[] = alerts.map((a) => {
    const staff = responsibleFor(
      a,
      a.responsible ? undefined : before[ask.indexOf(a)],
      rosterOf.get(a.counter!),
    );
    return {
      id: a.id,
      type: a.type as AttributedInterruption['type'],
      hall: q.hall,
      counter: a.counter!,
      openedAt: a.openedAt,
      ...(a.resolvedAt !== undefined ? { resolvedAt: a.resolvedAt } : {}),
      ...(staff ? { staff } : {}),
      ...(a.voided ? { voided: true } : {}),
      ...(a.attribution?.length ? { attribution: a.attribution } : {}),
    };
  });
  // R28: every attribution change of the range, with who, when and why.
  const changes = interruptions.flatMap((i) =>
    (i.attribution ?? [])
      .filter((c) => c.at >= q.from && c.at < q.to)
      .map((c) => ({ alertId: i.id, counter: i.counter, openedAt: i.openedAt, ...c })),
  );
  const rostered = counters.flatMap((c) =>
    !c.roster ? [] : 'a' in c.roster ? [c.roster.a, ...(c.roster.b ? [c.roster.b] : [])] : c.roster.staff,
  );
  const rows = noAbsenceRows({
    hall: q.hall,
    interruptions,
    from: q.from,
    to: q.to,
    localDateOf: d.calendar.localDate,
    counters: counters.map((c) => c.id),
    staff: [...new Set(rostered)],
  }).map((r) => ({
    ...r,
    ...(r.counter ? { counterName: hall.counters.find((c) => c.id === r.counter)?.name } : {}),
    ...(r.staff ? { staffName: d.config.staff.find((s) => s.id === r.staff)?.name } : {}),
  }));
  return { hall: q.hall, from: q.from, to: q.to, rows, changes };
}
