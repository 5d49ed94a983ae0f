// Session tracking per schedule (a counter's own sessions, or the hall's for hall equipment,
// environment and hall devices): which session is running, the next boundary, and the
// service-day window [first start − readinessLead, last end) of R10/R12. Each schedule keeps
// exactly two timers armed (next boundary, next window start), so nothing is polled. Sessions are
// the calendar's minus approved closures (closures.ts, R24).
import type { ServiceSession } from '../calendar/types.ts';
import { nextDate } from '../calendar/zone.ts';
import { nextBoundary, sessionAt, sessionsOn } from './closures.ts';
import { arm, type Ctx, rulesOf, type ScheduleData, scheduleKey } from './state.ts';

const DAY_MS = 86_400_000;
/** When the calendar has no boundary in its horizon, look again this much later. */
const RECHECK_MS = 7 * DAY_MS;

export function leadOf(ctx: Ctx, s: ScheduleData): number {
  return rulesOf(ctx, s.hall, s.counter).readinessLeadMs;
}

export function createSchedule(ctx: Ctx, hall: string, counter: string | null, now: number): ScheduleData {
  const s: ScheduleData = { hall, counter, session: sessionAt(ctx, hall, counter, now), tm: {} };
  ctx.st.schedules[scheduleKey(hall, counter)] = s;
  armBoundary(ctx, s, now);
  armWindow(ctx, s, now);
  return s;
}

export function armBoundary(ctx: Ctx, s: ScheduleData, after: number): void {
  const next = nextBoundary(ctx, s.hall, s.counter, after);
  arm(ctx, s, 'boundary', scheduleKey(s.hall, s.counter), next ?? after + RECHECK_MS);
}

/** The sessions of the service day whose window contains t (checks t's date and the next). */
export function serviceDayAt(ctx: Ctx, s: ScheduleData, t: number): ServiceSession[] | null {
  const lead = leadOf(ctx, s);
  const today = ctx.calendar.localDate(t);
  for (const date of [today, nextDate(today)]) {
    const list = sessionsOn(ctx, s.hall, s.counter, date);
    if (list.length && t >= list[0]!.start - lead && t < list[list.length - 1]!.end) return list;
  }
  return null;
}

/** R12: device_offline may open only inside the service day's window. */
export function inServiceDay(ctx: Ctx, s: ScheduleData, t: number): boolean {
  return serviceDayAt(ctx, s, t) !== null;
}

/** Next window start (first session start − readinessLead) strictly after t. */
export function nextWindowStart(ctx: Ctx, s: ScheduleData, t: number): number | null {
  const lead = leadOf(ctx, s);
  let date = ctx.calendar.localDate(t);
  for (let i = 0; i < 32; i++, date = nextDate(date)) {
    const list = sessionsOn(ctx, s.hall, s.counter, date);
    if (list.length && list[0]!.start - lead > t) return list[0]!.start - lead;
  }
  return null;
}

export function armWindow(ctx: Ctx, s: ScheduleData, after: number): void {
  const next = nextWindowStart(ctx, s, after);
  arm(ctx, s, 'window', scheduleKey(s.hall, s.counter), next ?? after + RECHECK_MS);
}

/**
 * Applies the boundary at `at`: the session that ended (end ≤ at) and the one that started.
 * Back-to-back sessions (12:00 end, 12:00 start) give both at once, end first.
 */
export function crossBoundary(
  ctx: Ctx,
  s: ScheduleData,
  at: number,
): { ended: ServiceSession | null; started: ServiceSession | null } {
  let ended: ServiceSession | null = null;
  if (s.session && s.session.end <= at) {
    ended = s.session;
    s.session = null;
  }
  let started: ServiceSession | null = null;
  if (!s.session) {
    const now = sessionAt(ctx, s.hall, s.counter, at);
    if (now) {
      s.session = now;
      started = now;
    }
  }
  armBoundary(ctx, s, at);
  return { ended, started };
}

/**
 * R24: a closure set or removed at `at` may end the running session now, move its end, or start
 * a session now (the piece after a removed closure starts like a session).
 */
export function reschedule(
  ctx: Ctx,
  s: ScheduleData,
  at: number,
): { ended: ServiceSession | null; started: ServiceSession | null; moved: boolean } {
  const eff = sessionAt(ctx, s.hall, s.counter, at);
  const cur = s.session;
  let ended: ServiceSession | null = null;
  let started: ServiceSession | null = null;
  let moved = false;
  if (cur && eff && eff.start === cur.start) {
    moved = eff.end !== cur.end;
    // Calendar sessions are shared and frozen: replace, never mutate.
    if (moved) s.session = { ...cur, end: eff.end };
  } else {
    if (cur) {
      ended = { ...cur, end: at };
      s.session = null;
    }
    if (eff) {
      // Never a session start in the past: the engine only decides from `at` on.
      started = { ...eff, start: Math.max(eff.start, at) };
      s.session = started;
    }
  }
  armBoundary(ctx, s, at);
  armWindow(ctx, s, at);
  return { ended, started, moved };
}
