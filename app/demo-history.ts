// The demo's past: the last 30 days of the example hall, simulated (simulator/history.ts) and
// written to the demo's InfluxDB before the services start, so statistics, exports and dashboards
// show real numbers on first start. A marker point records what was seeded: a restart with the
// same window, seed and hall configuration writes nothing again.
import { createHash } from 'node:crypto';
import type { ServiceCalendar } from '../core/calendar/types.ts';
import type { Config } from '../core/config/schema.ts';
import { int, line } from '../core/points/index.ts';
import { type InfluxClient, lit, ms, rowsOf } from '../reports/influx.ts';
import { simulatedHistory } from '../simulator/index.ts';

/** Bump when the seeded points change shape, so older demo data is seeded again. */
const SEED_VERSION = 1;
const MARKER = 'demo_seed';

export interface SeedOptions {
  config: Config;
  calendar: ServiceCalendar;
  db: InfluxClient;
  seed: number;
  /** Local midnight the history starts at, and where the live demo takes over (exclusive). */
  from: number;
  to: number;
  onProgress?: (done: number, total: number, date: string) => void;
}

export interface SeedResult {
  /** The same history was already there. */
  reused: boolean;
  days: number;
  points: number;
  events: number;
  intervals: number;
  alerts: number;
}

/** What decides the seeded points besides the window: the halls, rules, zone and seed. */
function fingerprint(o: SeedOptions): string {
  const { halls, rules, timezone } = o.config;
  return createHash('sha256')
    .update(JSON.stringify({ v: SEED_VERSION, seed: o.seed, halls, rules, timezone }))
    .digest('base64url')
    .slice(0, 16);
}

/**
 * Seeds [from, to) of the first hall. Everything of that hall from `from` on is deleted first
 * (earlier seeds and earlier live runs), so every start shows the same past; when the marker says
 * this exact history is already stored, only the previous run's live part (from `to` on) goes.
 */
export async function seedDemoHistory(o: SeedOptions): Promise<SeedResult> {
  const hall = o.config.halls[0]!.id;
  const print = fingerprint(o);
  await o.db.query([`CREATE DATABASE ${o.db.database}`]);
  const [marker] = await o.db.query([
    `SELECT fingerprint, to_ms FROM ${MARKER} WHERE hall = ${lit(hall)} AND time = ${ms(o.from)}`,
  ]);
  const stored = rowsOf(marker ?? [])[0];
  const days = Math.ceil((o.to - o.from) / 86_400_000);
  if (stored?.fingerprint === print && stored.to_ms === o.to) {
    await o.db.query([`DELETE WHERE hall = ${lit(hall)} AND time >= ${ms(o.to)}`]);
    return { reused: true, days, points: 0, events: 0, intervals: 0, alerts: 0 };
  }
  await o.db.query([`DELETE WHERE hall = ${lit(hall)} AND time >= ${ms(o.from)}`]);

  const result: SeedResult = { reused: false, days, points: 0, events: 0, intervals: 0, alerts: 0 };
  let done = 0;
  let writing: Promise<void> = Promise.resolve();
  // InfluxDB parses one day while the next one is computed.
  for (const day of simulatedHistory({ ...o, halls: [hall] })) {
    await writing;
    writing = o.db.write(day.lines);
    result.points += day.lines.length;
    result.events += day.events;
    result.intervals += day.intervals;
    result.alerts += day.alerts;
    o.onProgress?.(++done, days, day.date);
  }
  await writing;
  await o.db.write([
    line(
      MARKER,
      [['hall', hall]],
      [
        ['fingerprint', print],
        ['to_ms', int(o.to)],
        ['points', int(result.points)],
      ],
      o.from,
    ),
  ]);
  return result;
}
