// Uptime per staff member (R7): staffed seconds by badge (else roster A / the only rostered staff),
// cover (B role) seconds, and the interruptions (R17 v2, current attribution, R28) and late
// openings the person answers for.
import type { AlertType } from '../core/protocol/payloads.ts';
import { INTERRUPTION_TYPES } from '../core/stats/counter-day.ts';
import { periodKey } from '../core/stats/periods.ts';
import { defaultStaff, responsibleFor, staffOfInterval } from '../core/stats/staff.ts';
import type { StatsInterval } from '../core/stats/types.ts';
import { alertsOf, lastStaffedBefore, lateArrivalsOf, rawIntervals } from './queries.ts';
import { checkQuery, periodsOf } from './range.ts';
import type { StaffUptimeRow, UptimeQuery } from './types.ts';
import type { ReportDeps } from './uptime.ts';

export async function staffRows(d: ReportDeps, q: UptimeQuery): Promise<StaffUptimeRow[]> {
  const { hall, counters } = checkQuery(d.config, q);
  const rosterOf = new Map(counters.map((c) => [c.id, c.roster]));
  const [staffed, alerts, lateArrivals] = await Promise.all([
    rawIntervals(
      d.db,
      { hall: q.hall, counter: q.counter, windows: [{ from: q.from, to: q.to }] },
      { only: 'staffed' },
    ),
    alertsOf(d.db, { ...q, types: [...INTERRUPTION_TYPES, 'late_opening'] as AlertType[] }),
    lateArrivalsOf(d.db, q),
  ]);
  const mine = alerts.filter((a) => a.counter && rosterOf.has(a.counter) && a.reason !== 'retracted');
  // R17 v2 interruptions (service_paused included) on their current attribution; voided ones
  // (R28) count nowhere.
  const interruptions = mine.filter((a) => INTERRUPTION_TYPES.has(a.type) && !a.voided);
  const before = await lastStaffedBefore(
    d.db,
    q.hall,
    interruptions.filter((a) => !a.responsible).map((a) => ({ counter: a.counter!, at: a.openedAt })),
  );

  const periods = periodsOf(d.calendar, q.from, q.to, q.by);
  const rows = new Map<string, StaffUptimeRow>();
  const row = (staff: string, t: number): StaffUptimeRow => {
    const key = periodKey(d.calendar.localDate(t), q.by);
    const id = `${staff}\u0000${key}`;
    let r = rows.get(id);
    if (!r) {
      const p = periods.find((x) => x.key === key) ?? { start: t, end: t };
      const name = d.config.staff.find((s) => s.id === staff)?.name;
      r = {
        scope: 'staff',
        hall: hall.id,
        staff,
        ...(name ? { staffName: name } : {}),
        counters: [],
        period: key,
        periodStart: p.start,
        periodEnd: p.end,
        staffedSeconds: 0,
        coverSeconds: 0,
        interruptionCount: 0,
        lateOpenings: 0,
        lateArrivals: 0,
      };
      rows.set(id, r);
    }
    return r;
  };
  const addCounter = (r: StaffUptimeRow, c: string) => {
    if (!r.counters.includes(c)) r.counters.push(c);
  };

  const ms = new Map<StaffUptimeRow, { all: number; cover: number }>();
  for (const iv of staffed as StatsInterval[]) {
    const staff = staffOfInterval(iv, rosterOf.get(iv.counter));
    if (!staff) continue;
    const r = row(staff, iv.start);
    addCounter(r, iv.counter);
    const acc = ms.get(r) ?? { all: 0, cover: 0 };
    const len = Math.min(iv.end, q.to) - Math.max(iv.start, q.from);
    acc.all += len;
    if (iv.role === 'b') acc.cover += len;
    ms.set(r, acc);
  }
  let k = 0;
  for (const a of interruptions) {
    const staff = responsibleFor(a, a.responsible ? undefined : before[k++], rosterOf.get(a.counter!));
    if (!staff) continue;
    const r = row(staff, a.openedAt);
    addCounter(r, a.counter!);
    r.interruptionCount++;
  }
  for (const a of mine.filter((x) => x.type === 'late_opening')) {
    const staff = a.responsible ?? defaultStaff(rosterOf.get(a.counter!));
    if (!staff) continue;
    const r = row(staff, a.openedAt);
    addCounter(r, a.counter!);
    r.lateOpenings++;
  }
  // R23: the person's own late first badge-ins (迟到), whatever the counter's opening was.
  for (const l of lateArrivals) {
    if (!rosterOf.has(l.counter)) continue;
    const r = row(l.staff, l.at);
    addCounter(r, l.counter);
    r.lateArrivals++;
  }
  for (const [r, acc] of ms) {
    r.staffedSeconds = Math.round(acc.all / 1000);
    r.coverSeconds = Math.round(acc.cover / 1000);
  }
  return [...rows.values()].sort((a, b) =>
    a.staff === b.staff ? (a.period < b.period ? -1 : 1) : a.staff < b.staff ? -1 : 1,
  );
}
