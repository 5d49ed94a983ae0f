// Raw device points (seat, sign, badge, equipment, env, device_status) back into DeviceEvents, in
// a deterministic time order, for replay.

import type { DeviceEvent, EquipmentStatus, Sign } from '../core/protocol/events.ts';
import { ENV_METRICS } from '../core/protocol/payloads.ts';
import { formatTopic } from '../core/protocol/topics.ts';
import { type InfluxClient, lit, ms, rowsOf } from './influx.ts';

const MEASUREMENTS = ['device_status', 'equipment', 'sign', 'badge', 'seat', 'env'] as const;
type Measurement = (typeof MEASUREMENTS)[number];

function toEvent(m: Measurement, hall: string, r: Record<string, unknown>): DeviceEvent | null {
  const ts = Number(r.time);
  const base = {
    hall,
    ts,
    tsFromDevice: r.ts_from_receive !== true,
    receivedAt: ts,
    ...(typeof r.seq === 'number' ? { seq: r.seq } : {}),
  };
  const s = (k: string) => (typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined);
  switch (m) {
    case 'seat': {
      if (typeof r.occupied !== 'boolean') return null;
      const ref = { kind: 'seat', hall, counter: s('counter')!, seat: s('seat')! } as const;
      return {
        ...base,
        kind: 'seat',
        counter: ref.counter,
        seat: ref.seat,
        occupied: r.occupied,
        topic: formatTopic(ref),
      };
    }
    case 'sign': {
      const sign = s('sign') as Sign | undefined;
      if (!sign) return null;
      return {
        ...base,
        kind: 'sign',
        counter: s('counter')!,
        sign,
        topic: formatTopic({ kind: 'sign', hall, counter: s('counter')! }),
      };
    }
    case 'badge': {
      const staff = s('staff');
      const action = s('action');
      if (!staff || (action !== 'in' && action !== 'out')) return null;
      return {
        ...base,
        kind: 'badge',
        counter: s('counter')!,
        staff,
        action,
        topic: formatTopic({ kind: 'badge', hall, counter: s('counter')! }),
      };
    }
    case 'equipment': {
      const status = s('status') as EquipmentStatus | undefined;
      if (!status) return null;
      const counter = s('counter');
      const code = s('code');
      const detail = s('detail');
      return {
        ...base,
        kind: 'equipment',
        ...(counter ? { counter } : {}),
        equipment: s('equipment')!,
        status,
        ...(code ? { code } : {}),
        ...(detail ? { detail } : {}),
        topic: formatTopic({ kind: 'equipment', hall, counter, equipment: s('equipment')! } as never),
      };
    }
    case 'env': {
      const readings: Record<string, number> = {};
      for (const k of ENV_METRICS) if (typeof r[k] === 'number') readings[k] = r[k] as number;
      if (Object.keys(readings).length === 0) return null;
      return {
        ...base,
        kind: 'env',
        sensor: s('sensor')!,
        readings,
        topic: formatTopic({ kind: 'env', hall, sensor: s('sensor')! }),
      };
    }
    case 'device_status':
      if (typeof r.online !== 'boolean') return null;
      return {
        ...base,
        kind: 'device_status',
        device: s('device')!,
        online: r.online,
        topic: formatTopic({ kind: 'device_status', hall, device: s('device')! }),
      };
  }
}

const TAGS: Record<Measurement, string> = {
  seat: 'counter, seat',
  sign: 'counter',
  badge: 'counter',
  equipment: 'counter, equipment',
  env: 'sensor',
  device_status: 'device',
};

const order = (e: DeviceEvent, m: number) => ({ e, m, key: e.topic });
/** Ties at one ms: status first, then equipment, sign, badge, seat, env; then by topic. */
function sortEvents(list: { e: DeviceEvent; m: number; key: string }[]): DeviceEvent[] {
  return list
    .sort((a, b) => a.e.ts - b.e.ts || a.m - b.m || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.e);
}

/** Device events of a hall with ts in [from, to), in replay order. */
export async function deviceEvents(
  db: InfluxClient,
  hall: string,
  from: number,
  to: number,
): Promise<DeviceEvent[]> {
  const results = await db.query(
    MEASUREMENTS.map(
      (m) =>
        `SELECT * FROM ${m} WHERE hall = ${lit(hall)} AND time >= ${ms(from)} AND time < ${ms(to)} GROUP BY ${TAGS[m]}`,
    ),
  );
  const list: { e: DeviceEvent; m: number; key: string }[] = [];
  MEASUREMENTS.forEach((m, i) => {
    for (const r of rowsOf(results[i]!)) {
      const e = toEvent(m, hall, r);
      if (e) list.push(order(e, i));
    }
  });
  return sortEvents(list);
}

/**
 * The retained state before `at` (last seat, sign, equipment and device status of each source),
 * replayed as events at `at` so a fresh engine starts where the live one stood.
 */
export async function retainedStateAt(
  db: InfluxClient,
  hall: string,
  at: number,
  lookbackMs: number,
): Promise<DeviceEvent[]> {
  const retained = ['device_status', 'equipment', 'sign', 'seat'] as const;
  const results = await db.query(
    retained.map(
      (m) =>
        `SELECT LAST(${m === 'seat' ? 'occupied' : m === 'sign' ? 'sign' : m === 'equipment' ? 'status' : 'online'}) AS v FROM ${m} ` +
        `WHERE hall = ${lit(hall)} AND time >= ${ms(at - lookbackMs)} AND time < ${ms(at)} GROUP BY ${TAGS[m]}`,
    ),
  );
  const field = { seat: 'occupied', sign: 'sign', equipment: 'status', device_status: 'online' } as const;
  const list: { e: DeviceEvent; m: number; key: string }[] = [];
  retained.forEach((m, i) => {
    for (const r of rowsOf(results[i]!)) {
      const e = toEvent(m, hall, { ...r, [field[m]]: r.v, time: at });
      if (e) list.push(order(e, MEASUREMENTS.indexOf(m)));
    }
  });
  return sortEvents(list);
}
