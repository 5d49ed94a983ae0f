// The hall around the counters (pure, seeded): hall equipment switched on before opening and off
// after closing (the queue machine now and then out of paper), controller heartbeats, and env
// sensors following the day — with one sensor's lamp failing some afternoons (lux drifting down).
import type { ServiceSession } from '../core/calendar/types.ts';
import type { HallConfig } from '../core/config/schema.ts';
import { ev, type SimEvent } from './events.ts';
import { createRng, hashSeed } from './random.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

export function planHallDay(
  hall: HallConfig,
  hallDevice: string | undefined,
  sessions: ServiceSession[],
  seed: string | number,
  date: string,
): SimEvent[] {
  if (!hallDevice || sessions.length === 0) return [];
  const rng = createRng(hashSeed(seed, date, hall.id, 'hall'));
  const first = sessions[0]!.start;
  const end = sessions[sessions.length - 1]!.end;
  const out: SimEvent[] = [];
  for (const e of hall.equipment) {
    const always = e.kind === 'waterDispenser' || e.kind === 'lift';
    out.push(
      ev.equipment(
        hallDevice,
        hall.id,
        first - (always ? 60 : rng.uniform(20, 30)) * MIN,
        undefined,
        e.id,
        'ok',
      ),
    );
    if (e.kind === 'queue' && rng.chance(0.25)) {
      const at = rng.uniform(first + 30 * MIN, end - 60 * MIN);
      out.push(ev.equipment(hallDevice, hall.id, at, undefined, e.id, 'fault', 'NO_PAPER'));
      out.push(ev.equipment(hallDevice, hall.id, at + rng.uniform(5, 40) * MIN, undefined, e.id, 'ok'));
    }
    if (!always)
      out.push(ev.equipment(hallDevice, hall.id, end + rng.uniform(20, 30) * MIN, undefined, e.id, 'off'));
  }
  return out;
}

/** Ticks of a period in [from, to), aligned to the epoch so windows can be cut anywhere. */
function ticks(from: number, to: number, period: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(from / period) * period; t < to; t += period) out.push(t);
  return out;
}

export interface Heartbeat {
  controller: string;
  periodMs: number;
}

export function heartbeats(hall: string, devices: Heartbeat[], from: number, to: number): SimEvent[] {
  return devices.flatMap((d) =>
    ticks(from, to, d.periodMs).map((t) => ev.status(d.controller, hall, t, true)),
  );
}

export interface EnvSource {
  sensor: string;
  controller: string;
  periodMs: number;
}

/** Readings of one sensor at `t`; `hourOfDay` is local time; `driftFrom` starts a failing lamp. */
export function envReading(
  seed: string | number,
  sensor: string,
  t: number,
  hourOfDay: number,
  driftFrom?: number,
) {
  const r = createRng(hashSeed(seed, sensor, t));
  const lit = hourOfDay >= 7.5 && hourOfDay < 18.5;
  const busy = hourOfDay >= 9 && hourOfDay < 17 ? Math.max(0, Math.sin(((hourOfDay - 9) / 8) * Math.PI)) : 0;
  let lux = lit ? 440 + r.normal(0, 12) : 35 + r.normal(0, 3);
  if (driftFrom !== undefined && hourOfDay >= driftFrom) lux -= Math.min(1, hourOfDay - driftFrom) * 230;
  const one = (x: number) => Math.round(x * 10) / 10;
  return {
    lux: Math.max(0, Math.round(lux)),
    temperature: one(22.5 + 2 * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI) + r.normal(0, 0.15)),
    humidity: one(
      Math.min(95, Math.max(20, 48 + 4 * Math.cos((hourOfDay / 24) * 2 * Math.PI) + r.normal(0, 0.8))),
    ),
    co2: Math.round(440 + 420 * busy + r.normal(0, 12)),
    noise: one(lit ? 46 + 9 * busy + r.normal(0, 1.5) : 31 + r.normal(0, 1)),
  };
}

/** Which sensor's lamp fails on a date, and from which local hour (about every other day). */
export function lampFailure(
  seed: string | number,
  sensors: string[],
  date: string,
): { sensor: string; fromHour: number } | null {
  if (sensors.length === 0) return null;
  const rng = createRng(hashSeed(seed, date, 'lamp'));
  if (!rng.chance(0.5)) return null;
  return { sensor: sensors[Math.floor(rng.next() * sensors.length)]!, fromHour: rng.uniform(13.6, 15.5) };
}

export function envEvents(
  hall: string,
  sources: EnvSource[],
  from: number,
  to: number,
  seed: string | number,
  hourOf: (t: number) => { hour: number; date: string },
): SimEvent[] {
  const out: SimEvent[] = [];
  for (const s of sources)
    for (const t of ticks(from, to, s.periodMs)) {
      const { hour, date } = hourOf(t);
      const lamp = lampFailure(
        seed,
        sources.map((x) => x.sensor),
        date,
      );
      const drift = lamp?.sensor === s.sensor ? lamp.fromHour : undefined;
      out.push(ev.env(s.controller, hall, t, s.sensor, envReading(seed, s.sensor, t, hour, drift)));
    }
  return out;
}

export { HOUR };
