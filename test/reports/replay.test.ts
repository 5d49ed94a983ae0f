import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createCalendar } from '../../core/calendar/index.ts';
import { alertLine, engineAlertPoint, intervalLine } from '../../core/points/index.ts';
import { createReports, type Reports } from '../../reports/index.ts';
import { replay } from '../../reports/replay.ts';
import { at, config } from '../core/stats/fixtures.ts';
import {
  D,
  derivedLines,
  deviceLine,
  equipment,
  HALL,
  influxWithDb,
  logger,
  runLive,
  SCRIPT,
} from './helpers.ts';

const run = promisify(execFile);
const calendar = createCalendar(config);
const D2 = '2026-03-10';
const EVENTS = [
  ...SCRIPT,
  equipment(D, '12:20:00', 'w07', 'printer', 'fault'),
  equipment(D, '13:41:00', 'w07', 'printer', 'ok'),
  equipment(D, '08:00:00', undefined, 'queue', 'ok'),
  equipment(D, '16:58:00', undefined, 'queue', 'fault'),
  equipment(D2, '08:20:00', undefined, 'queue', 'ok'),
];
const range = { hall: HALL, from: calendar.startOfDay(D), to: calendar.startOfDay(D2) };

let db: Awaited<ReturnType<typeof influxWithDb>>;
let reports: Reports;
let dir: string;
const snapshot = async () => ({
  uptime: await reports.uptime({ ...range, by: 'day' }),
  staff: await reports.uptime({ ...range, by: 'day', scope: 'staff' }),
  equipment: await reports.equipment(range),
  noAbsence: await reports.noAbsence(range),
  intervals: await reports.intervals(range),
});

beforeAll(async () => {
  db = await influxWithDb();
  dir = mkdtempSync(join(tmpdir(), 'hw-replay-'));
  const live = runLive(config, calendar, EVENTS, range.from, calendar.startOfDay('2026-03-11'));
  await db.db.write([...EVENTS.map(deviceLine), ...derivedLines(live)]);
  reports = createReports({ config, calendar, influx: db.target, logger });
});
afterAll(async () => {
  await reports?.close();
  await db?.influxd.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('replay', () => {
  it('npm run replay of a day reproduces the live numbers and replaces stale derived points', async () => {
    const live = await snapshot();
    expect(live.intervals.length).toBeGreaterThan(10);
    // Stale points a replay must replace: an interval and an alert the current rules would not produce.
    await db.db.write([
      intervalLine({
        hall: HALL,
        counter: 'w12',
        state: 'unknown',
        start: at(D, '09:00:00'),
        end: at(D, '09:10:00'),
        localDate: D,
      }),
      alertLine(
        engineAlertPoint({
          id: 'stale',
          type: 'staffing_gap',
          severity: 'critical',
          hall: HALL,
          counter: 'w12',
          openedAt: at(D, '11:00:00'),
        }),
      ),
    ]);
    expect((await reports.noAbsence(range)).rows.find((r) => r.counter === 'w12')!.yearCount).toBe(1);

    const file = join(dir, 'hallwatch.yaml');
    writeFileSync(file, stringify({ ...config, influx: { ...config.influx, url: db.target.url } }));
    const { stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'app/replay.ts', '--from', D, '--to', D, '--hall', HALL, '--config', file],
      { cwd: process.cwd(), env: { ...process.env, LOG_LEVEL: 'warn' }, timeout: 80_000 },
    );
    expect(stderr).toContain(`1/1 天  ${D}`);

    const replayed = await snapshot();
    expect(replayed.intervals).toEqual(live.intervals);
    expect(replayed.uptime).toEqual(live.uptime);
    expect(replayed.staff).toEqual(live.staff);
    expect(replayed.equipment).toEqual(live.equipment);
    expect(replayed.noAbsence).toEqual(live.noAbsence);
  }, 90_000);

  it('is deterministic: the same raw points give the same intervals and alerts', async () => {
    const opts = {
      config,
      calendar,
      db: db.db,
      ...range,
      now: range.to + 86_400_000,
      dryRun: true,
    };
    const a = await replay(opts);
    const b = await replay(opts);
    expect(a.events).toBe(EVENTS.filter((e) => e.ts < range.to).length);
    expect(b).toEqual(a);
    // The queue fault of 16:58 is followed past the range end to its repair at 08:20 the next day.
    const queue = a.alerts.find((x) => x.type === 'equipment_fault' && x.equipment === 'queue');
    expect(queue).toMatchObject({ openedAt: at(D, '16:58:00'), resolvedAt: at(D2, '08:20:00') });
  });

  it('rejects a bad command line with exit code 2 and the usage', { timeout: 70_000 }, async () => {
    await expect(
      run(process.execPath, ['--import', 'tsx', 'app/replay.ts', '--from', 'yesterday'], { timeout: 60_000 }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: npm run replay'),
    });
  });
});
