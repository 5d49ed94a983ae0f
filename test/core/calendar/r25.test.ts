// R25 calendar overrides: ranges respect holidays and weekends unless `days` says otherwise,
// weekly exceptions, touching sessions merge. R26 coverage of a year by package data or overrides.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/config/index.ts';
import { at, calendarOf, hallConfig, hours } from './hall.ts';

const WEEKDAY = ['09:00-12:00', '13:30-17:00'];
const AUTUMN = ['09:00-12:00', '13:30-18:00'];
const autumn = (extra: Record<string, unknown> = {}) => ({
  overrides: [{ from: '2026-09-01', to: '2026-10-31', sessions: ['09:00-12:00', '13:30-18:00'], ...extra }],
});

describe('R25 range overrides', () => {
  it('apply to working days only: National Day, in-lieu days and weekends stay closed, 调休 Saturday opens', () => {
    const { cal } = calendarOf(autumn());
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-09-01'))).toEqual(AUTUMN);
    for (let d = 1; d <= 7; d++) expect(cal.sessionsOn('cz-main', 'w07', `2026-10-0${d}`)).toEqual([]);
    expect(cal.sessionsOn('cz-main', 'w07', '2026-09-05')).toEqual([]); // Saturday
    expect(cal.sessionsOn('cz-main', 'w07', '2026-09-06')).toEqual([]); // Sunday
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-10-10'))).toEqual(AUTUMN); // 调休上班
    expect(hours(cal.sessionsOn('cz-main', null, '2026-10-12'))).toEqual(AUTUMN);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-11-02'))).toEqual(WEEKDAY);
  });

  it('a weekend-service counter keeps its Saturday session under a weekday range', () => {
    const { cal } = calendarOf(autumn());
    expect(hours(cal.sessionsOn('cz-main', 'w03', '2026-09-05'))).toEqual(['09:00-12:00']);
    expect(cal.sessionsOn('cz-main', 'w03', '2026-10-03')).toEqual([]); // holiday Saturday
  });

  it('days: [sat] applies to the Saturdays of the range, holidays still closed', () => {
    const { cal } = calendarOf({
      overrides: [{ from: '2026-09-01', to: '2026-10-31', sessions: ['09:00-12:00'], days: ['sat'] }],
    });
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-09-05'))).toEqual(['09:00-12:00']);
    expect(cal.sessionsOn('cz-main', 'w07', '2026-10-03')).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-09-07'))).toEqual(WEEKDAY); // Monday: template
  });

  it('days: all applies to every date of the range, statutory holidays included', () => {
    const { cal } = calendarOf({
      overrides: [{ from: '2026-10-01', to: '2026-10-03', sessions: ['09:00-12:00'], days: 'all' }],
    });
    for (const d of ['2026-10-01', '2026-10-02', '2026-10-03'])
      expect(hours(cal.sessionsOn('cz-main', 'w07', d))).toEqual(['09:00-12:00']);
    expect(cal.sessionsOn('cz-main', 'w07', '2026-10-04')).toEqual([]);
  });

  it('closed: true closes the working days of a range; a dated override still opens a holiday', () => {
    const { cal } = calendarOf({
      overrides: [
        { from: '2026-03-09', to: '2026-03-15', closed: true, reason: '装修' },
        { date: '2026-10-02', sessions: ['09:00-12:00'] },
      ],
    });
    expect(cal.sessionsOn('cz-main', 'w07', '2026-03-13')).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w03', '2026-03-14'))).toEqual(['09:00-12:00']);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-10-02'))).toEqual(['09:00-12:00']);
  });
});

describe('R25 weekly exceptions', () => {
  const meeting = { every: 'mon', sessions: ['09:30-12:00', '13:30-17:00'], note: '早会' };

  it('every Monday that is a working day starts at 09:30; holidays stay closed', () => {
    const { cal } = calendarOf({ overrides: [meeting] });
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-09'))).toEqual(['09:30-12:00', '13:30-17:00']);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-10'))).toEqual(WEEKDAY);
    expect(cal.sessionsOn('cz-main', 'w07', '2026-10-05')).toEqual([]); // National Day Monday
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-03-09', '08:00'))).toBe(at('2026-03-09', '09:30'));
  });

  it('a dated or range override beats the weekly exception', () => {
    const { cal } = calendarOf({
      overrides: [meeting, { date: '2026-03-16', sessions: [] }, ...autumn().overrides],
    });
    expect(cal.sessionsOn('cz-main', 'w07', '2026-03-16')).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-09-07'))).toEqual(AUTUMN);
  });

  it('config: every with days, or with a date, is refused with a reason', () => {
    expect(() => hallConfig({ overrides: [{ ...meeting, date: '2026-03-09' }] })).toThrow(/either date/);
    expect(() => hallConfig({ overrides: [{ ...meeting, days: ['mon'] }] })).toThrow(/days is for/);
    expect(() => hallConfig({ overrides: [{ every: 'mon', sessions: [], closed: true }] })).toThrow(
      /sessions or closed/,
    );
  });
});

describe('R25 touching sessions merge', () => {
  it('13:30-17:00 plus 17:00-18:30 is one session: 17:00 is no boundary', () => {
    const { cal } = calendarOf({
      overrides: [{ date: '2026-03-10', sessions: ['09:00-12:00', '13:30-17:00', '17:00-18:30'] }],
    });
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-10'))).toEqual(['09:00-12:00', '13:30-18:30']);
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-03-10', '16:00'))).toBe(at('2026-03-10', '18:30'));
  });

  it('an extra weekday session touching the template merges too', () => {
    const { cal } = calendarOf({
      counters: [{ id: 'w07', name: '7号窗口', seats: ['s1'], extraSessions: { tue: ['17:00-18:30'] } }],
    });
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-03-10'))).toEqual(['09:00-12:00', '13:30-18:30']);
  });
});

describe('R26 year coverage', () => {
  it('2026 is covered by the package; 2027 is not and lists its seven holidays', () => {
    const { cal } = calendarOf();
    expect(cal.yearCoverage('cz-main', 2026)).toEqual({ year: 2026, covered: true, missing: [] });
    const c = cal.yearCoverage('cz-main', 2027);
    expect(c.covered).toBe(false);
    expect(c.missing).toEqual([
      '元旦 2027-01-01',
      '春节 2027-02-06',
      '清明节 2027-04-05',
      '劳动节 2027-05-01',
      '端午节 2027-06-09',
      '中秋节 2027-09-15',
      '国庆节 2027-10-01',
    ]);
  });

  it('hall-wide closures of every holiday cover the year and silence the fallback warning', () => {
    const closures = [
      { from: '2027-01-01', to: '2027-01-03', closed: true, days: 'all' },
      { from: '2027-02-06', to: '2027-02-12', closed: true, days: 'all' },
      { date: '2027-04-05', closed: true },
      { from: '2027-05-01', to: '2027-05-05', closed: true, days: 'all' },
      { date: '2027-06-09', closed: true },
      { date: '2027-09-15', closed: true },
      { from: '2027-10-01', to: '2027-10-07', closed: true, days: 'all' },
    ];
    const { cal, warnings } = calendarOf({ overrides: closures });
    expect(cal.yearCoverage('cz-main', 2027).covered).toBe(true);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2027-02-10'))).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2027-02-15'))).toEqual(WEEKDAY);
    expect(warnings).toEqual([]);
    // One holiday left out: still uncovered, and the missing one is named.
    const partial = calendarOf({ overrides: closures.slice(0, 6) }).cal.yearCoverage('cz-main', 2027);
    expect(partial).toEqual({ year: 2027, covered: false, missing: ['国庆节 2027-10-01'] });
  });

  it('a counter-only closure does not cover the hall; a `calendar: none` hall needs no data', () => {
    const { cal } = calendarOf({ overrides: [{ date: '2027-01-01', closed: true, counters: ['w07'] }] });
    expect(cal.yearCoverage('cz-main', 2027).missing).toContain('元旦 2027-01-01');
    expect(calendarOf({ calendar: 'none' }).cal.yearCoverage('cz-main', 2027).covered).toBe(true);
  });

  it('parses: closed without sessions is a valid override', () => {
    expect(() =>
      parseConfig(
        { halls: [{ ...hallConfig().halls[0], overrides: [{ date: '2027-01-01', closed: true }] }] },
        {},
      ),
    ).not.toThrow();
  });
});
