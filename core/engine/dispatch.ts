// Timer dispatch: the deadline queue drives sessions, windows and every rule's countdown.

import type { ServiceSession } from '../calendar/types.ts';
import { onApprovalTimer } from './apply-approval.ts';
import { onAbsenceDeadline, onLateCheck, onSessionEnd, onSessionStart, onWindowStart } from './counter.ts';
import { onCoverageTimer } from './coverage.ts';
import { maybeOpenOffline, onHeartbeatTimer } from './devices.ts';
import { onEnvTimer, onHallSessionEnd } from './environment.ts';
import { reconcileEquipment } from './equipment.ts';
import { onPausedDeadline } from './paused.ts';
import type { Timer } from './queue.ts';
import { armWindow, crossBoundary, serviceDayAt } from './schedule.ts';
import { onUnderstaffedDeadline } from './staffing.ts';
import type { Ctx, ScheduleData, TimerTokens } from './state.ts';
import { counterKey, ofHall } from './state.ts';

function ownerOf(st: Ctx['scan'], t: Timer): { tm: TimerTokens } | undefined {
  switch (t.kind) {
    case 'boundary':
    case 'window':
    case 'approval':
      return st.schedules[t.key];
    case 'late':
    case 'absence':
    case 'paused':
    case 'understaffed':
      return st.counters[t.key];
    case 'equipment':
      return st.equipment[t.key];
    case 'heartbeat':
      return st.devices[t.key];
    case 'env':
      return st.env[t.key];
    case 'coverage':
      return st.coverage[t.key];
  }
}

const isLive = (st: Ctx['scan']) => (t: Timer) => ownerOf(st, t)?.tm[t.kind] === t.seq;

/**
 * Re-arming leaves the old entry in the heap (lazy cancellation); compacting keeps the heap, and
 * the snapshot, proportional to the live timers.
 */
export function compactTimers(ctx: Ctx, force = false): void {
  const q = ctx.timers;
  if (force || q.size > Math.max(4096, 4 * ctx.liveHint)) {
    q.compact(isLive(ctx.scan)); // reads only: the untracked maps
    ctx.liveHint = q.size;
  }
}

/** Runs one due timer; stale timers (token no longer held by the owner) are skipped. */
function fire(ctx: Ctx, t: Timer): void {
  const { st } = ctx;
  const owner = ownerOf(st, t);
  if (!owner || owner.tm[t.kind] !== t.seq) return;
  delete owner.tm[t.kind];
  const at = t.at;
  switch (t.kind) {
    case 'boundary': {
      const s = st.schedules[t.key]!;
      const { ended, started } = crossBoundary(ctx, s, at);
      applyBoundary(ctx, s, ended, started);
      return;
    }
    case 'window': {
      const s = st.schedules[t.key]!;
      armWindow(ctx, s, at);
      const day = serviceDayAt(ctx, s, at);
      if (s.counter && day)
        onWindowStart(ctx, st.counters[counterKey(s.hall, s.counter)]!, at, day[0]!.start);
      for (const dk of ctx.scheduleDevices.get(t.key) ?? []) {
        const d = st.devices[dk];
        if (d) maybeOpenOffline(ctx, d, at);
      }
      return;
    }
    case 'late':
      onLateCheck(ctx, st.counters[t.key]!, at);
      return;
    case 'paused':
      onPausedDeadline(ctx, st.counters[t.key]!, at);
      return;
    case 'understaffed':
      onUnderstaffedDeadline(ctx, st.counters[t.key]!, at);
      return;
    case 'approval':
      onApprovalTimer(ctx, st.schedules[t.key]!, at);
      return;
    case 'absence':
      onAbsenceDeadline(ctx, st.counters[t.key]!, at);
      return;
    case 'equipment':
      reconcileEquipment(ctx, st.equipment[t.key]!, at);
      return;
    case 'heartbeat':
      onHeartbeatTimer(ctx, st.devices[t.key]!, at);
      return;
    case 'env':
      onEnvTimer(ctx, st.env[t.key]!, at);
      return;
    case 'coverage':
      onCoverageTimer(ctx, st.coverage[t.key]!, at);
      return;
  }
}

/** A schedule's session ended and/or started (a calendar boundary, or a closure set or removed). */
export function applyBoundary(
  ctx: Ctx,
  s: ScheduleData,
  ended: ServiceSession | null,
  started: ServiceSession | null,
): void {
  const { st } = ctx;
  if (s.counter) {
    const key = counterKey(s.hall, s.counter);
    const c = st.counters[key]!;
    if (ended) onSessionEnd(ctx, c, ended.end);
    if (started) {
      onSessionStart(ctx, c, started);
      for (const ek of ctx.counterEquipment.get(key) ?? []) {
        const eq = st.equipment[ek];
        if (eq) reconcileEquipment(ctx, eq, started.start);
      }
    }
  } else {
    if (ended) onHallSessionEnd(ctx, s.hall, ended.end);
    if (started)
      for (const eq of ofHall(ctx, 'equipment', s.hall))
        if (!eq.counter) reconcileEquipment(ctx, eq, started.start);
  }
}

/** Fires every timer due before `to` (or at `to` when inclusive), in (time, priority) order. */
export function advance(ctx: Ctx, to: number, inclusive: boolean): void {
  for (;;) {
    const top = ctx.timers.peek();
    if (!top || top.at > to || (!inclusive && top.at === to)) return;
    ctx.timers.pop();
    if (top.at > ctx.st.now) ctx.st.now = top.at;
    fire(ctx, top);
  }
}
