// R24 closures in the schedule: a counter's (or the hall's) sessions are the calendar's minus the
// effective windows of its approved closures. A session cut by a closure ends at the closure's
// start, and the piece after it starts like a session (R9 late opening, R22 not_opened).
import type { ServiceSession } from '../calendar/types.ts';
import { closureWindow, closureWindowsFor, sessionsOutside, type TimeWindow } from './approvals.ts';
import type { ClosureRecord, Ctx } from './state.ts';

const DAY_MS = 86_400_000;

/** Effective closure windows that apply to a counter (its own and the hall's) or to the hall (null). */
export function closureWindows(ctx: Ctx, hall: string, counter: string | null): TimeWindow[] {
  return closureWindowsFor(ctx.closuresByHall.get(hall) ?? [], counter);
}

/** The hall's closures in force at t for this counter (or the hall), for messages and views. */
export function closureAt(ctx: Ctx, hall: string, counter: string | null, t: number): ClosureRecord | null {
  for (const r of ctx.closuresByHall.get(hall) ?? []) {
    if (r.closure.counter !== undefined && r.closure.counter !== counter) continue;
    const w = closureWindow(r.closure, r.enteredAt, r.removedAt);
    if (w && w.start <= t && t < w.end) return r;
  }
  return null;
}

/** Sessions on a local date with closures removed. */
export function sessionsOn(ctx: Ctx, hall: string, counter: string | null, date: string): ServiceSession[] {
  const list = ctx.calendar.sessionsOn(hall, counter, date);
  const windows = closureWindows(ctx, hall, counter);
  return windows.length ? sessionsOutside(list, windows) : [...list];
}

/** The effective session containing t, if any. */
export function sessionAt(ctx: Ctx, hall: string, counter: string | null, t: number): ServiceSession | null {
  const s = ctx.calendar.sessionAt(hall, counter, t);
  if (!s || !ctx.closuresByHall.has(hall)) return s;
  return sessionsOn(ctx, hall, counter, s.localDate).find((p) => p.start <= t && t < p.end) ?? null;
}

/** The first effective session start or end strictly after t (closure edges included; some may be no-ops). */
export function nextBoundary(ctx: Ctx, hall: string, counter: string | null, t: number): number | null {
  let next = ctx.calendar.nextBoundary(hall, counter, t);
  for (const w of closureWindows(ctx, hall, counter))
    for (const edge of [w.start, w.end])
      if (edge > t && (next === null || edge < next) && edge - t < 32 * DAY_MS) next = edge;
  return next;
}
