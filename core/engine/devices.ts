// R12 offline ≠ absent: a device is offline on its last will (`offline`) or after silence of
// heartbeatMisses × heartbeat. Its counters become `unknown` (presence rules stand down), its
// equipment reads `unknown`, its sensor stops counting. device_offline opens only inside the
// service day [first start − readinessLead, last end), or at that window's start.
import { openAlert, retractOrResolve } from './alerts.ts';
import { reconcile } from './counter.ts';
import { equipmentLabel, equipmentView } from './equipment.ts';
import { counterName, deviceOfflineMessage, hallName, localClock } from './messages.ts';
import { inServiceDay } from './schedule.ts';
import { arm, type Ctx, type DeviceData, disarm, ofHall } from './state.ts';

export interface DeviceSpec {
  hall: string;
  device: string;
  heartbeatMs?: number;
  misses: number;
  schedule: string;
  counters?: string[];
  equipment?: string[];
  sensor?: string;
}

export const deviceKey = (hall: string, device: string) => `${hall}#${device}`;

export function ensureDevice(ctx: Ctx, spec: DeviceSpec, now: number): DeviceData {
  const key = deviceKey(spec.hall, spec.device);
  let d = ctx.st.devices[key];
  if (!d) {
    d = {
      hall: spec.hall,
      device: spec.device,
      ...(spec.heartbeatMs ? { heartbeatMs: spec.heartbeatMs } : {}),
      misses: spec.misses,
      lastSeen: now,
      statusTs: 0,
      offline: false,
      offlineSince: 0,
      alerted: false,
      schedule: spec.schedule,
      counters: [],
      equipment: [],
      ...(spec.sensor ? { sensor: spec.sensor } : {}),
      tm: {},
    };
    ctx.st.devices[key] = d;
    armHeartbeat(ctx, d);
  }
  for (const c of spec.counters ?? []) if (!d.counters.includes(c)) d.counters.push(c);
  for (const e of spec.equipment ?? []) if (!d.equipment.includes(e)) d.equipment.push(e);
  const list = ctx.scheduleDevices.get(d.schedule) ?? [];
  if (!list.includes(key)) ctx.scheduleDevices.set(d.schedule, [...list, key]);
  return d;
}

function armHeartbeat(ctx: Ctx, d: DeviceData): void {
  if (!d.heartbeatMs || d.offline) return;
  arm(ctx, d, 'heartbeat', deviceKey(d.hall, d.device), d.lastSeen + d.misses * d.heartbeatMs);
}

/** Any message of the device is a sign of life (CONTRACT §2: messages double as heartbeats). */
export function touchDevice(ctx: Ctx, d: DeviceData, ts: number): void {
  if (ts > d.lastSeen) d.lastSeen = ts;
  // A message observed before the silence deadline (arriving late) proves the silence was shorter.
  if (
    d.offline === 'silence' &&
    (ts >= d.offlineSince || ts + d.misses * (d.heartbeatMs ?? 0) > d.offlineSince)
  )
    goOnline(ctx, d, Math.max(ts, d.offlineSince), ts);
  // One pending timer per device: it re-arms itself lazily when it fires early.
  if (d.tm.heartbeat === undefined) armHeartbeat(ctx, d);
}

export function onHeartbeatTimer(ctx: Ctx, d: DeviceData, at: number): void {
  if (!d.heartbeatMs || d.offline) return;
  const deadline = d.lastSeen + d.misses * d.heartbeatMs;
  if (deadline > at) {
    armHeartbeat(ctx, d);
    return;
  }
  goOffline(ctx, d, 'silence', deadline);
}

export function applyStatus(ctx: Ctx, d: DeviceData, online: boolean, ts: number): void {
  if (ts < d.statusTs) return;
  d.statusTs = ts;
  if (online) {
    if (ts > d.lastSeen) d.lastSeen = ts;
    if (d.offline) goOnline(ctx, d, Math.max(ts, d.offlineSince), ts);
    else if (d.tm.heartbeat === undefined) armHeartbeat(ctx, d);
  } else if (!d.offline) goOffline(ctx, d, 'lwt', ts);
}

function goOffline(ctx: Ctx, d: DeviceData, why: 'lwt' | 'silence', t: number): void {
  d.offline = why;
  d.offlineSince = t;
  disarm(d, 'heartbeat');
  for (const key of d.counters) {
    const c = ctx.st.counters[key];
    if (!c) continue;
    c.offline = true;
    reconcile(ctx, c, t);
  }
  for (const key of d.equipment) {
    const eq = ctx.st.equipment[key];
    if (!eq || eq.offline) continue;
    eq.offline = true;
    ctx.out.push({ kind: 'equipment', view: equipmentView(eq) });
  }
  if (d.sensor) for (const e of ofHall(ctx, 'env', d.hall)) if (e.sensor === d.sensor) e.readings = [];
  maybeOpenOffline(ctx, d, t);
}

function goOnline(ctx: Ctx, d: DeviceData, t: number, evTs: number): void {
  d.offline = false;
  if (d.alerted) {
    d.alerted = false;
    retractOrResolve(ctx, 'device_offline', d.hall, d.device, evTs, 'back_online');
  }
  for (const key of d.counters) {
    const c = ctx.st.counters[key];
    if (!c) continue;
    c.offline = false;
    // R12: retained seat state is truth, but an absence clock restarts at the reconnect instant.
    c.evalSince = Math.max(t, c.lastChange);
    reconcile(ctx, c, t);
  }
  for (const key of d.equipment) {
    const eq = ctx.st.equipment[key];
    if (!eq?.offline) continue;
    eq.offline = false;
    ctx.out.push({ kind: 'equipment', view: equipmentView(eq) });
  }
  armHeartbeat(ctx, d);
}

/** Opens device_offline if the device is offline and t lies in its schedule's service day. */
export function maybeOpenOffline(ctx: Ctx, d: DeviceData, t: number): void {
  if (!d.offline || d.alerted) return;
  const sched = ctx.st.schedules[d.schedule];
  if (!sched || !inServiceDay(ctx, sched, t)) return;
  d.alerted = true;
  const counter = d.counters[0] ? ctx.st.counters[d.counters[0]] : undefined;
  const eq = d.equipment[0] ? ctx.st.equipment[d.equipment[0]] : undefined;
  const where = counter
    ? `${hallName(ctx, d.hall)} ${d.counters.map((k) => counterName(ctx, d.hall, ctx.st.counters[k]?.counter ?? k)).join('、')}`
    : eq?.counter
      ? `${hallName(ctx, d.hall)} ${counterName(ctx, d.hall, eq.counter)} ${equipmentLabel(ctx, eq)}`
      : eq
        ? `${hallName(ctx, d.hall)} ${equipmentLabel(ctx, eq)}`
        : hallName(ctx, d.hall);
  const effect = counter
    ? '窗口在岗状态未知（不按离岗处理）'
    : eq
      ? '设备状态未知'
      : d.sensor
        ? '环境数据中断'
        : '设备数据中断';
  openAlert(ctx, {
    type: 'device_offline',
    severity: 'warning',
    hall: d.hall,
    ...(counter ? { counter: counter.counter } : {}),
    ...(eq ? { equipment: eq.equipment, ...(eq.counter && !counter ? { counter: eq.counter } : {}) } : {}),
    ...(d.sensor ? { sensor: d.sensor } : {}),
    device: d.device,
    subject: d.device,
    openedAt: t,
    message: deviceOfflineMessage(where, d.device, localClock(ctx.calendar, d.offlineSince, true), effect),
    details: {
      offlineSince: d.offlineSince,
      cause: d.offline === 'lwt' ? 'last_will' : 'heartbeat_silence',
      ...(d.heartbeatMs ? { heartbeatSeconds: d.heartbeatMs / 1000, misses: d.misses } : {}),
    },
  });
}
