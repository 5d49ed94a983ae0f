// DOMAIN §5 scenarios as far as they concern the calendar (S09, S10, S15, S20) and R1 basics.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config.ts';
import { type CalendarWarning, createCalendar } from '../../../core/calendar/index.ts';
import { at, calendarOf, hours } from './hall.ts';

const WEEKDAY = ['09:00-12:00', '13:30-17:00'];

describe('R1 weekly template', () => {
  const { cal } = calendarOf();

  it('ordinary working day Mon 2026-03-09: 09:00–12:00 and 13:30–17:00, indexed 0 and 1', () => {
    const s = cal.sessionsOn('cz-main', 'w07', '2026-03-09');
    expect(hours(s)).toEqual(WEEKDAY);
    expect(s.map((x) => x.index)).toEqual([0, 1]);
    expect(s.every((x) => x.localDate === '2026-03-09')).toBe(true);
    expect(cal.dayKind('2026-03-09')).toBe('workday');
  });

  it('lunch boundary: in session until 11:59:59.999, closed from 12:00:00 to 13:29:59.999', () => {
    expect(cal.isInSession('cz-main', 'w07', at('2026-03-09', '11:59:59.999'))).toBe(true);
    expect(cal.isInSession('cz-main', 'w07', at('2026-03-09', '12:00'))).toBe(false);
    expect(cal.sessionAt('cz-main', 'w07', at('2026-03-09', '12:00'))).toBeNull();
    expect(cal.isInSession('cz-main', 'w07', at('2026-03-09', '13:29:59.999'))).toBe(false);
    expect(cal.sessionAt('cz-main', 'w07', at('2026-03-09', '13:30'))?.index).toBe(1);
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-03-09', '11:52'))).toBe(at('2026-03-09', '12:00'));
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-03-09', '12:00'))).toBe(at('2026-03-09', '13:30'));
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-03-09', '13:30'))).toBe(at('2026-03-09', '17:00'));
  });

  it('after the Friday close the next boundary is Monday 09:00, skipping the weekend', () => {
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-03-13', '17:00'))).toBe(at('2026-03-16', '09:00'));
  });

  it('the hall itself (counter null) follows the hall template', () => {
    expect(hours(cal.sessionsOn('cz-main', null, '2026-03-09'))).toEqual(WEEKDAY);
    expect(cal.sessionsOn('cz-main', null, '2026-03-07')).toEqual([]);
  });

  it('counter `sessions` replaces the hall template', () => {
    const { cal: c } = calendarOf({
      counters: [{ id: 'w01', name: '1号窗口', seats: ['s1'], sessions: { 'mon-fri': ['08:30-17:30'] } }],
    });
    expect(hours(c.sessionsOn('cz-main', 'w01', '2026-03-09'))).toEqual(['08:30-17:30']);
    expect(hours(c.sessionsOn('cz-main', null, '2026-03-09'))).toEqual(WEEKDAY);
  });

  it('a single-day key beats a range for that day; 24:00 ends at the next local midnight', () => {
    const { cal: c } = calendarOf({ sessions: { 'mon-fri': WEEKDAY, wed: ['09:00-12:00', '13:30-24:00'] } });
    expect(hours(c.sessionsOn('cz-main', 'w07', '2026-03-11'))).toEqual(['09:00-12:00', '13:30-24:00']);
    expect(c.sessionsOn('cz-main', 'w07', '2026-03-11')[1]!.end).toBe(Date.parse('2026-03-11T16:00:00Z'));
    expect(hours(c.sessionsOn('cz-main', 'w07', '2026-03-10'))).toEqual(WEEKDAY);
  });

  it('unknown hall or counter is a clear error, not an empty answer', () => {
    expect(() => cal.sessionsOn('nope', null, '2026-03-09')).toThrow(/unknown hall "nope"/);
    expect(() => cal.isInSession('cz-main', 'w99', 0)).toThrow(/unknown counter "w99"/);
    expect(() => cal.sessionsOn('cz-main', 'w07', '2026-02-30')).toThrow(/not a date/);
    expect(() => cal.dayKind('tomorrow')).toThrow(/not a date/);
    expect(() => cal.leaveOn('cz-main', 'w07', '2026-13-01')).toThrow(/not a date/);
    expect(cal.uncoveredYears()).toEqual([]);
  });
});

describe('S09 adjusted-working-saturday', () => {
  const { cal } = calendarOf();

  it('Sat 2026-02-28 (调休上班): the weekday template applies to w07', () => {
    expect(cal.dayKind('2026-02-28')).toBe('adjustedWorkday');
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-02-28'))).toEqual(WEEKDAY);
    expect(cal.isInSession('cz-main', 'w07', at('2026-02-28', '09:00'))).toBe(true);
    // The engine's readiness window starts from here: the first boundary after 08:45 is 09:00.
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-02-28', '08:45'))).toBe(at('2026-02-28', '09:00'));
  });

  it('Sat 2026-02-28: w03 works the weekday template, not its Saturday extra session', () => {
    expect(hours(cal.sessionsOn('cz-main', 'w03', '2026-02-28'))).toEqual(WEEKDAY);
  });

  it('Sat 2026-03-07 (ordinary): only w03 has a session; w07 gets nothing all day', () => {
    expect(cal.dayKind('2026-03-07')).toBe('weekend');
    expect(hours(cal.sessionsOn('cz-main', 'w03', '2026-03-07'))).toEqual(['09:00-12:00']);
    expect(cal.sessionsOn('cz-main', 'w07', '2026-03-07')).toEqual([]);
    expect(cal.sessionsOn('cz-main', 'w12', '2026-03-07')).toEqual([]);
    expect(cal.sessionsOn('cz-main', null, '2026-03-07')).toEqual([]);
  });

  it('Sun 2026-01-04 is a working day too', () => {
    expect(cal.dayKind('2026-01-04')).toBe('adjustedWorkday');
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-01-04'))).toEqual(WEEKDAY);
  });

  it('a hall with `calendar: none` ignores 调休: Sat 2026-02-28 stays a weekend', () => {
    const { cal: c } = calendarOf({ calendar: 'none' });
    expect(c.sessionsOn('cz-main', 'w07', '2026-02-28')).toEqual([]);
    expect(hours(c.sessionsOn('cz-main', 'w07', '2026-10-01'))).toEqual(WEEKDAY);
  });
});

describe('S10 holiday', () => {
  const { cal } = calendarOf();

  it('2026-10-01…07 closed for every counter and the hall', () => {
    for (let d = 1; d <= 7; d++) {
      const date = `2026-10-0${d}`;
      for (const counter of ['w07', 'w12', 'w03', null])
        expect(cal.sessionsOn('cz-main', counter, date)).toEqual([]);
    }
    expect(cal.dayKind('2026-10-01')).toBe('statutoryHoliday');
    expect(cal.dayKind('2026-10-06')).toBe('inLieuDayOff');
  });

  it('Sat 10-03 w03 Saturday session does not run', () => {
    expect(cal.sessionsOn('cz-main', 'w03', '2026-10-03')).toEqual([]);
    expect(cal.isInSession('cz-main', 'w03', at('2026-10-03', '10:00'))).toBe(false);
  });

  it('fault on 10-05 meets no session; the next boundary is 10-08 09:00 (readiness from 08:45)', () => {
    expect(cal.isInSession('cz-main', 'w07', at('2026-10-05', '10:00'))).toBe(false);
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-10-05', '10:00'))).toBe(at('2026-10-08', '09:00'));
    expect(
      cal.sessionsBetween('cz-main', 'w07', at('2026-10-01', '00:00'), at('2026-10-08', '00:00')),
    ).toEqual([]);
  });

  it('Sat 10-10 is a working day', () => {
    expect(cal.dayKind('2026-10-10')).toBe('adjustedWorkday');
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2026-10-10'))).toEqual(WEEKDAY);
  });
});

describe('S15 timezone', () => {
  // Nothing here reads the process zone: run with TZ=UTC or any other and these hold.
  const { cal } = calendarOf();

  it('at 2026-01-03T16:30:00Z it is local 2026-01-04, a workday (adjusted)', () => {
    const t = Date.parse('2026-01-03T16:30:00Z');
    expect(cal.localDate(t)).toBe('2026-01-04');
    expect(cal.dayKind(cal.localDate(t))).toBe('adjustedWorkday');
  });

  it('first session of Sun 2026-01-04 opens 2026-01-04T01:00:00Z', () => {
    const t = Date.parse('2026-01-03T16:30:00Z');
    expect(cal.nextBoundary('cz-main', 'w07', t)).toBe(Date.parse('2026-01-04T01:00:00Z'));
    expect(cal.sessionsOn('cz-main', 'w07', '2026-01-04')[0]!.start).toBe(Date.parse('2026-01-04T01:00:00Z'));
  });

  it('daily span of 2026-03-09 is 2026-03-08T16:00:00Z–2026-03-09T16:00:00Z', () => {
    expect(cal.startOfDay('2026-03-09')).toBe(Date.parse('2026-03-08T16:00:00Z'));
    expect(cal.startOfDay('2026-03-10')).toBe(Date.parse('2026-03-09T16:00:00Z'));
    expect(cal.localDate(Date.parse('2026-03-08T16:00:00Z'))).toBe('2026-03-09');
    expect(cal.localDate(Date.parse('2026-03-08T15:59:59.999Z'))).toBe('2026-03-08');
    expect(cal.localDate(Date.parse('2026-03-09T15:59:59.999Z'))).toBe('2026-03-09');
  });

  it('timezone defaults to Asia/Shanghai', () => {
    expect(cal.timezone).toBe('Asia/Shanghai');
  });
});

describe('S20 uncovered-year', () => {
  it('2027-02-10: loud warning naming the year, health flag, weekday template applied', () => {
    const { cal, warnings } = calendarOf();
    expect(cal.uncoveredYears()).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2027-02-10'))).toEqual(WEEKDAY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'calendar_uncovered_year', year: 2027, date: '2027-02-10' });
    expect(warnings[0]!.message).toContain('no official holiday calendar for 2027');
    expect(cal.uncoveredYears()).toEqual([2027]);
    expect(cal.dayKind('2027-02-10')).toBe('uncovered');
    // Weekend fallback: Sat 2027-02-13 is closed for w07, w03 keeps its Saturday session.
    expect(cal.sessionsOn('cz-main', 'w07', '2027-02-13')).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w03', '2027-02-13'))).toEqual(['09:00-12:00']);
  });

  it('the warning repeats at most every warnEveryMs of evaluated time', () => {
    const { cal, warnings } = calendarOf({}, { warnEveryMs: 30 * 60_000 });
    const t0 = at('2027-02-10', '09:00');
    for (let m = 0; m < 120; m++) cal.isInSession('cz-main', 'w07', t0 + m * 60_000);
    // 09:00, 09:30, 10:00, 10:30 — repeated, not once and forgotten, not on every call.
    expect(warnings.map((w) => w.code)).toEqual(Array(4).fill('calendar_uncovered_year'));
  });

  it('interleaved questions about one day do not re-warn on each call', () => {
    const { cal, warnings } = calendarOf();
    for (let m = 0; m < 30; m++) {
      cal.sessionsOn('cz-main', 'w07', '2027-02-10');
      cal.isInSession('cz-main', 'w07', at('2027-02-10', '10:00') + m * 1000);
      cal.dayKind('2027-02-10');
    }
    // The first question warns; repeats follow the evaluated instants (10:00), not the date questions.
    expect(warnings).toHaveLength(2);
    cal.isInSession('cz-main', 'w07', at('2027-02-10', '11:00'));
    expect(warnings).toHaveLength(3);
  });

  it('looking ahead into an uncovered year warns before it starts (nextBoundary from 2026-12-31 17:00)', () => {
    const { cal, warnings } = calendarOf();
    // The next boundary lies in 2027, a guess: 2027-01-01 (New Year's Day) opens on the weekday
    // template because no data says otherwise — which is exactly why the warning is loud.
    expect(cal.nextBoundary('cz-main', 'w07', at('2026-12-31', '17:00'))).toBe(at('2027-01-01', '09:00'));
    expect(warnings.map((w) => w.year)).toEqual([2027]);
    expect(cal.uncoveredYears()).toEqual([2027]);
  });

  it('a day an override decides is not a guess; the rest of the year still is', () => {
    const { cal, warnings } = calendarOf({
      overrides: [{ date: '2027-02-10', sessions: [], reason: '春节' }],
    });
    expect(cal.sessionsOn('cz-main', 'w07', '2027-02-10')).toEqual([]);
    expect(warnings).toEqual([]);
    expect(hours(cal.sessionsOn('cz-main', 'w07', '2027-02-18'))).toEqual(WEEKDAY);
    expect(warnings.map((w) => w.year)).toEqual([2027]);
    expect(cal.uncoveredYears()).toEqual([2027]);
  });

  it('a covered year never warns; a `calendar: none` hall needs no holiday data', () => {
    const a = calendarOf();
    a.cal.sessionsBetween('cz-main', 'w07', at('2026-01-01', '00:00'), at('2027-01-01', '00:00'));
    expect(a.warnings).toEqual([]);
    const b = calendarOf({ calendar: 'none' });
    expect(hours(b.cal.sessionsOn('cz-main', 'w07', '2027-02-10'))).toEqual(WEEKDAY);
    expect(b.warnings).toEqual([]);
    expect(b.cal.uncoveredYears()).toEqual([]);
  });
});

describe('the shipped example hall (config/hallwatch.example.yaml)', () => {
  it('loads into a calendar: 2026-12-31 closes at noon (年终盘点), weekday sessions otherwise, no warnings', () => {
    const warnings: CalendarWarning[] = [];
    const config = loadConfig(
      new URL('../../../config/hallwatch.example.yaml', import.meta.url).pathname,
      {},
    );
    const cal = createCalendar(config, { onWarning: (w) => warnings.push(w) });
    const hall = config.halls[0]!;
    const saturday = hall.counters.find((c) => c.extraSessions?.sat)!;
    expect(hours(cal.sessionsOn(hall.id, null, '2026-12-31'))).toEqual(['09:00-12:00']);
    expect(hours(cal.sessionsOn(hall.id, 'w07', '2026-03-09'))).toEqual(WEEKDAY);
    expect(cal.sessionsOn(hall.id, 'w07', '2026-03-07')).toEqual([]);
    expect(cal.sessionsOn(hall.id, saturday.id, '2026-03-07')).not.toEqual([]);
    expect(warnings).toEqual([]);
  });
});
