// A few working days of a whole hall, run through the real engine and written to a real influxd
// in the stored model (reports/lines.ts), so the statistics API and page have data to show.
// Deterministic: a small seeded generator picks arrivals, short absences and the odd overrun.
import { createCalendar } from '../../core/calendar/index.ts';
import type { Config } from '../../core/config/schema.ts';
import { drive, timeline } from '../../core/engine/drive.ts';
import { createEngine } from '../../core/engine/index.ts';
import type { EngineAlert, ResolvedAlert, StateInterval } from '../../core/engine/types.ts';
import { alertLine, engineAlertPoint, intervalLine } from '../../core/points/index.ts';
import type { DeviceEvent } from '../../core/protocol/events.ts';
import { formatTopic } from '../../core/protocol/topics.ts';
import { withoutHeartbeats } from '../../simulator/index.ts';
import { TEST_ZONE } from '../helpers/time.ts';

const at = (date: string, h: number, m: number, s = 0) => TEST_ZONE.wallTime(date, h * 60 + m) + s * 1000;

function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

/** Seat and sign events of one counter on one day (every seat follows the first). */
function counterDay(
  hall: string,
  counter: string,
  seats: string[],
  date: string,
  r: () => number,
): DeviceEvent[] {
  const ev: DeviceEvent[] = [];
  const base = (ts: number, topic: string) => ({ hall, ts, tsFromDevice: true, receivedAt: ts, topic });
  const seat = (ts: number, occupied: boolean) => {
    for (const s of seats)
      ev.push({
        ...base(ts, formatTopic({ kind: 'seat', hall, counter, seat: s })),
        kind: 'seat',
        counter,
        seat: s,
        occupied,
      });
  };
  const sign = (ts: number, value: 'none' | 'away' | 'paused') =>
    ev.push({
      ...base(ts, formatTopic({ kind: 'sign', hall, counter })),
      kind: 'sign',
      counter,
      sign: value,
    });
  for (const [start, end] of [
    [9 * 60, 12 * 60],
    [13 * 60 + 30, 17 * 60],
  ] as const) {
    // arrival: usually before opening, sometimes a few minutes late
    const late = r() < 0.12 ? 1 + Math.floor(r() * 6) : -Math.floor(r() * 10) - 1;
    let t = at(date, 0, start + late, Math.floor(r() * 60));
    sign(t - 1000, 'none');
    seat(t, true);
    // two to four short absences with the away sign; now and then one overruns the limit
    const n = 2 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      t += (20 + Math.floor(r() * 50)) * 60_000;
      if (t > at(date, 0, end - 20)) break;
      const overrun = r() < 0.08;
      const len = overrun ? (11 + Math.floor(r() * 6)) * 60_000 : (2 + Math.floor(r() * 7)) * 60_000;
      sign(t - 5_000, 'away');
      seat(t, false);
      seat(t + len, true);
      sign(t + len + 10_000, 'none');
      t += len;
    }
    if (r() < 0.1) {
      const p = at(date, 0, end - 40);
      sign(p, 'paused');
      sign(p + 20 * 60_000, 'none');
    }
    seat(at(date, 0, end, 30), false);
  }
  return ev;
}

export interface HallHistory {
  intervals: StateInterval[];
  alerts: (EngineAlert | ResolvedAlert)[];
  lines: string[];
}

/** Runs the engine over `dates` (local days) for every counter of the first hall. */
export function hallHistory(withHeartbeats: Config, dates: string[], seed = 7): HallHistory {
  // The script sends no controller heartbeats: without this every counter would turn unknown.
  const config = withoutHeartbeats(withHeartbeats);
  const hall = config.halls[0]!;
  const calendar = createCalendar(config, { onWarning: () => {} });
  const r = rng(seed);
  const events = dates
    .flatMap((d) => hall.counters.flatMap((c) => counterDay(hall.id, c.id, c.seats, d, r)))
    .sort((a, b) => a.ts - b.ts);
  const from = at(dates[0]!, 0, 0);
  const to = at(dates.at(-1)!, 23, 59);
  const engine = createEngine({ config, calendar, now: from });
  const intervals: StateInterval[] = [];
  const alerts = new Map<string, EngineAlert | ResolvedAlert>();
  const take = (outs: ReturnType<typeof engine.tick>) => {
    for (const o of outs) {
      if (o.kind === 'interval') intervals.push(o.interval);
      if (o.kind === 'alert_opened' || o.kind === 'alert_resolved') alerts.set(o.alert.id, o.alert);
    }
  };
  drive(engine, timeline(events, from, to, 5_000), take);
  const all = [...alerts.values()];
  return {
    intervals,
    alerts: all,
    lines: [...intervals.map(intervalLine), ...all.map((a) => alertLine(engineAlertPoint(a)))],
  };
}
