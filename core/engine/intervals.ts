// Closed state intervals for statistics: a counter's open segment is emitted when its state or
// attribution changes and at session end, split at local midnight, so a day's intervals tile
// its scheduled seconds exactly (closed time is never an interval).
import { nextDate } from '../calendar/zone.ts';
import type { CounterData, Ctx, Segment } from './state.ts';
import type { StateInterval } from './types.ts';

export function splitAtMidnight(ctx: Ctx, base: Omit<StateInterval, 'localDate'>): StateInterval[] {
  const cal = ctx.calendar;
  const parts: StateInterval[] = [];
  let start = base.start;
  while (start < base.end) {
    const localDate = cal.localDate(start);
    const nextMidnight = cal.startOfDay(nextDate(localDate));
    const end = Math.min(base.end, nextMidnight);
    parts.push({ ...base, start, end, localDate });
    start = end;
  }
  return parts;
}

/** Emits the open segment as intervals ending at t (nothing when empty) and clears it. */
export function closeSegment(ctx: Ctx, c: CounterData, t: number, earlyLeave = false): void {
  const seg = c.segment;
  c.segment = null;
  if (!seg || t <= seg.start) return;
  const base: Omit<StateInterval, 'localDate'> = {
    hall: c.hall,
    counter: c.counter,
    state: seg.state,
    start: seg.start,
    end: t,
    sessionStart: seg.sessionStart,
    ...(seg.staff ? { staff: seg.staff } : {}),
    ...(seg.role ? { role: seg.role } : {}),
    ...(earlyLeave ? { earlyLeave: true } : {}),
    ...(seg.understaffed ? { understaffed: true } : {}),
  };
  for (const interval of splitAtMidnight(ctx, base)) ctx.out.push({ kind: 'interval', interval });
}

export function openSegment(c: CounterData, seg: Segment): void {
  c.segment = seg;
}
