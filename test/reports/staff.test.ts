// Per staff member (scope=staff) through the real report path: the interruptions a person answers
// for are R17 v2's (service_paused included) on their current attribution; a voided one (R28)
// counts nowhere, in the staff rows as in the counter rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar/index.ts';
import { alertLine, engineAlertPoint, intervalLine } from '../../core/points/index.ts';
import { createReports, type Reports, type UptimeRow } from '../../reports/index.ts';
import { at, config } from '../core/stats/fixtures.ts';
import { deviceLine, HALL, influxWithDb, logger, runLive, seat, sign } from './helpers.ts';

const D = '2026-03-12'; // a Thursday
const calendar = createCalendar(config);
// w07 (A E1023, B E2051) staffed all day; the 暂停服务 board up 10:00–10:41 and 15:00–15:45
// (service_paused at 10:30 and 15:30, R21); an unsigned absence 14:00–14:20 (unattended at 14:02)
// that a supervisor voids.
const EVENTS = [
  seat(D, '08:40:00', 'w07', 's1', true),
  sign(D, '08:40:00', 'w07', 'none'),
  sign(D, '10:00:00', 'w07', 'paused'),
  sign(D, '10:41:00', 'w07', 'none'),
  seat(D, '14:00:00', 'w07', 's1', false),
  seat(D, '14:20:00', 'w07', 's1', true),
  sign(D, '15:00:00', 'w07', 'paused'),
  sign(D, '15:45:00', 'w07', 'none'),
];
const from = calendar.startOfDay(D);
const to = from + 86_400_000;
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
    ...live.alerts.map((a) => alertLine(engineAlertPoint(a, a.type === 'unattended' ? [voided] : []))),
  ]);
  reports = createReports({ config, calendar, influx: db.target, logger });
});
afterAll(async () => {
  await reports?.close();
  await db?.influxd.cleanup();
});

describe('staff rows count interruptions as R17 v2 and R28 say', () => {
  it('the live day has two service_paused and one unattended on E1023', () => {
    expect(live.alerts.map((a) => [a.type, a.openedAt, a.responsible?.staff])).toEqual([
      ['service_paused', at(D, '10:30:00'), 'E1023'],
      ['unattended', at(D, '14:02:00'), 'E1023'],
      ['service_paused', at(D, '15:30:00'), 'E1023'],
    ]);
  });

  it('E1023 answers for the two service_paused, not for the voided absence — as the counter row says', async () => {
    const [w07] = (await reports.uptime({ hall: HALL, counter: 'w07', from, to, by: 'day' }))
      .rows as UptimeRow[];
    expect(w07).toMatchObject({ interruptionCount: 2, voided: 1 });
    const staff = (await reports.uptime({ hall: HALL, counter: 'w07', from, to, by: 'day', scope: 'staff' }))
      .rows;
    expect(staff.find((r) => 'staff' in r && r.staff === 'E1023')).toMatchObject({ interruptionCount: 2 });
    expect(staff.find((r) => 'staff' in r && r.staff === 'E2051')?.interruptionCount ?? 0).toBe(0);
  });
});
