// R24 through the real report path: approved closures (configured, entered through the API, one
// entered mid-window, one withdrawn) leave the scheduled time of the uptime, equipment and
// environment reports exactly as the engine left them out; nothing closed is counted unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar/index.ts';
import type { Config } from '../../core/config/schema.ts';
import { approvalInputs } from '../../core/engine/drive.ts';
import { approvalLine } from '../../core/points/index.ts';
import type { ApprovalRecord } from '../../core/protocol/approval.ts';
import { createReports, type Reports, type UptimeRow } from '../../reports/index.ts';
import { replay } from '../../reports/replay.ts';
import { at, config as base } from '../core/stats/fixtures.ts';
import {
  derivedLines,
  deviceLine,
  equipment,
  HALL,
  influxWithDb,
  logger,
  runLive,
  seat,
  sign,
} from './helpers.ts';

const D = '2026-03-11'; // a Wednesday: 09:00–12:00, 13:30–17:00 (23,400 s)
// Configured: w03 closed all morning (known in advance, counts from its `from`).
const config: Config = {
  ...base,
  closures: [
    {
      hall: HALL,
      counter: 'w03',
      from: `${D}T09:00`,
      to: `${D}T12:00`,
      reason: '培训',
      approvedBy: '张主任',
    },
  ],
};
const calendar = createCalendar(config);

const closure = (id: string, counter: string | undefined, from: string, to: string, enteredAt: string) =>
  ({
    kind: 'closure',
    id,
    hall: HALL,
    ...(counter ? { counter } : {}),
    from: at(D, from),
    to: at(D, to),
    reason: '系统升级',
    approvedBy: '张主任',
    enteredAt: at(D, enteredAt),
  }) as ApprovalRecord;
const APPROVALS: ApprovalRecord[] = [
  // S21's variant: w07 closed 10:00–11:00, entered beforehand → 3,600 s removed.
  closure('c-w07', 'w07', '10:00', '11:00', '08:00:00'),
  // w12 closed 09:00–12:00 but withdrawn at 09:20 → only 09:00–09:20 (1,200 s) removed.
  {
    ...closure('c-w12', 'w12', '09:00', '12:00', '08:05:00'),
    removedAt: at(D, '09:20:00'),
    removedBy: '张主任',
  },
  // The hall closed 16:00–17:00, entered at 16:30: it counts from its entry (1,800 s), never earlier.
  closure('c-hall', undefined, '16:00', '17:00', '16:30:00'),
];
const EVENTS = [
  seat(D, '08:40:00', 'w07', 's1', true),
  sign(D, '08:40:00', 'w07', 'none'),
  equipment(D, '08:30:00', 'w07', 'pc', 'ok'),
  seat(D, '08:50:00', 'w12', 's1', true),
  seat(D, '08:50:00', 'w12', 's2', true),
];

const from = calendar.startOfDay(D);
const to = from + 86_400_000;
let db: Awaited<ReturnType<typeof influxWithDb>>;
let reports: Reports;
let live: ReturnType<typeof runLive>;

beforeAll(async () => {
  db = await influxWithDb();
  live = runLive(config, calendar, [...EVENTS, ...APPROVALS.flatMap(approvalInputs)], from, to);
  // The ingest stores each approval as one `approval` point (core/points, the one encoder).
  await db.db.write([...EVENTS.map(deviceLine), ...derivedLines(live), ...APPROVALS.map(approvalLine)]);
  reports = createReports({ config, calendar, influx: db.target, logger });
});
afterAll(async () => {
  await reports?.close();
  await db?.influxd.cleanup();
});

const rowOf = async (counter: string) =>
  (await reports.uptime({ hall: HALL, counter, from, to, by: 'day' })).rows[0] as UptimeRow;

describe('R24 closures leave the scheduled time of the reports', () => {
  it('w07 closed 10:00–11:00 and with the hall from 16:30: 18,000 s scheduled, all staffed, none unknown', async () => {
    const w07 = await rowOf('w07');
    expect(w07).toMatchObject({
      scheduledSeconds: 23_400 - 3_600 - 1_800,
      staffedSeconds: 18_000,
      unknownSeconds: 0,
      unattendedSeconds: 0,
      // 09:00, 11:00 (after the closure, judged as a session start) and 13:30.
      sessions: 3,
      lateOpenings: 0,
      interruptionCount: 0,
    });
  });

  it('a withdrawn closure removes only its time before the withdrawal; a configured one from its from', async () => {
    expect(await rowOf('w12')).toMatchObject({
      scheduledSeconds: 23_400 - 1_200 - 1_800,
      staffedSeconds: 20_400,
      unknownSeconds: 0,
    });
    // w03 has no devices: what is left after its closure and the hall's is unknown, no more.
    expect(await rowOf('w03')).toMatchObject({ scheduledSeconds: 10_800, unknownSeconds: 10_800 });
  });

  it('per hall the counters add up; the engine wrote no interval inside a closure', async () => {
    const hall = (await reports.uptime({ hall: HALL, from, to, by: 'day', scope: 'hall' }))
      .rows[0] as UptimeRow;
    expect(hall.scheduledSeconds).toBe(18_000 + 20_400 + 10_800);
    expect(hall.unknownSeconds).toBe(10_800);
    const inside = (a: string, b: string) => (i: { start: number; end: number }) =>
      i.start < at(D, b) && i.end > at(D, a);
    expect(live.intervals.filter((i) => i.counter === 'w07').filter(inside('10:00', '11:00'))).toEqual([]);
    expect(live.intervals.filter(inside('16:30', '17:00'))).toEqual([]);
  });

  it('equipment and environment service time leave the closures out too', async () => {
    const eq = await reports.equipment({ hall: HALL, from, to });
    expect(eq.rows.find((r) => r.counter === 'w07' && r.equipment === 'pc')?.serviceSeconds).toBe(18_000);
    expect(eq.rows.find((r) => r.counter === undefined && r.equipment === 'queue')?.serviceSeconds).toBe(
      21_600,
    );
    const env = await reports.environment({ hall: HALL, from, to });
    expect(env.rows.find((r) => r.sensor === 'env1' && r.metric === 'lux')?.serviceSeconds).toBe(21_600);
  });

  it('the day view starts a session where a closure cut it (R24): the piece after is judged as a session start', async () => {
    const starts = async (counter: string) =>
      (await reports.intervals({ hall: HALL, counter, from, to })).map((i) => [
        i.state,
        i.start,
        i.sessionStart,
      ]);
    // w12's closure cut 09:00–09:20 off the morning: its session begins at 09:20, not at 09:00.
    expect(await starts('w12')).toEqual([
      ['staffed', at(D, '09:20:00'), at(D, '09:20:00')],
      ['staffed', at(D, '13:30:00'), at(D, '13:30:00')],
    ]);
    // w07: the piece after 10:00–11:00 starts at 11:00; the hall's closure from 16:30 leaves 13:30.
    expect(await starts('w07')).toEqual([
      ['staffed', at(D, '09:00:00'), at(D, '09:00:00')],
      ['staffed', at(D, '11:00:00'), at(D, '11:00:00')],
      ['staffed', at(D, '13:30:00'), at(D, '13:30:00')],
    ]);
  });

  it('a replay of the day reads the stored closures and gives the live intervals', async () => {
    const r = await replay({ config, calendar, db: db.db, hall: HALL, from, to, now: to, dryRun: true });
    const key = (i: { counter: string; state: string; start: number; end: number }) =>
      `${i.counter} ${i.state} ${i.start} ${i.end}`;
    expect(r.intervals.map(key).sort()).toEqual(live.intervals.map(key).sort());
  });
});
