// Property tests (fast-check): whatever the templates and overrides, the calendar's answers agree
// with each other and with the definition of a half-open session.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendar, type ServiceCalendar } from '../../../core/calendar/index.ts';
import { addDays } from '../../../core/calendar/zone.ts';
import { parseConfig } from '../../../core/config/index.ts';
import { calendarOf } from './hall.ts';

const DAY = 86_400_000;
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** A day's sessions: disjoint, sorted, touching allowed ("12:00-13:00", "13:00-14:00": R25 merges them). */
const sessionList = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 }).map((ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) out.push(`${hhmm(sorted[i]!)}-${hhmm(sorted[i + 1]!)}`);
  return out;
});
const KEYS = ['mon-fri', 'mon', 'wed', 'fri', 'sat', 'sun', 'sat-sun', 'fri-mon', 'tue-thu'];
const weekly = fc.dictionary(fc.constantFrom(...KEYS), sessionList, { maxKeys: 4 });
const dateIn = (from: string, days: number) => fc.integer({ min: 0, max: days }).map((n) => addDays(from, n));
const dated = fc.record(
  {
    date: dateIn('2026-01-01', 450),
    sessions: sessionList,
    counters: fc.constantFrom(undefined, ['w01'], ['w02']),
  },
  { requiredKeys: ['date', 'sessions'] },
);
// R25: ranges (working days only, or `days`) and weekly exceptions.
const ranged = fc
  .record(
    {
      from: dateIn('2026-01-01', 450),
      span: fc.integer({ min: 0, max: 60 }),
      sessions: sessionList,
      days: fc.constantFrom(undefined, 'all' as const, ['sat'], ['mon', 'fri']),
      counters: fc.constantFrom(undefined, ['w01'], ['w02']),
    },
    { requiredKeys: ['from', 'span', 'sessions'] },
  )
  .map(({ span, ...o }) => ({ ...o, to: addDays(o.from, span) }));
const weeklyException = fc.record(
  {
    every: fc.constantFrom('mon', 'wed', 'sat'),
    sessions: sessionList,
    counters: fc.constantFrom(undefined, ['w01'], ['w02']),
  },
  { requiredKeys: ['every', 'sessions'] },
);
const override = fc.oneof(dated, ranged, weeklyException);
const world = fc.record({
  timezone: fc.constantFrom('Asia/Shanghai', 'Asia/Shanghai', 'America/New_York'),
  calendar: fc.constantFrom('cn' as const, 'none' as const),
  hall: weekly,
  w01: fc.option(weekly, { nil: undefined }),
  w02extra: fc.option(weekly, { nil: undefined }),
  overrides: fc.array(override, { maxLength: 3 }),
});
type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

function build(w: World): ServiceCalendar {
  const config = parseConfig(
    {
      timezone: w.timezone,
      halls: [
        {
          id: 'h1',
          name: '测试大厅',
          calendar: w.calendar,
          sessions: w.hall,
          overrides: w.overrides.map((o) =>
            Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
          ),
          counters: [
            { id: 'w01', name: '1', seats: ['s1'], ...(w.w01 ? { sessions: w.w01 } : {}) },
            { id: 'w02', name: '2', seats: ['s1'], ...(w.w02extra ? { extraSessions: w.w02extra } : {}) },
          ],
        },
      ],
    },
    {},
  );
  return createCalendar(config, { warnEveryMs: 0 });
}

const COUNTERS = ['w01', 'w02', null] as const;
const FROM = Date.parse('2025-12-20T00:00:00Z');
const instant = fc.integer({ min: FROM, max: FROM + 500 * DAY });
const RUNS = { numRuns: 150 };

describe('calendar properties', () => {
  it('sessions of a day are ordered, disjoint, non-empty, inside the day and indexed 0..n-1', () => {
    fc.assert(
      fc.property(world, dateIn('2025-12-20', 500), fc.constantFrom(...COUNTERS), (w, date, counter) => {
        const cal = build(w);
        const s = cal.sessionsOn('h1', counter, date);
        const dayStart = cal.startOfDay(date);
        const dayEnd = cal.startOfDay(addDays(date, 1));
        s.forEach((x, i) => {
          expect(x.index).toBe(i);
          expect(x.localDate).toBe(date);
          expect(x.start).toBeLessThan(x.end);
          expect(x.start).toBeGreaterThanOrEqual(dayStart);
          expect(x.end).toBeLessThanOrEqual(dayEnd);
          if (i > 0) expect(x.start).toBeGreaterThanOrEqual(s[i - 1]!.end);
        });
      }),
      RUNS,
    );
  });

  it('sessionsBetween agrees with sessionsOn of the dates it spans', () => {
    fc.assert(
      fc.property(
        world,
        instant,
        fc.integer({ min: 0, max: 9 * DAY }),
        fc.constantFrom(...COUNTERS),
        (w, from, len, c) => {
          const cal = build(w);
          const to = from + len;
          const expected = [];
          for (let d = cal.localDate(from - DAY); d <= cal.localDate(to + DAY); d = addDays(d, 1))
            // [from, to) overlaps a session when both intersect; an empty range overlaps nothing.
            expected.push(
              ...cal.sessionsOn('h1', c, d).filter((s) => from < to && s.start < to && s.end > from),
            );
          expect(cal.sessionsBetween('h1', c, from, to)).toEqual(expected);
        },
      ),
      RUNS,
    );
  });

  it('nextBoundary(t) is > t, a real start or end, with no boundary strictly between', () => {
    fc.assert(
      fc.property(world, instant, fc.constantFrom(...COUNTERS), (w, t, c) => {
        const cal = build(w);
        const horizon = 10;
        const nb = cal.nextBoundary('h1', c, t, horizon);
        const around = cal.sessionsBetween('h1', c, t - DAY, t + (horizon + 2) * DAY);
        const boundaries = around.flatMap((s) => [s.start, s.end]).filter((b) => b > t);
        if (nb === null) {
          // Nothing within the horizon: every later boundary lies past the searched days.
          const searchedTo = cal.startOfDay(addDays(cal.localDate(t), horizon + 1));
          expect(boundaries.every((b) => b > searchedTo)).toBe(true);
        } else {
          expect(nb).toBeGreaterThan(t);
          expect(boundaries).toContain(nb);
          expect(Math.min(...boundaries)).toBe(nb);
        }
      }),
      RUNS,
    );
  });

  it('isInSession(t) iff sessionAt(t) != null, and sessionAt(t) contains t', () => {
    fc.assert(
      fc.property(world, instant, fc.constantFrom(...COUNTERS), (w, t, c) => {
        const cal = build(w);
        const s = cal.sessionAt('h1', c, t);
        expect(cal.isInSession('h1', c, t)).toBe(s !== null);
        if (s) expect(s.start <= t && t < s.end).toBe(true);
        const containing = cal.sessionsBetween('h1', c, t, t + 1);
        expect(containing).toEqual(s ? [s] : []);
      }),
      RUNS,
    );
  });

  it('a day holds the template seconds on a workday (Monday template on 调休 days) and 0 on a holiday', () => {
    const weekdayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    fc.assert(
      fc.property(
        fc.record({
          mon: sessionList,
          tue: sessionList,
          wed: sessionList,
          thu: sessionList,
          fri: sessionList,
          sat: sessionList,
          sun: sessionList,
        }),
        dateIn('2026-01-01', 364),
        (template, date) => {
          const w: World = {
            timezone: 'Asia/Shanghai',
            calendar: 'cn',
            hall: template,
            overrides: [],
            w01: undefined,
            w02extra: undefined,
          };
          const cal = build(w);
          const seconds = (list: string[]) =>
            list.reduce((n, r) => {
              const [a, b] = r.split('-').map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)));
              return n + (b! - a!) * 60;
            }, 0);
          const kind = cal.dayKind(date);
          const firstWeekday =
            ['mon', 'tue', 'wed', 'thu', 'fri'].find((d) => template[d as 'mon'].length) ?? 'mon';
          const key =
            kind === 'adjustedWorkday'
              ? firstWeekday
              : weekdayNames[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
          const expected =
            kind === 'statutoryHoliday' || kind === 'inLieuDayOff' ? 0 : seconds(template[key as 'mon']);
          const got = cal.sessionsOn('h1', null, date).reduce((n, s) => n + (s.end - s.start) / 1000, 0);
          expect(got).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the DOMAIN hall: every day of 2026 holds 23,400 s on a workday or 调休 day and 0 otherwise', () => {
    const { cal, warnings } = calendarOf();
    let workdays = 0;
    for (let d = '2026-01-01'; d < '2027-01-01'; d = addDays(d, 1)) {
      const kind = cal.dayKind(d);
      const open = kind === 'workday' || kind === 'adjustedWorkday';
      const seconds = cal.sessionsOn('cz-main', 'w07', d).reduce((n, s) => n + (s.end - s.start) / 1000, 0);
      expect(seconds).toBe(open ? 23_400 : 0);
      if (open) workdays++;
    }
    // 261 Mon–Fri days − 19 of them statutory holidays/days off + 6 调休 weekend workdays = 248.
    expect(workdays).toBe(248);
    expect(warnings).toEqual([]);
  });
});
