// Timer dispatch: the deadline queue drives sessions, windows and every rule's countdown.

import { onAbsenceDeadline, onLateCheck, onSessionEnd, onSessionStart, onWindowStart } from './counter.ts';
import { maybeOpenOffline, onHeartbeatTimer } from './devices.ts';
import { onEnvTimer, onHallSessionEnd } from './environment.ts';
import { reconcileEquipment } from './equipment.ts';
import type { Timer } from './queue.ts';
import { armWindow, crossBoundary, serviceDayAt } from './schedule.ts';
import type { Ctx } from './state.ts';
import { counterKey } from './state.ts';

/** Runs one due timer; stale timers (token no longer held by the owner) are skipped. */
function fire(ctx: Ctx, t: Timer): void {
  const { st } = ctx;
  const owner =
    t.kind === 'boundary' || t.kind === 'window'
      ? st.schedules[t.key]
      : t.kind === 'late' || t.kind === 'absence'
        ? st.counters[t.key]
        : t.kind === 'equipment'
          ? st.equipment[t.key]
          : t.kind === 'heartbeat'
            ? st.devices[t.key]
            : st.env[t.key];
  if (!owner || owner.tm[t.kind] !== t.seq) return;
  delete owner.tm[t.kind];
  const at = t.at;
  switch (t.kind) {
    case 'boundary': {
      const s = st.schedules[t.key]!;
      const { ended, started } = crossBoundary(ctx, s, at);
      if (s.counter) {
        const c = st.counters[counterKey(s.hall, s.counter)]!;
        if (ended) onSessionEnd(ctx, c, ended.end);
        if (started) {
          onSessionStart(ctx, c, started);
          for (const ek of ctx.counterEquipment.get(t.key) ?? []) {
            const eq = st.equipment[ek];
            if (eq) reconcileEquipment(ctx, eq, started.start);
          }
        }
      } else {
        if (ended) onHallSessionEnd(ctx, s.hall, ended.end);
        if (started)
          for (const eq of Object.values(st.equipment))
            if (eq.hall === s.hall && !eq.counter) reconcileEquipment(ctx, eq, started.start);
      }
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
