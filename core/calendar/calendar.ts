// createCalendar: the ServiceCalendar of core/calendar/types.ts over the configuration.
// Pure: every answer is a function of the configuration, the holiday data and the arguments.
import type { Config, HallConfig } from '../config/schema.ts';
import { cnDayKind, coveredRange, holidayAnchors, isCoveredYear, isWeekend } from './holidays.ts';
import {
  closedByOverride,
  effectiveDate,
  isWorkingDay,
  leaveFrom,
  NOTICE_WORKING_DAYS,
  noticeWorkingDays,
  overrideSessions,
  sessionOverride,
} from './overrides.ts';
import { type MinuteRange, normalise, parseRange, resolveWeek, type WeekTemplate } from './template.ts';
import type { CalendarWarning, DayKind, ServiceCalendar, ServiceSession, YearCoverage } from './types.ts';
import { createZone, dayNumber, nextDate, weekdayOf } from './zone.ts';

export interface CalendarOptions {
  /** Receives uncovered-year warnings (repeated) and R2 short-notice warnings (once, at creation). */
  onWarning?: (w: CalendarWarning) => void;
  /** Minimum spacing of repeated uncovered-year warnings, in evaluated time (default 1 h). */
  warnEveryMs?: number;
}

interface CounterPlan {
  counter: string | null;
  /** The counter's `sessions` if given, else the hall's template. */
  base: WeekTemplate;
  /** `extraSessions` (weekend service etc.), added on ordinary days only. */
  extra: WeekTemplate;
  /** Built days; the engine asks about the same day thousands of times. */
  days: Map<string, DayPlan>;
  last: DayPlan | null;
}

interface HallPlan {
  hall: HallConfig;
  plans: Map<string, CounterPlan>; // '' = the hall itself
  /** R26 coverage per year (the configuration does not change under a calendar). */
  coverage: Map<number, YearCoverage>;
}

interface DayPlan {
  date: string;
  sessions: readonly ServiceSession[];
  /** The template was applied to a year without official holiday data (warn on every use). */
  guessed: boolean;
}

const CLOSED_KINDS: ReadonlySet<DayKind> = new Set(['statutoryHoliday', 'inLieuDayOff']);
const MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5];
const HALL_KEY = '';

/**
 * The weekday whose template an adjusted workday (调休上班日) uses: the first of Monday–Friday
 * with sessions (Monday in an ordinary hall). The official notices do not pair a 补班 day with
 * a particular weekday, so a fixed, documented choice beats a guess per holiday.
 */
function adjustedWeekday(plan: CounterPlan): number {
  return MONDAY_TO_FRIDAY.find((d) => plan.base[d]!.length > 0) ?? 1;
}

export function createCalendar(config: Config, opts: CalendarOptions = {}): ServiceCalendar {
  const zone = createZone(config.timezone);
  const warnEveryMs = opts.warnEveryMs ?? 3_600_000;
  const halls = new Map<string, HallPlan>();
  for (const hall of config.halls) {
    const hallWeek = resolveWeek(hall.sessions);
    const plan = (counter: string | null, base: WeekTemplate, extra: WeekTemplate): CounterPlan => ({
      counter,
      base,
      extra,
      days: new Map(),
      last: null,
    });
    const plans = new Map<string, CounterPlan>([[HALL_KEY, plan(null, hallWeek, resolveWeek(undefined))]]);
    for (const c of hall.counters)
      plans.set(
        c.id,
        plan(c.id, c.sessions ? resolveWeek(c.sessions) : hallWeek, resolveWeek(c.extraSessions)),
      );
    halls.set(hall.id, { hall, plans, coverage: new Map() });
  }

  // --- uncovered years: recorded for the health flag, warned loudly and repeatedly ---
  const uncovered = new Set<number>();
  const lastWarnedAt = new Map<number, number>();
  const warnedYears = new Set<number>();
  const { first, last } = coveredRange();
  /**
   * `at` is the evaluated instant of a timestamped question; date-only questions (sessionsOn,
   * dayKind) pass null: they raise the flag and warn the first time, but do not drive repeats,
   * so asking about next week does not push the repeat schedule ahead of the clock.
   */
  function noteGuess(date: string, at: number | null): void {
    const year = Number(date.slice(0, 4));
    uncovered.add(year);
    const prev = lastWarnedAt.get(year);
    if (at === null) {
      if (warnedYears.has(year)) return;
    } else {
      // A high-water mark on evaluated time: a replay of earlier hours does not repeat itself.
      if (prev !== undefined && at < prev + warnEveryMs) return;
      lastWarnedAt.set(year, at);
    }
    warnedYears.add(year);
    opts.onWarning?.({
      code: 'calendar_uncovered_year',
      year,
      date,
      message:
        `no official holiday calendar for ${year} (chinese-days covers ${first}–${last}): ` +
        `${date} uses the Monday–Friday/weekend template, statutory holidays and 调休 are NOT applied; ` +
        `update chinese-days or add dated overrides (无${year}年法定节假日数据)`,
    });
  }

  function hallPlan(hallId: string): HallPlan {
    const h = halls.get(hallId);
    if (!h) throw new RangeError(`unknown hall "${hallId}"`);
    return h;
  }
  function counterPlan(h: HallPlan, counter: string | null): CounterPlan {
    const p = h.plans.get(counter ?? HALL_KEY);
    if (!p) throw new RangeError(`unknown counter "${counter}" in hall "${h.hall.id}"`);
    return p;
  }

  /**
   * R26: a year is covered by the package's official data, or by hall-wide overrides that close
   * the first day of each of the seven statutory holidays. A hall without the Chinese calendar
   * needs no holiday data.
   */
  function yearCoverage(h: HallPlan, year: number): YearCoverage {
    let c = h.coverage.get(year);
    if (!c) {
      if (h.hall.calendar !== 'cn' || isCoveredYear(year)) c = { year, covered: true, missing: [] };
      else {
        const missing = holidayAnchors(year)
          .filter((a) => !closedByOverride(h.hall, a.date))
          .map((a) => `${a.name} ${a.date}`);
        c = { year, covered: missing.length === 0, missing };
      }
      h.coverage.set(year, c);
    }
    return c;
  }

  function buildDay(h: HallPlan, plan: CounterPlan, date: string): DayPlan {
    const counter = plan.counter;
    const kind: DayKind =
      h.hall.calendar === 'cn' ? cnDayKind(date) : isWeekend(date) ? 'weekend' : 'workday';
    const override = sessionOverride(h.hall, counter, date, kind);
    let ranges: MinuteRange[];
    let guessed = false;
    if (override) ranges = overrideSessions(override)!.map(parseRange);
    else if (CLOSED_KINDS.has(kind)) ranges = [];
    else {
      const wd = kind === 'adjustedWorkday' ? adjustedWeekday(plan) : weekdayOf(date);
      ranges = [...plan.base[wd]!, ...plan.extra[wd]!];
      guessed = kind === 'uncovered' && !yearCoverage(h, Number(date.slice(0, 4))).covered;
    }
    const sessions = normalise(ranges).map(([s, e], index) =>
      Object.freeze({ start: zone.wallTime(date, s), end: zone.wallTime(date, e), localDate: date, index }),
    );
    return { date, sessions: Object.freeze(sessions), guessed };
  }

  function day(
    hallId: string,
    counter: string | null,
    date: string,
    at: number | null,
  ): readonly ServiceSession[] {
    const h = hallPlan(hallId);
    const plan = counterPlan(h, counter);
    let d = plan.last;
    if (d?.date !== date) {
      d = plan.days.get(date) ?? null;
      if (!d) {
        d = buildDay(h, plan, date);
        if (plan.days.size > 5_000) plan.days.clear(); // bounded over a long replay
        plan.days.set(date, d);
      }
      plan.last = d;
    }
    if (d.guessed) noteGuess(date, at);
    return d.sessions;
  }

  function dayKind(date: string): DayKind {
    dayNumber(date); // rejects what is not a date before it could be flagged as a year
    const kind = cnDayKind(date);
    if (kind === 'uncovered') noteGuess(date, null);
    return kind;
  }

  function sessionAt(hall: string, counter: string | null, t: number): ServiceSession | null {
    for (const s of day(hall, counter, zone.localDate(t), t)) if (t >= s.start && t < s.end) return s;
    return null;
  }

  const calendar: ServiceCalendar = {
    timezone: config.timezone,
    localDate: zone.localDate,
    startOfDay: zone.startOfDay,
    dayKind,
    sessionsOn: (hall, counter, date) => [...day(hall, counter, date, null)],
    sessionsBetween(hall, counter, from, to) {
      const out: ServiceSession[] = [];
      if (!(to > from)) return out;
      const lastDate = zone.localDate(to - 1);
      for (let date = zone.localDate(from); ; date = nextDate(date)) {
        for (const s of day(hall, counter, date, from)) if (s.start < to && s.end > from) out.push(s);
        if (date >= lastDate) break;
      }
      return out;
    },
    sessionAt,
    isInSession: (hall, counter, t) => sessionAt(hall, counter, t) !== null,
    nextBoundary(hall, counter, t, horizonDays = 31) {
      let date = zone.localDate(t);
      for (let i = 0; i <= horizonDays; i++, date = nextDate(date))
        for (const s of day(hall, counter, date, t)) {
          if (s.start > t) return s.start;
          if (s.end > t) return s.end;
        }
      return null;
    },
    leaveOn: (hall, counter, date) => {
      counterPlan(hallPlan(hall), counter);
      dayNumber(date);
      return leaveFrom(hallPlan(hall).hall, counter, date);
    },
    uncoveredYears: () => [...uncovered].sort((a, b) => a - b),
    yearCoverage: (hall, year) => yearCoverage(hallPlan(hall), year),
  };

  // R2: a timetable change needs 2 working days' notice; accepted, but warned once at start.
  for (const { hall } of halls.values()) {
    const workingDay = (date: string) =>
      isWorkingDay(hall.calendar === 'cn' ? cnDayKind(date) : isWeekend(date) ? 'weekend' : 'workday', date);
    for (const o of hall.overrides) {
      const date = effectiveDate(o);
      if (!o.announcedAt || date === null) continue;
      const notice = noticeWorkingDays(o.announcedAt, date, workingDay);
      if (notice >= NOTICE_WORKING_DAYS) continue;
      opts.onWarning?.({
        code: 'override_short_notice',
        hall: hall.id,
        date,
        message:
          `override for ${date}${o.reason ? ` (${o.reason})` : ''} in hall ${hall.id} was announced ` +
          `${o.announcedAt}, ${notice} working day(s) ahead; R2 asks for ${NOTICE_WORKING_DAYS} ` +
          `(服务时间调整应至少提前2个工作日通知)`,
      });
    }
  }
  return calendar;
}
