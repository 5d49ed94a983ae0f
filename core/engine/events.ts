// Device events → facts (approvals: apply-approval.ts). Stale reports (older than what we hold) are ignored per seat, sign,
// equipment and device status; late but newer ones apply at their own ts (R19).
import type { DeviceEvent } from '../protocol/events.ts';
import { lateAwaySign, reconcile } from './counter.ts';
import { applyStatus, deviceKey, ensureDevice, touchDevice } from './devices.ts';
import { addReading } from './environment.ts';
import { applyEquipmentEvent, reconcileEquipment } from './equipment.ts';
import { sensorKey } from './setup.ts';
import { onBadgeIn } from './staffing.ts';
import { type Ctx, counterKey, equipmentKey, localDateOf } from './state.ts';
import { emitView } from './view.ts';
import { noteWaiting } from './waiting.ts';

export function applyEvent(ctx: Ctx, e: DeviceEvent): void {
  const { st } = ctx;
  const touch = (key: string | undefined) => {
    const d = key ? st.devices[ctx.deviceOf.get(key) ?? ''] : undefined;
    if (d) touchDevice(ctx, d, e.ts);
  };
  switch (e.kind) {
    case 'seat': {
      const key = counterKey(e.hall, e.counter);
      const c = st.counters[key];
      const seat = c?.seats[e.seat];
      if (!c || !seat) return;
      touch(key);
      if (e.ts < seat.ts || (e.ts === seat.ts && seat.occupied === e.occupied)) return; // stale or duplicate
      // First data of a counter that had none: like a reconnect, no absence clock runs before now.
      const first = Object.values(c.seats).every((x) => x.occupied === null);
      if (first) c.evalSince = Math.max(c.evalSince, st.now);
      if (seat.occupied !== e.occupied) seat.since = e.ts;
      seat.occupied = e.occupied;
      seat.ts = e.ts;
      reconcile(ctx, c, first ? st.now : e.ts, e.ts);
      return;
    }
    case 'sign': {
      const key = counterKey(e.hall, e.counter);
      const c = st.counters[key];
      if (!c) return;
      touch(key);
      if (e.ts < c.signTs) return;
      const wasPaused = c.sign === 'paused' && !ctx.rules.get(key)!.pausedMeansAway;
      if (e.sign === 'paused' && c.sign !== 'paused') c.pausedAt = e.ts;
      c.sign = e.sign;
      c.signTs = e.ts;
      // R30: the 去向 note and expected return belong to this sign (a new sign replaces them).
      if (e.note) c.signNote = e.note;
      else delete c.signNote;
      if (e.returnBy !== undefined) c.signReturnBy = e.returnBy;
      else delete c.signReturnBy;
      const paused = c.sign === 'paused' && !ctx.rules.get(key)!.pausedMeansAway;
      // R8: rules resume when the 暂停服务 board comes down; an absence clock starts then.
      if (wasPaused && !paused) c.evalSince = Math.max(e.ts, c.lastChange);
      if (e.ts < ctx.st.now) lateAwaySign(ctx, c, e.ts);
      reconcile(ctx, c, e.ts, e.ts);
      if (wasPaused !== paused)
        for (const ek of ctx.counterEquipment.get(key) ?? []) {
          const eq = st.equipment[ek];
          if (eq) reconcileEquipment(ctx, eq, Math.max(e.ts, c.lastChange));
        }
      return;
    }
    case 'badge': {
      const key = counterKey(e.hall, e.counter);
      const c = st.counters[key];
      if (!c) return;
      touch(key);
      c.badges = c.badges.filter(
        (b) => b.staff !== e.staff && localDateOf(ctx, b.ts) === localDateOf(ctx, e.ts),
      );
      if (e.action === 'in') {
        c.badges.push({ staff: e.staff, ts: e.ts });
        onBadgeIn(ctx, c, e.staff, e.ts);
      }
      reconcile(ctx, c, e.ts, e.ts);
      return;
    }
    case 'queue': {
      const c = st.counters[counterKey(e.hall, e.counter)];
      if (!c || e.ts < c.waitingTs) return;
      c.waiting = e.waiting;
      c.waitingTs = e.ts;
      noteWaiting(ctx, c);
      emitView(ctx, c);
      return;
    }
    case 'equipment': {
      const ek = equipmentKey(e.hall, e.counter, e.equipment);
      const eq = st.equipment[ek];
      if (!eq) return;
      if (e.counter) touch(counterKey(e.hall, e.counter));
      touch(ek);
      if (!applyEquipmentEvent(ctx, eq, e) || !e.counter) return;
      const c = st.counters[counterKey(e.hall, e.counter)];
      if (c) reconcile(ctx, c, e.ts, e.ts); // R10: equipment counts for readiness
      return;
    }
    case 'env': {
      // Unknown sensors are rejected upstream (directory); here they are simply not evaluated.
      if (!ctx.halls.get(e.hall)?.sensors.some((x) => x.id === e.sensor)) return;
      touch(sensorKey(e.hall, e.sensor));
      const d = st.devices[ctx.deviceOf.get(sensorKey(e.hall, e.sensor)) ?? ''];
      if (d?.offline) return;
      for (const [metric, v] of Object.entries(e.readings))
        if (typeof v === 'number')
          addReading(ctx, e.hall, e.sensor, metric as keyof typeof e.readings, e.ts, v);
      return;
    }
    case 'device_status': {
      if (!ctx.halls.has(e.hall)) return;
      const d =
        st.devices[deviceKey(e.hall, e.device)] ??
        ensureDevice(
          ctx,
          {
            hall: e.hall,
            device: e.device,
            misses: ctx.rules.get(e.hall)!.heartbeatMisses,
            schedule: e.hall,
          },
          e.ts,
        );
      applyStatus(ctx, d, e.online, e.ts);
      return;
    }
  }
}
