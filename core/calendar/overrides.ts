// Dated overrides (closures, extended hours, approved leave) and the R2 notice check.
import type { HallConfig, OverrideConfig } from '../config/schema.ts';
import type { ApprovedLeave } from './types.ts';
import { addDays, dayNumber } from './zone.ts';

function covers(o: OverrideConfig, date: string): boolean {
  if (o.date !== undefined) return o.date === date;
  return o.from! <= date && date <= o.to!;
}

/** An override applies to a counter when it names it (or names none); to the hall only when it names none. */
function appliesTo(o: OverrideConfig, counter: string | null): boolean {
  if (!o.counters) return true;
  return counter !== null && o.counters.includes(counter);
}

/**
 * The override whose `sessions` decide the day, if any. The most specific wins: one naming the
 * counter beats one for all counters, a single date beats a range, then the later entry.
 */
export function sessionOverride(
  hall: HallConfig,
  counter: string | null,
  date: string,
): OverrideConfig | null {
  let best: OverrideConfig | null = null;
  let bestRank = -1;
  for (const o of hall.overrides) {
    if (o.sessions === undefined || !covers(o, date) || !appliesTo(o, counter)) continue;
    const rank = (o.counters ? 2 : 0) + (o.date !== undefined ? 1 : 0);
    if (rank >= bestRank) {
      best = o;
      bestRank = rank;
    }
  }
  return best;
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

export function effectiveDate(o: OverrideConfig): string {
  return o.date ?? o.from!;
}
