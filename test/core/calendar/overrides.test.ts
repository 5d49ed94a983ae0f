// Dated overrides (R1 closures and extended hours, R20 leave) and R2 short-notice warnings.
import { describe, expect, it } from 'vitest';
import { at, calendarOf, hours } from './hall.ts';

const WEEKDAY = ['09:00-12:00', '13:30-17:00'];

describe('dated overrides', () => {
  it('closure: sessions [] closes every counter and the hall that day', () => {
    const { cal } = calendarOf({ overrides: [{ date: '2026-03-09', sessions: [], reason: '停电检修' }] });
    expect(cal.sessionsOn('cz-main', 'w07', '2026-03-09')).toEqual([]);
    expect(cal.sessionsOn('cz-main', null, '2026-03-09')).toEqual([]);
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-03-08', '12:00'))).toBe(at('2026-03-10', '09:00'));
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-10'))).toEqual(WEEKDAY);
  });

  it('extended hours (延时服务): the override replaces the day, index still counts from 0', () => {
    const { cal } = calendarOf({
      overrides: [{ date: '2026-03-09', sessions: ['09:00-12:00', '13:30-19:00'] }],
    });
    const s = cal.sessionsOn('cz-main', 'w07', '2026-03-09');
    expect(hours(s)).toEqual(['09:00-12:00', '13:30-19:00']);
    expect(s.map((x) => x.index)).toEqual([0, 1]);
    expect(cal.isInSession('cz-main', 'w07', at('2026-03-09', '18:30'))).toBe(true);
  });

  it('a from/to range closes each day of the range only', () => {
    const { cal } = calendarOf({ overrides: [{ from: '2026-03-10', to: '2026-03-11', sessions: [] }] });
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-09'))).toEqual(WEEKDAY);
    expect(cal.sessionsOn('cz-main', 'w07', '2026-03-10')).toEqual([]);
    expect(cal.sessionsOn('cz-main', 'w07', '2026-03-11')).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-12'))).toEqual(WEEKDAY);
  });

  it('counters filter: only the named counters change; the hall keeps its template', () => {
    const { cal } = calendarOf({ overrides: [{ date: '2026-03-09', sessions: [], counters: ['w12'] }] });
    expect(cal.sessionsOn('cz-main', 'w12', '2026-03-09')).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-09'))).toEqual(WEEKDAY);
    expect(hours(cal.sessionsOn('cz-main', null, '2026-03-09'))).toEqual(WEEKDAY);
  });

  it('the most specific override wins: counter-specific over hall-wide, date over range', () => {
    const { cal } = calendarOf({
      overrides: [
        { date: '2026-03-09', sessions: ['09:00-12:00'], counters: ['w07'] },
        { date: '2026-03-09', sessions: [] },
        { from: '2026-03-09', to: '2026-03-13', sessions: ['13:30-17:00'], counters: ['w07'] },
      ],
    });
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-09'))).toEqual(['09:00-12:00']);
    expect(cal.sessionsOn('cz-main', 'w12', '2026-03-09')).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-10'))).toEqual(['13:30-17:00']);
  });

  it('holiday duty: an override opens a statutory holiday', () => {
    const { cal } = calendarOf({
      overrides: [{ date: '2026-10-02', sessions: ['09:00-12:00'], counters: ['w03'] }],
    });
    expect(hours(cal.sessionsOn('cz-main', 'w03', '2026-10-02'))).toEqual(['09:00-12:00']);
    expect(cal.sessionsOn('cz-main', 'w07', '2026-10-02')).toEqual([]);
  });

  it('S11 leave: "E1023 on leave 2026-03-09, E2051 covers" — sessions unchanged, leaveOn names both', () => {
    const { cal } = calendarOf({
      overrides: [{ date: '2026-03-09', counters: ['w07'], leave: { staff: 'E1023', cover: 'E2051' } }],
    });
    expect(cal.leaveOn('cz-main', 'w07', '2026-03-09')).toEqual([{ staff: 'E1023', cover: 'E2051' }]);
    expect(cal.leaveOn('cz-main', 'w07', '2026-03-10')).toEqual([]);
    expect(cal.leaveOn('cz-main', 'w12', '2026-03-09')).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-09'))).toEqual(WEEKDAY);
  });

  it('leave over a range without a cover', () => {
    const { cal } = calendarOf({
      overrides: [{ from: '2026-03-09', to: '2026-03-13', counters: ['w12'], leave: { staff: 'E2002' } }],
    });
    expect(cal.leaveOn('cz-main', 'w12', '2026-03-11')).toEqual([{ staff: 'E2002' }]);
    expect(cal.leaveOn('cz-main', 'w12', '2026-03-14')).toEqual([]);
  });
});

describe('R2 timetable change notice', () => {
  const change = (date: string, announcedAt: string) => ({
    date,
    sessions: [],
    reason: '系统升级',
    announcedAt,
  });

  it('announced Fri 2026-03-06 for Mon 03-09 (1 working day) → override_short_notice at creation', () => {
    const { cal, warnings } = calendarOf({ overrides: [change('2026-03-09', '2026-03-06')] });
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'override_short_notice', hall: 'cz-main', date: '2026-03-09' }),
    ]);
    expect(warnings[0]!.message).toContain('2026-03-06');
    // Accepted all the same: the closure is in force.
    expect(cal.sessionsOn('cz-main', 'w07', '2026-03-09')).toEqual([]);
  });

  it('announced Thu 2026-03-05 for Mon 03-09 (Thu + Fri = 2 working days) → no warning', () => {
    expect(calendarOf({ overrides: [change('2026-03-09', '2026-03-05')] }).warnings).toEqual([]);
  });

  it('holidays are not working days: announced Wed 2026-09-30 for Thu 10-08 → warning', () => {
    // 09-30 is a working day, 10-01…07 are holidays: only 1 working day of notice.
    const { warnings } = calendarOf({ overrides: [change('2026-10-08', '2026-09-30')] });
    expect(warnings.map((w) => w.code)).toEqual(['override_short_notice']);
  });

  it('调休 Saturdays count: announced Fri 2026-10-09 for Mon 10-12 (Fri + Sat 10-10) → no warning', () => {
    expect(calendarOf({ overrides: [change('2026-10-12', '2026-10-09')] }).warnings).toEqual([]);
  });

  it('announced on the day, or after it → warning; no announcedAt → no check', () => {
    const { warnings } = calendarOf({
      overrides: [
        change('2026-03-09', '2026-03-09'),
        change('2026-03-10', '2026-03-11'),
        { date: '2026-03-11', sessions: [] },
      ],
    });
    expect(warnings.map((w) => w.date)).toEqual(['2026-03-09', '2026-03-10']);
  });
});
