// The counter state machine (R3–R10, R13, R18, R21–R23): facts (seats, sign, badges, online, session)
// change, then `reconcile` derives the absence, the alerts and the state from them. Every path
// goes through reconcile, so the precedence closed > unknown > paused > staffed > away/unattended
// holds whatever order facts arrive in.
import type { ServiceSession } from '../calendar/types.ts';
import type { CounterConfig } from '../config/index.ts';
import type { CounterState } from '../protocol/payloads.ts';
import { openAlert, openAlertOf, resolveAlert, retractOrResolve } from './alerts.ts';
import {
  effectiveSign,
  isKnown,
  isMultiStaffed,
  isPaused,
  notifyList,
  presentAt,
  rosteredAt,
  staffOnPost,
} from './facts.ts';
import { closeSegment } from './intervals.ts';
import { reconcilePause } from './paused.ts';
import { counterPresenceText, openAbsenceAlert } from './presence-alerts.ts';
import { notReadyReasons, openNotReady } from './readiness.ts';
import { expectBadges, reconcileStaffing } from './staffing.ts';
import {
  type Absence,
  type Attribution,
  arm,
  type CounterData,
  type Ctx,
  counterKey,
  disarm,
  rulesOf,
} from './state.ts';
import type { ResolveReason } from './types.ts';
import { emitView } from './view.ts';

export function createCounter(
  ctx: Ctx,
  hall: string,
  cfg: CounterConfig,
  now: number,
  session: ServiceSession | null,
): CounterData {
  const c: CounterData = {
    hall,
    counter: cfg.id,
    seats: Object.fromEntries(cfg.seats.map((s) => [s, { occupied: null, ts: 0, since: 0 }])),
    sign: 'none',
    signTs: 0,
    pause: null,
    under: null,
    awaitBadge: [],
    waiting: 0,
    waitingTs: 0,
    badges: [],
    evalSince: now,
    offline: false,
    session,
    multiStaffed: false,
    absence: null,
    readinessUntil: null,
    notReadyOpen: false,
    lateOpen: false,
    state: session ? 'unknown' : 'closed',
    since: now,
    lastChange: now,
    segment: null,
    tm: {},
  };
  ctx.st.counters[counterKey(hall, cfg.id)] = c;
  if (session) c.segment = { state: 'unknown', start: now, sessionStart: session.start };
  return c;
}

function stateOf(ctx: Ctx, c: CounterData): CounterState {
  if (!c.session) return 'closed';
  if (!isKnown(c)) return 'unknown';
  if (isPaused(ctx, c)) return 'paused';
  if (staffOnPost(c) > 0) return 'staffed';
  const a = c.absence;
  if (a && !a.late && !a.gap && a.awaySeen && !a.alerted) return 'away';
  return 'unattended';
}

function attributionOf(ctx: Ctx, c: CounterData, state: CounterState, t: number): Attribution {
  if (state === 'staffed') return presentAt(ctx, c, t);
  if ((state === 'away' || state === 'unattended') && c.absence) return c.absence.responsible;
  if (state === 'paused') return rosteredAt(ctx, c, t);
  return {};
}

/** What an interval records of an attribution (staff and role; basis lives on alerts). */
function segmentWho(who: Attribution): { staff?: string; role?: 'a' | 'b' | 'staff' } {
  return { ...(who.staff ? { staff: who.staff } : {}), ...(who.role ? { role: who.role } : {}) };
}

/** The time the last seat emptied: the latest value change over seats (all empty when asked). */
function lastEmptiedAt(c: CounterData): number {
  let t = 0;
  for (const s of Object.values(c.seats)) t = Math.max(t, s.since ?? s.ts);
  return t;
}

function startAbsence(ctx: Ctx, c: CounterData, t: number, session: ServiceSession): void {
  // R12/R8/engine start: the absence clock never starts before the data became evaluable again.
  const t0 = Math.min(t, Math.max(lastEmptiedAt(c), c.evalSince));
  // R22: empty at the session start (whenever it emptied) is a not-opened counter: the sign gives
  // no allowance and R6's staffing_gap does not apply; late_opening, then not_opened.
  const late = t0 < session.start || (t0 === session.start && c.evalSince < session.start);
  c.absence = {
    t0,
    late,
    gap: !late && isMultiStaffed(ctx, c, t0),
    awaySeen: false,
    alerted: false,
    responsible: presentAt(ctx, c, late ? session.start : t0),
  };
}

function endAbsence(ctx: Ctx, c: CounterData, t: number, reason: ResolveReason, evTs: number): void {
  const a = c.absence!;
  c.absence = null;
  disarm(c, 'absence');
  const type = a.gap ? 'staffing_gap' : 'unattended';
  if (a.alerted) {
    if (reason === 'staff_returned') retractOrResolve(ctx, type, c.hall, c.counter, evTs, reason);
    else resolveAlert(ctx, type, c.hall, c.counter, t, reason);
  }
  if (c.lateOpen) {
    c.lateOpen = false;
    if (reason === 'staff_returned') {
      const lateSeconds = Math.max(0, Math.round((evTs - (c.session?.start ?? evTs)) / 1000));
      retractOrResolve(ctx, 'late_opening', c.hall, c.counter, evTs, 'arrived', { lateSeconds });
    } else resolveAlert(ctx, 'late_opening', c.hall, c.counter, t, reason);
  }
}

function updateAbsence(ctx: Ctx, c: CounterData, a: Absence, session: ServiceSession): void {
  if (a.alerted) return;
  const r = rulesOf(ctx, c.hall, c.counter);
  if (a.late) {
    // R22: not opened by T + noShowLimit → unattended (not_opened); R13: never at or after the end.
    const deadline = session.start + r.noShowLimitMs;
    if (deadline >= session.end) {
      delete a.deadline;
      disarm(c, 'absence');
    } else if (a.deadline !== deadline || c.tm.absence === undefined) {
      a.deadline = deadline;
      arm(ctx, c, 'absence', counterKey(c.hall, c.counter), deadline);
    }
    return;
  }
  // R4: the away sign at any moment of the absence; R5: after the unsigned alert it has no effect.
  if (!a.gap && effectiveSign(ctx, c) === 'away') a.awaySeen = true;
  const limit = a.gap ? r.gapGraceMs : a.awaySeen ? r.awayLimitMs : r.unsignedGraceMs;
  const deadline = a.t0 + limit;
  // R13: a deadline at or after the session end never fires.
  if (deadline >= session.end) {
    delete a.deadline;
    disarm(c, 'absence');
  } else if (a.deadline !== deadline || c.tm.absence === undefined) {
    a.deadline = deadline;
    arm(ctx, c, 'absence', counterKey(c.hall, c.counter), deadline);
  }
}

function reconcileReadiness(ctx: Ctx, c: CounterData, t: number, evTs: number): void {
  const inWindow = c.readinessUntil !== null && t < c.readinessUntil;
  const known = isKnown(c);
  const paused = isPaused(ctx, c);
  const why = inWindow && known && !paused ? notReadyReasons(ctx, c) : [];
  if (why.length && !c.notReadyOpen) {
    c.notReadyOpen = true;
    openNotReady(ctx, c, t, why);
  } else if (!why.length && c.notReadyOpen) {
    c.notReadyOpen = false;
    const reason: ResolveReason = !inWindow ? 'superseded' : !known ? 'unknown' : paused ? 'paused' : 'ready';
    if (reason === 'ready') retractOrResolve(ctx, 'not_ready', c.hall, c.counter, evTs, reason);
    else resolveAlert(ctx, 'not_ready', c.hall, c.counter, t, reason);
  }
}

/**
 * Derives absence, presence alerts and state at t (≥ the last change) from the counter's facts.
 * `evTs` is the observation time of the event that triggered it (late events: evTs < t).
 */
export function reconcile(ctx: Ctx, c: CounterData, t: number, evTs = t): void {
  t = Math.max(t, c.lastChange);
  const session = c.session;
  const known = isKnown(c);
  const paused = isPaused(ctx, c);
  const n = staffOnPost(c);
  if (session && known && n >= 2) c.multiStaffed = true;

  const wantAbsence = session !== null && known && !paused && n === 0;
  if (c.absence && !wantAbsence) {
    const reason: ResolveReason = !session
      ? 'session_end'
      : !known
        ? 'unknown'
        : paused
          ? 'paused'
          : 'staff_returned';
    endAbsence(ctx, c, t, reason, evTs);
  }
  if (wantAbsence && !c.absence) startAbsence(ctx, c, t, session);
  if (c.absence && session) updateAbsence(ctx, c, c.absence, session);
  if (c.lateOpen && (!session || !known || paused)) {
    c.lateOpen = false;
    resolveAlert(
      ctx,
      'late_opening',
      c.hall,
      c.counter,
      t,
      !session ? 'session_end' : !known ? 'unknown' : 'paused',
    );
  }
  reconcilePause(ctx, c, t, evTs);
  reconcileStaffing(ctx, c, t, evTs);
  reconcileReadiness(ctx, c, t, evTs);
  applyState(ctx, c, t);
}

function applyState(ctx: Ctx, c: CounterData, t: number): void {
  const state = stateOf(ctx, c);
  const who = segmentWho(attributionOf(ctx, c, state, t));
  const understaffed = state === 'staffed' && c.under !== null;
  const seg = c.segment;
  const same =
    seg &&
    seg.state === state &&
    seg.staff === who.staff &&
    seg.role === who.role &&
    !!seg.understaffed === understaffed;
  if (!same && state !== 'closed') {
    closeSegment(ctx, c, t);
    c.segment = {
      state,
      start: t,
      sessionStart: c.session!.start,
      ...who,
      ...(understaffed ? { understaffed: true } : {}),
    };
  }
  if (state !== c.state) {
    c.state = state;
    c.since = t;
  }
  c.lastChange = Math.max(c.lastChange, t);
  emitView(ctx, c);
}

/** R13/R18: close the session's last segment (earlyLeave marking), then everything stands down. */
export function onSessionEnd(ctx: Ctx, c: CounterData, end: number): void {
  const a = c.absence;
  const r = rulesOf(ctx, c.hall, c.counter);
  const earlyLeave =
    !!a &&
    !a.late &&
    !a.gap &&
    !a.alerted &&
    a.awaySeen &&
    a.t0 >= end - r.awayLimitMs &&
    c.segment?.state === 'away';
  closeSegment(ctx, c, Math.max(end, c.segment?.start ?? end), earlyLeave);
  c.session = null;
  c.awaitBadge = [];
  disarm(c, 'late');
  reconcile(ctx, c, end);
}

export function onSessionStart(ctx: Ctx, c: CounterData, session: ServiceSession): void {
  if (c.readinessUntil !== null && session.start >= c.readinessUntil) c.readinessUntil = null;
  c.session = session;
  c.multiStaffed = false;
  const r = rulesOf(ctx, c.hall, c.counter);
  arm(ctx, c, 'late', counterKey(c.hall, c.counter), session.start + r.openingGraceMs);
  reconcile(ctx, c, session.start);
}

/**
 * An engine that starts inside a session (no snapshot) did not see its start: the opening check
 * still runs at T + openingGrace when that is ahead, and R23 awaits, from now, whoever is
 * available and not seen badging in. Badge-ins observed before the start that reach it late (the
 * broker's queue for its session) still count as on time (onBadgeIn compares their own time).
 */
export function joinSession(ctx: Ctx, c: CounterData, now: number): void {
  const session = c.session;
  if (!session) return;
  const at = session.start + rulesOf(ctx, c.hall, c.counter).openingGraceMs;
  if (now < at) arm(ctx, c, 'late', counterKey(c.hall, c.counter), at);
  else expectBadges(ctx, c, now);
}

/** R10: the readiness window of the service day's first session opens. */
export function onWindowStart(ctx: Ctx, c: CounterData, at: number, firstStart: number): void {
  c.readinessUntil = firstStart;
  reconcile(ctx, c, at);
}

/** R9: at T + openingGrace nobody has arrived since before T; R23: who has not badged in yet. */
export function onLateCheck(ctx: Ctx, c: CounterData, at: number): void {
  expectBadges(ctx, c, at);
  const a = c.absence;
  if (!a?.late || !c.session || c.lateOpen || !isKnown(c) || isPaused(ctx, c)) return;
  c.lateOpen = true;
  const session = c.session;
  const p = counterPresenceText(ctx, c, rosteredAt(ctx, c, at));
  openAlert(ctx, {
    type: 'late_opening',
    severity: 'warning',
    hall: c.hall,
    counter: c.counter,
    subject: c.counter,
    openedAt: at,
    message: p.lateMessage(session.start),
    details: {
      sessionStart: session.start,
      openingGraceSeconds: (at - session.start) / 1000,
      ...(a.responsible.coverFor ? { coverFor: a.responsible.coverFor } : {}),
    },
    ...(a.responsible.staff
      ? { responsible: { staff: a.responsible.staff, role: a.responsible.role ?? 'staff' } }
      : {}),
    notify: notifyList(ctx, c, at),
  });
}

/**
 * R15 + R5: an away sign that arrives after the unsigned alert but was observed before it proves
 * R5 was the wrong rule: the alert is retracted and the R4 deadline (t0 + awayLimit) applies.
 */
export function lateAwaySign(ctx: Ctx, c: CounterData, ts: number): void {
  const a = c.absence;
  if (!a?.alerted || a.gap || a.late || a.awaySeen || effectiveSign(ctx, c) !== 'away') return;
  const alert = openAlertOf(ctx, 'unattended', c.hall, c.counter);
  if (!alert || ts > alert.openedAt || ts < a.t0) return;
  resolveAlert(ctx, 'unattended', c.hall, c.counter, ctx.st.now, 'retracted');
  a.alerted = false;
  a.awaySeen = true;
  delete a.deadline;
}

/** R4/R5/R6/R22: the absence deadline passed with nobody back. */
export function onAbsenceDeadline(ctx: Ctx, c: CounterData, at: number): void {
  const a = c.absence;
  if (!a || a.alerted || a.deadline !== at || !c.session) return;
  a.alerted = true;
  openAbsenceAlert(ctx, c, a, at);
  reconcile(ctx, c, at);
}
