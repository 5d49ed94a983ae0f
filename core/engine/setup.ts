// Engine setup: the context (config indexes, limits per counter) and the state the configuration
// implies (schedules, counters, equipment, devices), created for whatever the state lacks.
import type { ServiceCalendar } from '../calendar/types.ts';
import { type Config, rulesFor } from '../config/index.ts';
import { armApproval } from './apply-approval.ts';
import { createCounter, joinSession } from './counter.ts';
import { deviceKey, ensureDevice } from './devices.ts';
import { createEquipment } from './equipment.ts';
import { TimerQueue } from './queue.ts';
import { createSchedule, serviceDayAt } from './schedule.ts';
import { type Ctx, counterKey, type EngineState, equipmentKey } from './state.ts';

export const sensorKey = (hall: string, sensor: string) => `${hall}/sensor/${sensor}`;

export function buildCtx(config: Config, calendar: ServiceCalendar, st: EngineState): Ctx {
  const ctx: Ctx = {
    config,
    calendar,
    st,
    timers: new TimerQueue(st.timers),
    out: [],
    halls: new Map(config.halls.map((h) => [h.id, h])),
    counterCfg: new Map(),
    rules: new Map(),
    staffNames: new Map(config.staff.map((s) => [s.id, s.name])),
    counterEquipment: new Map(),
    scheduleDevices: new Map(),
    deviceOf: new Map(),
    scan: st,
    liveHint: 0,
    lastViews: new Map(),
    day: { start: 0, end: 0, date: '' },
    leave: new Map(),
    leaveByStaff: new Map(),
    closuresByHall: new Map(),
  };
  for (const h of config.halls) {
    ctx.rules.set(h.id, rulesFor(config, h.id));
    for (const c of h.counters) {
      const key = counterKey(h.id, c.id);
      ctx.counterCfg.set(key, c);
      ctx.rules.set(key, rulesFor(config, h.id, c.id));
      ctx.counterEquipment.set(
        key,
        c.equipment.map((e) => equipmentKey(h.id, c.id, e.id)),
      );
    }
  }
  return ctx;
}

/** Creates whatever the configuration has and the state lacks (fresh start, or config grew). */
export function ensureAll(ctx: Ctx, now: number): void {
  const { st } = ctx;
  for (const h of ctx.config.halls) {
    const misses = (counter?: string) =>
      ctx.rules.get(counter ? counterKey(h.id, counter) : h.id)!.heartbeatMisses;
    if (!st.schedules[h.id]) {
      createSchedule(ctx, h.id, null, now);
      armApproval(ctx, st.schedules[h.id]!, now);
    }
    for (const c of h.counters) {
      const key = counterKey(h.id, c.id);
      if (!st.schedules[key]) createSchedule(ctx, h.id, c.id, now);
      if (!st.counters[key]) {
        const counter = createCounter(ctx, h.id, c, now, st.schedules[key]!.session);
        const day = serviceDayAt(ctx, st.schedules[key]!, now);
        if (day && now < day[0]!.start) counter.readinessUntil = day[0]!.start;
        joinSession(ctx, counter, now);
      }
      for (const e of c.equipment) {
        const ek = equipmentKey(h.id, c.id, e.id);
        if (!st.equipment[ek]) createEquipment(ctx, h.id, c.id, e.id, now);
        if (e.heartbeat) {
          const spec = { hall: h.id, device: `${c.id}-${e.id}`, misses: misses(c.id), schedule: key };
          ensureDevice(ctx, { ...spec, heartbeatMs: e.heartbeat, equipment: [ek] }, now);
          ctx.deviceOf.set(ek, deviceKey(h.id, spec.device));
        }
      }
      const device = c.controller ?? (c.heartbeat ? c.id : undefined);
      if (device) {
        ensureDevice(
          ctx,
          {
            hall: h.id,
            device,
            misses: misses(c.id),
            schedule: key,
            counters: [key],
            ...(c.heartbeat ? { heartbeatMs: c.heartbeat } : {}),
          },
          now,
        );
        ctx.deviceOf.set(key, deviceKey(h.id, device));
      }
    }
    for (const e of h.equipment) {
      const ek = equipmentKey(h.id, undefined, e.id);
      if (!st.equipment[ek]) createEquipment(ctx, h.id, undefined, e.id, now);
      if (e.heartbeat) {
        ensureDevice(
          ctx,
          {
            hall: h.id,
            device: e.id,
            misses: misses(),
            schedule: h.id,
            heartbeatMs: e.heartbeat,
            equipment: [ek],
          },
          now,
        );
        ctx.deviceOf.set(ek, deviceKey(h.id, e.id));
      }
    }
    for (const s of h.sensors) {
      if (!s.heartbeat) continue;
      ensureDevice(
        ctx,
        {
          hall: h.id,
          device: s.id,
          misses: misses(),
          schedule: h.id,
          heartbeatMs: s.heartbeat,
          sensor: s.id,
        },
        now,
      );
      ctx.deviceOf.set(sensorKey(h.id, s.id), deviceKey(h.id, s.id));
    }
    for (const d of h.devices)
      ensureDevice(
        ctx,
        {
          hall: h.id,
          device: d.id,
          misses: misses(),
          schedule: h.id,
          ...(d.heartbeat ? { heartbeatMs: d.heartbeat } : {}),
        },
        now,
      );
  }
  // Devices met only at run time (a status from an MQTT user's device) come back from a snapshot.
  for (const [key, d] of Object.entries(st.devices)) {
    const list = ctx.scheduleDevices.get(d.schedule) ?? [];
    if (!list.includes(key)) ctx.scheduleDevices.set(d.schedule, [...list, key]);
  }
}
