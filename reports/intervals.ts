// Closed state intervals of a counter (or all) overlapping [from, to), for the API's day view.
import type { StateInterval } from '../core/engine/types.ts';
import { rawIntervals } from './queries.ts';
import { checkQuery } from './range.ts';
import type { IntervalsQuery } from './types.ts';
import type { ReportDeps } from './uptime.ts';

/** Intervals never cross a local midnight, so starting a day early finds every overlapping one. */
const DAY_MS = 86_400_000;

export async function intervalsOf(d: ReportDeps, q: IntervalsQuery): Promise<StateInterval[]> {
  checkQuery(d.config, q);
  const list = await rawIntervals(d.db, {
    hall: q.hall,
    counter: q.counter,
    windows: [{ from: q.from - DAY_MS, to: q.to }],
  });
  return list
    .filter((iv) => iv.end > q.from && iv.start < q.to)
    .sort((a, b) => a.start - b.start || (a.counter < b.counter ? -1 : 1))
    .map((iv) => ({
      hall: q.hall,
      counter: iv.counter,
      state: iv.state,
      start: iv.start,
      end: iv.end,
      localDate: d.calendar.localDate(iv.start),
      sessionStart: d.calendar.sessionAt(q.hall, iv.counter, iv.start)?.start ?? iv.start,
      ...(iv.staff ? { staff: iv.staff } : {}),
      ...(iv.role ? { role: iv.role } : {}),
      ...(iv.earlyLeave ? { earlyLeave: true } : {}),
    }));
}
