// GET /api/stats/uptime: per counter (or hall, or staff member) and period. The cheap path asks
// InfluxDB for seconds per counter, state and local day plus the non-staffed intervals only
// (absences and openings need their times); staffed time is the complement inside the sessions.
// Counter-days whose sums do not cover the schedule exactly are read in full. Scheduled time is
// the calendar's minus approved closures (R24), as the engine saw them.
import type { ServiceCalendar, ServiceSession } from '../core/calendar/types.ts';
import { nextDate } from '../core/calendar/zone.ts';
import { type Config, rulesFor } from '../core/config/index.ts';
import type { AlertType } from '../core/protocol/payloads.ts';
import {
  counterDayFacts,
  type DayFacts,
  groupFacts,
  type StatsAlert,
  type StatsInterval,
  sumFacts,
  uptimeStats,
  ZERO_FACTS,
} from '../core/stats/index.ts';
import { closuresOf, servedSessions } from './approvals.ts';
import type { InfluxClient } from './influx.ts';
import {
  absentIntervals,
  alertTimes,
  daySums,
  lateArrivalsOf,
  rawIntervals,
  staffedSums,
  understaffedIntervals,
} from './queries.ts';
import { checkQuery, periodsOf } from './range.ts';
import { staffRows } from './staff.ts';
import { ReportQueryError, type UptimeQuery, type UptimeReport, type UptimeRow } from './types.ts';

export interface ReportDeps {
  db: InfluxClient;
  config: Config;
  calendar: ServiceCalendar;
}

/** Day facts of every counter of the query (the shared first half of uptime and the exports). */
export async function counterFacts(
  d: ReportDeps,
  q: { hall: string; counter?: string; from: number; to: number },
): Promise<{ facts: DayFacts[]; warnings: string[]; alerts: StatsAlert[] }> {
  const { counters } = checkQuery(d.config, q);
  const { calendar } = d;
  const [totals, nonStaffed, alerts, understaffed, lateArrivals, closures] = await Promise.all([
    staffedSums(d.db, q),
    absentIntervals(d.db, q),
    alertTimes(d.db, {
      ...q,
      types: ['unattended', 'staffing_gap', 'service_paused', 'not_ready'] as AlertType[],
    }),
    understaffedIntervals(d.db, q),
    lateArrivalsOf(d.db, q),
    closuresOf(d, q.hall, q.to),
  ]);

  const sessionsOf = new Map<string, ServiceSession[]>();
  const scheduled = new Map<string, number>(); // counter/date → scheduled ms (R24: closures removed)
  const scheduledTotal = new Map<string, number>();
  for (const c of counters) {
    const sessions = servedSessions(d, closures, q, c.id);
    sessionsOf.set(c.id, sessions);
    for (const s of sessions) {
      const key = `${c.id}/${s.localDate}`;
      const len = Math.max(0, Math.min(s.end, q.to) - Math.max(s.start, q.from));
      scheduled.set(key, (scheduled.get(key) ?? 0) + len);
      scheduledTotal.set(c.id, (scheduledTotal.get(c.id) ?? 0) + len);
    }
  }
  // Recorded total = staffed sum + the non-staffed intervals read. Counters whose total equals the
  // schedule are complete on every day (the usual case); the others are checked day by day.
  for (const iv of nonStaffed) totals.set(iv.counter, (totals.get(iv.counter) ?? 0) + iv.end - iv.start);
  const mismatched = counters
    .map((c) => c.id)
    .filter((id) => Math.abs((totals.get(id) ?? 0) - (scheduledTotal.get(id) ?? 0)) > 1);
  const recordedMs = new Map<string, number>(); // counter/date → Σ ms of every state
  for (const s of await daySums(d.db, { ...q, counters: mismatched, timezone: calendar.timezone })) {
    const key = `${s.counter}/${calendar.localDate(s.dayStart)}`;
    recordedMs.set(key, (recordedMs.get(key) ?? 0) + s.ms);
  }
  const complete = new Set<string>();
  const partial: { counter: string; from: number; to: number }[] = [];
  for (const [key, sMs] of scheduled) {
    const [counter, date] = key.split('/') as [string, string];
    if (!mismatched.includes(counter)) {
      complete.add(key);
      continue;
    }
    const rec = recordedMs.get(key) ?? 0;
    if (Math.abs(rec - sMs) <= 1) complete.add(key);
    else if (rec > 0) {
      const dayStart = calendar.startOfDay(date);
      partial.push({
        counter,
        from: Math.max(dayStart, q.from),
        to: Math.min(calendar.startOfDay(nextDate(date)), q.to),
      });
    }
  }
  const partialStaffed = partial.length
    ? await rawIntervals(d.db, { hall: q.hall, windows: partial }, { only: 'staffed' })
    : [];

  const byCounter = new Map<string, StatsInterval[]>();
  const push = (iv: StatsInterval) => {
    let list = byCounter.get(iv.counter);
    if (!list) {
      list = [];
      byCounter.set(iv.counter, list);
    }
    list.push(iv);
  };
  for (const iv of nonStaffed) push(iv);
  for (const iv of partialStaffed) push(iv);
  for (const c of counters) {
    const mine = [...(byCounter.get(c.id) ?? [])].sort((a, b) => a.start - b.start);
    let i = 0;
    for (const s of sessionsOf.get(c.id)!) {
      const start = Math.max(s.start, q.from);
      const end = Math.min(s.end, q.to);
      while (i < mine.length && mine[i]!.end <= start) i++;
      if (!complete.has(`${c.id}/${s.localDate}`)) continue;
      let cursor = start;
      for (let j = i; j < mine.length && mine[j]!.start < end; j++) {
        const iv = mine[j]!;
        if (iv.end <= cursor) continue;
        if (iv.start > cursor) push({ counter: c.id, state: 'staffed', start: cursor, end: iv.start });
        cursor = Math.max(cursor, iv.end);
      }
      if (cursor < end) push({ counter: c.id, state: 'staffed', start: cursor, end });
    }
  }

  const facts: DayFacts[] = [];
  const warnings: string[] = [];
  for (const c of counters) {
    const days = counterDayFacts({
      counter: c.id,
      sessions: sessionsOf.get(c.id)!,
      intervals: byCounter.get(c.id) ?? [],
      alerts: alerts.filter((a) => a.counter === c.id),
      lateArrivals: lateArrivals.filter((l) => l.counter === c.id),
      rules: rulesFor(d.config, q.hall, c.id),
      from: q.from,
      to: q.to,
      localDateOf: calendar.localDate,
    });
    // R23: understaffed time is staffed time (read apart: the cheap path does not read staffed intervals).
    for (const iv of understaffed) {
      if (iv.counter !== c.id) continue;
      const f = days.find((x) => x.localDate === calendar.localDate(iv.start));
      if (f) f.understaffedMs += Math.max(0, Math.min(iv.end, q.to) - Math.max(iv.start, q.from));
    }
    for (const f of days) if (f.outsideScheduleMs > 0) warnings.push(staleWarning(c.id, f.localDate));
    facts.push(...days);
  }
  for (const [key, rec] of recordedMs)
    if (rec > 0 && !scheduled.has(key)) {
      const [counter, date] = key.split('/') as [string, string];
      warnings.push(staleWarning(counter, date));
    }
  return { facts, warnings: [...new Set(warnings)].sort(), alerts };
}

const staleWarning = (counter: string, date: string) =>
  `窗口 ${counter} 在 ${date} 有计划服务时间以外的状态记录(日历或规则已变更?请对该日运行 npm run replay)`;

const UNITS = new Set(['day', 'week', 'month', 'year']);
const SCOPES = new Set(['counter', 'hall', 'staff']);

export async function uptimeReport(d: ReportDeps, q: UptimeQuery): Promise<UptimeReport> {
  const scope = q.scope ?? 'counter';
  if (!UNITS.has(q.by))
    throw new ReportQueryError(
      'by',
      'by 只能是 day、week、month 或 year',
      'by must be day, week, month or year',
    );
  if (!SCOPES.has(scope))
    throw new ReportQueryError(
      'scope',
      'scope 只能是 counter、hall 或 staff',
      'scope must be counter, hall or staff',
    );
  const { hall, counters } = checkQuery(d.config, q);
  const base = {
    hall: q.hall,
    ...(q.counter ? { counter: q.counter } : {}),
    from: q.from,
    to: q.to,
    by: q.by,
    scope,
  };
  if (scope === 'staff') return { ...base, rows: await staffRows(d, q), warnings: [] };

  const { facts, warnings } = await counterFacts(d, q);
  const periods = periodsOf(d.calendar, q.from, q.to, q.by);
  const rows: UptimeRow[] = [];
  const subjects = scope === 'hall' ? [null] : counters;
  const grouped = groupFacts(facts, q.by, (f) => (scope === 'hall' ? '' : f.counter));
  for (const c of subjects)
    for (const p of periods) {
      const g = grouped.get(`${c?.id ?? ''}\u0000${p.key}`);
      rows.push({
        scope: scope === 'hall' ? 'hall' : 'counter',
        hall: hall.id,
        ...(c ? { counter: c.id, counterName: c.name } : {}),
        period: p.key,
        periodStart: p.start,
        periodEnd: p.end,
        ...uptimeStats(g?.facts ?? sumFacts([ZERO_FACTS])),
      });
    }
  return { ...base, rows, warnings };
}
