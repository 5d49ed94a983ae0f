import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar/index.ts';
import { createReports, type Reports, type UptimeRow } from '../../reports/index.ts';
import { at, config } from '../core/stats/fixtures.ts';
import { D, derivedLines, deviceLine, HALL, influxWithDb, logger, runLive, SCRIPT } from './helpers.ts';

const calendar = createCalendar(config);
let db: Awaited<ReturnType<typeof influxWithDb>>;
let reports: Reports;
let live: ReturnType<typeof runLive>;

beforeAll(async () => {
  db = await influxWithDb();
  const from = calendar.startOfDay(D);
  live = runLive(config, calendar, SCRIPT, from, from + 86_400_000);
  await db.db.write([...SCRIPT.map(deviceLine), ...derivedLines(live)]);
  reports = createReports({ config, calendar, influx: db.target, logger });
});
afterAll(async () => {
  await reports?.close();
  await db?.influxd.cleanup();
});

const day = (date: string) => ({
  from: calendar.startOfDay(date),
  to: calendar.startOfDay(date) + 86_400_000,
});
const parts = (r: UptimeRow) =>
  r.staffedSeconds + r.awaySeconds + r.pausedSeconds + r.unattendedSeconds + r.unknownSeconds;
const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1);

describe('uptime report of a scripted day (engine → InfluxDB → report)', () => {
  it('each part is within 1 s of the script and the parts add up to scheduled exactly', async () => {
    const r = await reports.uptime({ hall: HALL, counter: 'w07', ...day(D), by: 'day' });
    expect(r.rows).toHaveLength(1);
    const w07 = r.rows[0] as UptimeRow;
    expect(w07.scheduledSeconds).toBe(23_400);
    expect(parts(w07)).toBe(w07.scheduledSeconds);
    near(w07.awaySeconds, 599 + 480);
    near(w07.unattendedSeconds, 300 + 260); // the unsigned absence and the late start (R9)
    near(w07.pausedSeconds, 1800);
    near(w07.unknownSeconds, 0);
    near(w07.staffedSeconds, 23_400 - 1079 - 560 - 1800);
    expect(w07.absenceCount).toBe(3);
    expect(w07.overLimitAbsences).toBe(0);
    expect(w07.interruptionCount).toBe(1);
    near(w07.earlyLeaveSeconds, 480);
    expect(w07.lateOpenings).toBe(1);
    near(w07.meanLateSeconds!, 260);
    expect(w07.onTimeOpeningRate).toBe(0.5);
    expect(w07.readinessRate).toBe(1);
    expect(r.warnings).toEqual([]);
  });

  it('per hall and per month the counters add up', async () => {
    const month = { from: calendar.startOfDay('2026-03-01'), to: calendar.startOfDay('2026-04-01') };
    const byCounter = await reports.uptime({ hall: HALL, ...month, by: 'month' });
    const hall = await reports.uptime({ hall: HALL, ...month, by: 'month', scope: 'hall' });
    const rows = byCounter.rows as UptimeRow[];
    const h = hall.rows[0] as UptimeRow;
    expect(h.scheduledSeconds).toBe(rows.reduce((s, x) => s + x.scheduledSeconds, 0));
    expect(h.staffedSeconds).toBe(rows.reduce((s, x) => s + x.staffedSeconds, 0));
    expect(parts(h)).toBe(h.scheduledSeconds);
    const w12 = rows.find((x) => x.counter === 'w12')!;
    // 22 working days in March 2026; only the 9th has data, the rest is unknown.
    expect(w12.scheduledSeconds).toBe(22 * 23_400);
    near(w12.staffedSeconds, 23_400);
    expect(w12.sensorCoverage).toBeCloseTo(1 / 22, 6);
  });

  it('a holiday has no scheduled time; an adjusted Saturday has the weekday schedule', async () => {
    const holiday = (await reports.uptime({ hall: HALL, counter: 'w07', ...day('2026-10-01'), by: 'day' }))
      .rows[0] as UptimeRow;
    expect(holiday.scheduledSeconds).toBe(0);
    expect(holiday.sessions).toBe(0);
    const saturday = (await reports.uptime({ hall: HALL, counter: 'w07', ...day('2026-02-28'), by: 'day' }))
      .rows[0] as UptimeRow;
    expect(saturday.scheduledSeconds).toBe(23_400);
    expect(saturday.unknownSeconds).toBe(23_400);
    expect(saturday.sessions).toBe(2);
  });

  it('per staff member: time on post by roster A, the interruption on E1023', async () => {
    const r = await reports.uptime({ hall: HALL, ...day(D), by: 'day', scope: 'staff' });
    const a = r.rows.find((x) => 'staff' in x && x.staff === 'E1023');
    expect(a).toMatchObject({ staff: 'E1023', staffName: '张三', interruptionCount: 1, lateOpenings: 1 });
    near((a as { staffedSeconds: number }).staffedSeconds, 23_400 - 1079 - 560 - 1800);
  });

  it('R23: E2002 badging in at 09:20 is one personal late arrival, stored and read back', async () => {
    expect(live.lateArrivals).toEqual([
      expect.objectContaining({ counter: 'w12', staff: 'E2002', at: at(D, '09:20:00'), lateSeconds: 1200 }),
    ]);
    const [w12] = (await reports.uptime({ hall: HALL, counter: 'w12', ...day(D), by: 'day' }))
      .rows as UptimeRow[];
    expect(w12!.lateArrivals).toBe(1);
    const [w07] = (await reports.uptime({ hall: HALL, counter: 'w07', ...day(D), by: 'day' }))
      .rows as UptimeRow[];
    expect(w07!.lateArrivals).toBe(0);
    const staff = (await reports.uptime({ hall: HALL, ...day(D), by: 'day', scope: 'staff' })).rows;
    expect(staff.find((x) => 'staff' in x && x.staff === 'E2002')).toMatchObject({ lateArrivals: 1 });
    expect(staff.find((x) => 'staff' in x && x.staff === 'E2001')).toMatchObject({ lateArrivals: 0 });
    expect(staff.find((x) => 'staff' in x && x.staff === 'E1023')).toMatchObject({ lateArrivals: 0 });
  });

  it('bad queries are rejected with the field named', async () => {
    await expect(reports.uptime({ hall: 'nope', ...day(D), by: 'day' })).rejects.toMatchObject({
      field: 'hall',
    });
    await expect(reports.uptime({ hall: HALL, counter: 'w99', ...day(D), by: 'day' })).rejects.toMatchObject({
      field: 'counter',
    });
    const { from } = day(D);
    await expect(reports.uptime({ hall: HALL, from, to: from, by: 'day' })).rejects.toMatchObject({
      field: 'to',
    });
    await expect(reports.uptime({ hall: HALL, ...day(D), by: 'hour' as never })).rejects.toMatchObject({
      field: 'by',
      messageZh: expect.stringContaining('day'),
    });
  });

  it('the API day view gets the closed intervals in order', async () => {
    const list = await reports.intervals({ hall: HALL, counter: 'w07', ...day(D) });
    expect(list.length).toBe(live.intervals.filter((i) => i.counter === 'w07').length);
    expect(list[0]).toMatchObject({ counter: 'w07', state: 'staffed', start: at(D, '09:00:00') });
  });
});
