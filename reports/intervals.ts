// Closed state intervals of a counter (or all) overlapping [from, to), for the API's day view.
// Each carries the start of its session as the engine saw it: approved closures (R24) removed,
// so the piece of a session after a closure starts when the closure ends.
import type { ServiceSession } from '../core/calendar/types.ts';
import type { StateInterval } from '../core/engine/types.ts';
import { closuresOf, servedSessions } from './approvals.ts';
import { rawIntervals } from './queries.ts';
import { checkQuery } from './range.ts';
import type { IntervalsQuery } from './types.ts';
import type { ReportDeps } from './uptime.ts';

/** Intervals never cross a local midnight, so starting a day early finds every overlapping one. */
const DAY_MS = 86_400_000;

export async function intervalsOf(d: ReportDeps, q: IntervalsQuery): Promise<StateInterval[]> {
  checkQuery(d.config, q);
  const window = { hall: q.hall, from: q.from - DAY_MS, to: q.to };
  const [list, closures] = await Promise.all([
    rawIntervals(d.db, { hall: q.hall, counter: q.counter, windows: [window] }),
    closuresOf(d, q.hall, q.to),
  ]);
  const sessionsOf = new Map<string, ServiceSession[]>();
  const sessionStart = (counter: string, t: number): number => {
    let sessions = sessionsOf.get(counter);
    if (!sessions) {
      sessions = servedSessions(d, closures, window, counter);
      sessionsOf.set(counter, sessions);
    }
    return sessions.find((s) => s.start <= t && t < s.end)?.start ?? t;
  };
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
      sessionStart: sessionStart(iv.counter, iv.start),
      ...(iv.staff ? { staff: iv.staff } : {}),
      ...(iv.role ? { role: iv.role } : {}),
      ...(iv.earlyLeave ? { earlyLeave: true } : {}),
    }));
}
