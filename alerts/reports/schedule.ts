// When the 日报 and 月报 fall due. Pure: the calendar and the time are inputs, nothing is read or
// sent here. A day without any session of the hall or its counters is a closed day (no 日报); the
// 月报 goes out on the month's first working day of the hall, at the configured local time.

import type { ServiceCalendar } from '../../core/calendar/types.ts';
import { addDays, zoneOf } from '../../core/calendar/zone.ts';
import type { Config, HallConfig } from '../../core/config/schema.ts';
import { periodNextDate } from '../../core/stats/periods.ts';

export interface DueReport {
  kind: 'daily' | 'monthly';
  hall: string;
  /** The day (YYYY-MM-DD) a 日报 covers, or the month (YYYY-MM) a 月报 covers. */
  period: string;
  /** Stable id of this report: the outbox keys and the run record derive from it. */
  key: string;
  dueAt: number;
  /** The range the numbers cover: [local midnight, next local midnight) or the whole month. */
  from: number;
  to: number;
}

/** The last session end of the hall (any counter included) on a local date; null on a closed day. */
export function lastSessionEnd(calendar: ServiceCalendar, hall: HallConfig, date: string): number | null {
  let end: number | null = null;
  for (const counter of [null, ...hall.counters.map((c) => c.id)])
    for (const s of calendar.sessionsOn(hall.id, counter, date)) end = Math.max(end ?? 0, s.end);
  return end;
}

/**
 * The month's first working day of the hall: the first date with hall-wide sessions (a Saturday
 * served by one counter's extra session is not one); null when there is none.
 */
export function firstWorkingDate(calendar: ServiceCalendar, hall: HallConfig, month: string): string | null {
  for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1))
    if (calendar.sessionsOn(hall.id, null, d).length) return d;
  return null;
}

const previousMonth = (month: string): string => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * Every report due at `now` that fell due no earlier than `since` (the schedule's first start:
 * nothing from before HallWatch ran) and no longer ago than `lateWithin`, oldest first. Whether
 * one was already queued is the caller's question (the store's run records).
 */
export function dueReports(
  config: Config,
  calendar: ServiceCalendar,
  now: number,
  since: number,
): DueReport[] {
  const r = config.notifications.reports;
  const zone = zoneOf(config.timezone);
  const earliest = Math.max(since, now - r.lateWithin);
  const out: DueReport[] = [];
  const halls = (list: string[] | undefined) => config.halls.filter((h) => !list || list.includes(h.id));
  // A day's 日报 falls due after that day ends at the latest… plus `after`: scan from the day before.
  const firstDay = addDays(calendar.localDate(earliest), -1);
  const today = calendar.localDate(now);
  if (r.daily.enabled)
    for (const hall of halls(r.daily.halls))
      for (let d = firstDay; d <= today; d = addDays(d, 1)) {
        const end = lastSessionEnd(calendar, hall, d);
        if (end === null) continue;
        const dueAt = end + r.daily.after;
        if (dueAt > now || dueAt < earliest) continue;
        const from = calendar.startOfDay(d);
        out.push({
          kind: 'daily',
          hall: hall.id,
          period: d,
          key: `report:daily:${hall.id}:${d}`,
          dueAt,
          from,
          to: calendar.startOfDay(addDays(d, 1)),
        });
      }
  if (r.monthly.enabled) {
    const [hh, mm] = r.monthly.at.split(':').map(Number) as [number, number];
    const months = new Set([calendar.localDate(earliest).slice(0, 7), today.slice(0, 7)]);
    for (const hall of halls(r.monthly.halls))
      for (const month of [...months].sort()) {
        const day = firstWorkingDate(calendar, hall, month);
        if (day === null) continue;
        const dueAt = zone.wallTime(day, hh * 60 + mm);
        if (dueAt > now || dueAt < earliest) continue;
        const covered = previousMonth(month);
        out.push({
          kind: 'monthly',
          hall: hall.id,
          period: covered,
          key: `report:monthly:${hall.id}:${covered}`,
          dueAt,
          from: calendar.startOfDay(`${covered}-01`),
          to: calendar.startOfDay(periodNextDate(covered)),
        });
      }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || a.key.localeCompare(b.key));
}
