// R23 staffing by roster: `understaffed` (warning, not an interruption) when fewer than
// min(minStaff, available) are on post for gapGrace in session, and per-person late arrivals
// from badges: a rostered, available person not badged in at T+openingGrace whose first badge-in
// comes later arrives late (迟到, for the staff report).
import { openAlert, resolveAlert, retractOrResolve } from './alerts.ts';
import { availableAt, badgedIn, isKnown, isPaused, requiredAt, staffOnPost } from './facts.ts';
import { counterName, hallName, localClock, understaffedMessage } from './messages.ts';
import { arm, type CounterData, type Ctx, counterKey, disarm, rulesOf } from './state.ts';

export function reconcileStaffing(ctx: Ctx, c: CounterData, t: number, evTs: number): void {
  const session = c.session;
  const known = isKnown(c);
  const paused = isPaused(ctx, c);
  const n = staffOnPost(c);
  // With nobody on post the absence rules (R4–R6, R22) take over; with minStaff 1 (the default)
  // anyone on post is enough, so the roster is not consulted on the hot path.
  const minStaff = ctx.counterCfg.get(counterKey(c.hall, c.counter))?.minStaff ?? 1;
  const required = session && known && !paused && n > 0 && n < minStaff ? requiredAt(ctx, c, t) : 0;
  if (n >= required) {
    const u = c.under;
    if (!u) return;
    c.under = null;
    disarm(c, 'understaffed');
    if (!u.alerted) return;
    if (!session) resolveAlert(ctx, 'understaffed', c.hall, c.counter, t, 'session_end');
    else if (!known) resolveAlert(ctx, 'understaffed', c.hall, c.counter, t, 'unknown');
    else if (paused) resolveAlert(ctx, 'understaffed', c.hall, c.counter, t, 'paused');
    else if (n === 0) resolveAlert(ctx, 'understaffed', c.hall, c.counter, t, 'superseded');
    else retractOrResolve(ctx, 'understaffed', c.hall, c.counter, evTs, 'staff_returned');
    return;
  }
  c.under ??= { since: Math.max(t, session!.start), alerted: false };
  if (c.under.alerted) return;
  const deadline = c.under.since + rulesOf(ctx, c.hall, c.counter).gapGraceMs;
  if (deadline >= session!.end) disarm(c, 'understaffed');
  else if (c.under.deadline !== deadline || c.tm.understaffed === undefined) {
    c.under.deadline = deadline;
    arm(ctx, c, 'understaffed', counterKey(c.hall, c.counter), deadline);
  }
}

export function onUnderstaffedDeadline(ctx: Ctx, c: CounterData, at: number): void {
  const u = c.under;
  if (!u || u.alerted || u.deadline !== at || !c.session) return;
  u.alerted = true;
  const required = requiredAt(ctx, c, at);
  const n = staffOnPost(c);
  const cfg = ctx.counterCfg.get(counterKey(c.hall, c.counter));
  const graceMs = rulesOf(ctx, c.hall, c.counter).gapGraceMs;
  openAlert(ctx, {
    type: 'understaffed',
    severity: 'warning',
    hall: c.hall,
    counter: c.counter,
    subject: c.counter,
    openedAt: at,
    message: understaffedMessage(
      `${hallName(ctx, c.hall)} ${counterName(ctx, c.hall, c.counter)}`,
      localClock(ctx.calendar, u.since, true),
      n,
      required,
      graceMs,
    ),
    details: {
      since: u.since,
      staffOnPost: n,
      required,
      minStaff: cfg?.minStaff ?? 1,
      available: availableAt(ctx, c, at)?.length ?? null,
      limitSeconds: graceMs / 1000,
      sessionStart: c.session.start,
    },
  });
}

/** At T+openingGrace: the available rostered staff not badged in are awaited (R23 late arrival). */
export function expectBadges(ctx: Ctx, c: CounterData, at: number): void {
  const available = availableAt(ctx, c, at);
  if (!c.session || !available) return;
  const inNow = new Set(badgedIn(ctx, c, at));
  c.awaitBadge = available.filter((s) => !inNow.has(s));
}

/** A badge-in (observed at ts) of an awaited person during the session is a personal late arrival. */
export function onBadgeIn(ctx: Ctx, c: CounterData, staff: string, ts: number): void {
  const i = c.awaitBadge.indexOf(staff);
  const session = c.session;
  if (i < 0 || !session) return;
  c.awaitBadge.splice(i, 1);
  const grace = rulesOf(ctx, c.hall, c.counter).openingGraceMs;
  // A late-arriving report of a badge-in before the grace ended is on time.
  if (ts <= session.start + grace || ts >= session.end) return;
  ctx.out.push({
    kind: 'late_arrival',
    arrival: {
      hall: c.hall,
      counter: c.counter,
      staff,
      sessionStart: session.start,
      at: ts,
      lateSeconds: Math.round((ts - session.start) / 1000),
    },
  });
}
