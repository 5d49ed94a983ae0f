// R21 paused limit: the 暂停服务 board up in session (no approved closure: a closed counter has no
// session) for longer than pausedLimit → `service_paused` (warning, an interruption) at
// pausedSince + pausedLimit, where pausedSince is when the board went up or, if it was up
// already, the session start. It resolves `sign_cleared` or at session end; a board left up
// overnight opens a new one in each session.
import { openAlert, resolveAlert, retractOrResolve } from './alerts.ts';
import { isKnown, isPaused, notifyList, presentAt } from './facts.ts';
import { localClock, servicePausedMessage } from './messages.ts';
import { counterPresenceText, interruptionDetails, interruptionSuffix } from './presence-alerts.ts';
import { arm, type CounterData, type Ctx, counterKey, disarm, rulesOf } from './state.ts';

export function reconcilePause(ctx: Ctx, c: CounterData, t: number, evTs: number): void {
  const session = c.session;
  const known = isKnown(c);
  if (!session || !known || !isPaused(ctx, c)) {
    const p = c.pause;
    if (!p) return;
    c.pause = null;
    disarm(c, 'paused');
    if (!p.alerted) return;
    if (session && known) retractOrResolve(ctx, 'service_paused', c.hall, c.counter, evTs, 'sign_cleared');
    else resolveAlert(ctx, 'service_paused', c.hall, c.counter, t, session ? 'unknown' : 'session_end');
    return;
  }
  // Paused time before the session (or while the data was unknown) does not count.
  c.pause ??= { since: Math.max(c.pausedAt ?? c.signTs, session.start, c.evalSince), alerted: false };
  if (c.pause.alerted) return;
  const deadline = c.pause.since + rulesOf(ctx, c.hall, c.counter).pausedLimitMs;
  if (deadline >= session.end) disarm(c, 'paused');
  else if (c.pause.deadline !== deadline || c.tm.paused === undefined) {
    c.pause.deadline = deadline;
    arm(ctx, c, 'paused', counterKey(c.hall, c.counter), deadline);
  }
}

export function onPausedDeadline(ctx: Ctx, c: CounterData, at: number): void {
  const p = c.pause;
  if (!p || p.alerted || p.deadline !== at || !c.session) return;
  p.alerted = true;
  const limitMs = rulesOf(ctx, c.hall, c.counter).pausedLimitMs;
  const who = presentAt(ctx, c, p.since);
  const text = counterPresenceText(ctx, c, who);
  openAlert(ctx, {
    type: 'service_paused',
    severity: 'warning',
    hall: c.hall,
    counter: c.counter,
    subject: c.counter,
    openedAt: at,
    message:
      servicePausedMessage(text, localClock(ctx.calendar, p.since, true), limitMs) +
      interruptionSuffix(ctx, c),
    details: {
      pausedSince: p.since,
      limitSeconds: limitMs / 1000,
      sessionStart: c.session.start,
      ...interruptionDetails(c, who),
    },
    ...(who.staff ? { responsible: { staff: who.staff, role: who.role ?? 'staff' } } : {}),
    notify: notifyList(ctx, c, at),
  });
}
