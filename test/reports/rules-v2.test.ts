// Rules v2 in the statistics through the real report path (engine → InfluxDB → report → CSV): the
// paused-beyond-limit seconds (R21), understaffed seconds and personal late arrivals (R23), waiting
// citizens (R29) and voided interruptions (R28), in the counter rows, the staff rows and the CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar/index.ts';
import type { Config } from '../../core/config/schema.ts';
import { alertLine, engineAlertPoint, intervalLine, lateArrivalLine } from '../../core/points/index.ts';
import { createReports, type Reports, type UptimeRow } from '../../reports/index.ts';
import { at, config as base } from '../core/stats/fixtures.ts';
import { badge, deviceLine, HALL, influxWithDb, logger, queue, runLive, seat, sign } from './helpers.ts';

const D = '2026-03-12'; // a Thursday
// w12 needs both of its rostered staff on post (R23 minStaff).
const hall = base.halls[0]!;
const config: Config = {
  ...base,
  halls: [{ ...hall, counters: hall.counters.map((c) => (c.id === 'w12' ? { ...c, minStaff: 2 } : c)) }],
};
const calendar = createCalendar(config);
// w07 (A E1023, B E2051) staffed all day; the 暂停服务 board up 10:00–10:41 with 2 citizens waiting
// and 15:00–15:45 (service_paused at 10:30 and 15:30, R21); an unsigned absence 14:00–14:20
// (unattended at 14:02) that a supervisor voids. w12: E2001 badges in at 08:50, E2002 at 09:20
// (late, 1,200 s); s2 empty 10:00–10:05 (understaffed at 10:01, 300 s).
const EVENTS = [
  seat(D, '08:40:00', 'w07', 's1', true),
  sign(D, '08:40:00', 'w07', 'none'),
  queue(D, '10:00:00', 'w07', 2),
  sign(D, '10:00:00', 'w07', 'paused'),
  sign(D, '10:41:00', 'w07', 'none'),
  queue(D, '10:45:00', 'w07', 0),
  seat(D, '14:00:00', 'w07', 's1', false),
  seat(D, '14:20:00', 'w07', 's1', true),
  sign(D, '15:00:00', 'w07', 'paused'),
  sign(D, '15:45:00', 'w07', 'none'),
  seat(D, '08:50:00', 'w12', 's1', true),
  seat(D, '08:50:00', 'w12', 's2', true),
  badge(D, '08:50:00', 'w12', 'E2001'),
  badge(D, '09:20:00', 'w12', 'E2002'),
  seat(D, '10:00:00', 'w12', 's2', false),
  seat(D, '10:05:00', 'w12', 's2', true),
];
const from = calendar.startOfDay(D);
const to = from + 86_400_000;
const day = { hall: HALL, from, to, by: 'day' as const };
let db: Awaited<ReturnType<typeof influxWithDb>>;
let reports: Reports;
let live: ReturnType<typeof runLive>;

beforeAll(async () => {
  db = await influxWithDb();
  live = runLive(config, calendar, EVENTS, from, to);
  const voided = {
    at: at(D, '16:00:00'),
    by: '张主任',
    note: '系统误报,当时在窗口后台取件',
    void: true,
    previous: 'E1023',
  };
  await db.db.write([
    ...EVENTS.map(deviceLine),
    ...live.intervals.map(intervalLine),
    ...live.lateArrivals.map(lateArrivalLine),
    ...live.alerts.map((a) => alertLine(engineAlertPoint(a, a.type === 'unattended' ? [voided] : []))),
  ]);
  reports = createReports({ config, calendar, influx: db.target, logger });
});
afterAll(async () => {
  await reports?.close();
  await db?.influxd.cleanup();
});

const rowOf = async (counter: string) => (await reports.uptime({ ...day, counter })).rows[0] as UptimeRow;

describe('rules v2 statistics through the report path', () => {
  it('the live day: two service_paused and one unattended on w07, one understaffed on w12', () => {
    expect(live.alerts.map((a) => [a.type, a.openedAt, a.responsible?.staff ?? null])).toEqual([
      ['understaffed', at(D, '10:01:00'), null],
      ['service_paused', at(D, '10:30:00'), 'E1023'],
      ['unattended', at(D, '14:02:00'), 'E1023'],
      ['service_paused', at(D, '15:30:00'), 'E1023'],
    ]);
  });

  it('counter rows: paused beyond the limit, waiting citizens, voided; understaffed and late arrivals', async () => {
    expect(await rowOf('w07')).toMatchObject({
      pausedSeconds: 41 * 60 + 45 * 60,
      pausedOverLimit: 11 * 60 + 15 * 60,
      interruptionCount: 2,
      voided: 1,
      waitingAffected: 2,
      lateArrivals: 0,
    });
    expect(await rowOf('w12')).toMatchObject({
      understaffed: 300,
      lateArrivals: 1,
      interruptionCount: 0,
      staffedSeconds: 23_400,
    });
  });

  it('staff rows: E1023 answers for the two service_paused, not for the voided absence; E2002 was late', async () => {
    const staff = (await reports.uptime({ ...day, scope: 'staff' })).rows;
    const of = (id: string) => staff.find((r) => 'staff' in r && r.staff === id);
    expect(of('E1023')).toMatchObject({ interruptionCount: 2, lateArrivals: 0 });
    expect(of('E2051')?.interruptionCount ?? 0).toBe(0);
    expect(of('E2002')).toMatchObject({ lateArrivals: 1 });
    expect(of('E2001')).toMatchObject({ lateArrivals: 0 });
  });

  it('the CSV carries a column for each, with the numbers of the JSON report', async () => {
    const [head, ...lines] = (await reports.csv('uptime', day)).replace('\uFEFF', '').trimEnd().split('\r\n');
    const headers = head!.split(',');
    const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [headers[i]!, v])));
    expect(rows.find((r) => r.窗口 === 'w07')).toMatchObject({
      '超时暂停服务时长(秒)': '1560',
      受影响等候人次: '2',
      已撤销缺位次数: '1',
      缺位次数: '2',
    });
    expect(rows.find((r) => r.窗口 === 'w12')).toMatchObject({
      '人员不足时长(秒)': '300',
      个人迟到次数: '1',
    });
  });
});
