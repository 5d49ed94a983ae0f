// Calendar overrides (R1, R25: dated, range, weekly exception), approved leave and the R2 notice check.
import type { HallConfig, OverrideConfig } from '../config/schema.ts';
import type { ApprovedLeave, DayKind } from './types.ts';
import { addDays, dayNumber, weekdayOf } from './zone.ts';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The kinds of day that stay closed even under a range override listing their weekday (R1, R25). */
const HOLIDAY_KINDS: ReadonlySet<DayKind> = new Set(['statutoryHoliday', 'inLieuDayOff']);

/** A working day: ordinary weekday, 调休上班日, or a weekday of a year without holiday data. */
export function isWorkingDay(kind: DayKind, date: string): boolean {
  if (kind === 'workday' || kind === 'adjustedWorkday') return true;
  return kind === 'uncovered' && weekdayOf(date) !== 0 && weekdayOf(date) !== 6;
}

/** The date lies in the override's date or range (the range's `days` filter not applied). */
function covers(o: OverrideConfig, date: string): boolean {
  if (o.date !== undefined) return o.date === date;
  if (o.from !== undefined) return o.from <= date && date <= o.to!;
  return false;
}

/**
 * R25: a dated override applies to its date; a range to the working days in it unless `days`
 * widens it (`all`: every date; a weekday list: those weekdays, holidays still closed); a weekly
 * exception to every such weekday that is a working day.
 */
function appliesOn(o: OverrideConfig, date: string, kind: DayKind): boolean {
  if (o.every !== undefined) return WEEKDAYS[weekdayOf(date)] === o.every && isWorkingDay(kind, date);
  if (!covers(o, date)) return false;
  if (o.date !== undefined || o.days === 'all') return true;
  if (o.days === undefined) return isWorkingDay(kind, date);
  return o.days.includes(WEEKDAYS[weekdayOf(date)]!) && !HOLIDAY_KINDS.has(kind);
}

/** An override applies to a counter when it names it (or names none); to the hall only when it names none. */
function appliesTo(o: OverrideConfig, counter: string | null): boolean {
  if (!o.counters) return true;
  return counter !== null && o.counters.includes(counter);
}

/** The sessions an override sets (`closed` = none), or undefined for a leave-only override. */
export function overrideSessions(o: OverrideConfig): readonly string[] | undefined {
  return o.closed ? [] : o.sessions;
}

/**
 * The override whose sessions decide the day, if any. The most specific wins: one naming the
 * counter beats one for all counters; then a single date beats a range, a range beats a weekly
 * exception; then the later entry.
 */
export function sessionOverride(
  hall: HallConfig,
  counter: string | null,
  date: string,
  kind: DayKind,
): OverrideConfig | null {
  let best: OverrideConfig | null = null;
  let bestRank = -1;
  for (const o of hall.overrides) {
    if (overrideSessions(o) === undefined || !appliesTo(o, counter) || !appliesOn(o, date, kind)) continue;
    const rank = (o.counters ? 3 : 0) + (o.date !== undefined ? 2 : o.from !== undefined ? 1 : 0);
    if (rank >= bestRank) {
      best = o;
      bestRank = rank;
    }
  }
  return best;
}

/** A hall-wide override that closes the date (a holiday entered by hand for an uncovered year, R26). */
export function closedByOverride(hall: HallConfig, date: string): boolean {
  return hall.overrides.some(
    (o) => !o.counters && overrideSessions(o)?.length === 0 && o.every === undefined && covers(o, date),
  );
}

export function leaveFrom(hall: HallConfig, counter: string, date: string): ApprovedLeave[] {
  const out: ApprovedLeave[] = [];
  for (const o of hall.overrides)
    if (o.leave && covers(o, date) && appliesTo(o, counter))
      out.push(o.leave.cover ? { staff: o.leave.staff, cover: o.leave.cover } : { staff: o.leave.staff });
  return out;
}

/** R2 notice required, in working days. */
export const NOTICE_WORKING_DAYS = 2;

/**
 * Working days of notice an override had: working days d with announcedAt <= d < effective date
 * (announced Thu for a Mon change = Thu + Fri = 2). Capped at what R2 needs, so it stays cheap.
 */
export function noticeWorkingDays(
  announcedAt: string,
  effective: string,
  isWorkingDay: (date: string) => boolean,
): number {
  const span = dayNumber(effective) - dayNumber(announcedAt);
  let count = 0;
  for (let i = 0; i < span && count < NOTICE_WORKING_DAYS; i++)
    if (isWorkingDay(addDays(announcedAt, i))) count++;
  return count;
}

/** The first date an override changes; null for a weekly exception (no single effective date). */
export function effectiveDate(o: OverrideConfig): string | null {
  return o.date ?? o.from ?? null;
}
