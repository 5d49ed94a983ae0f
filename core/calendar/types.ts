// The service calendar's questions (DOMAIN R1, R2, R19, R20). Pure: no I/O, no Date.now().

/** One service session: half-open [start, end) in epoch ms, from local wall-clock times. */
export interface ServiceSession {
  start: number;
  end: number;
  /** Local date (Asia/Shanghai by default) the session belongs to, YYYY-MM-DD. */
  localDate: string;
  /** 0 for the first session of that service day, 1 for the next… */
  index: number;
}

export type DayKind =
  | 'workday'
  | 'weekend'
  | 'statutoryHoliday'
  | 'adjustedWorkday' // 调休上班日: weekday template applies
  | 'inLieuDayOff' // 调休放假日
  | 'uncovered'; // no holiday data for the year: weekday/weekend fallback

export interface ApprovedLeave {
  staff: string;
  cover?: string;
}

/** R26: whether a hall's calendar knows a year's statutory holidays. */
export interface YearCoverage {
  year: number;
  /** Official data in the package, overrides closing every statutory holiday, or no holiday calendar. */
  covered: boolean;
  /** Holidays ("春节 2027-02-06") no hall-wide override closes, when not covered. */
  missing: string[];
}

export interface CalendarWarning {
  code: 'calendar_uncovered_year' | 'override_short_notice';
  message: string;
  year?: number;
  hall?: string;
  date?: string;
}

export interface ServiceCalendar {
  readonly timezone: string;
  /** Local date of an instant in the calendar's time zone. */
  localDate(t: number): string;
  /** Epoch ms of local midnight starting that date. */
  startOfDay(localDate: string): number;
  dayKind(localDate: string): DayKind;
  /** Sessions of a counter (or of the hall when counter is null) on a local date, in order. */
  sessionsOn(hall: string, counter: string | null, localDate: string): ServiceSession[];
  /** Sessions overlapping [from, to), in order. */
  sessionsBetween(hall: string, counter: string | null, from: number, to: number): ServiceSession[];
  /** The session containing t, if any. */
  sessionAt(hall: string, counter: string | null, t: number): ServiceSession | null;
  isInSession(hall: string, counter: string | null, t: number): boolean;
  /** The first session start or end strictly after t (searches ahead up to `horizonDays`, default 31); null if none. */
  nextBoundary(hall: string, counter: string | null, t: number, horizonDays?: number): number | null;
  /** Approved leave (dated overrides with `leave`) for a counter on a date. */
  leaveOn(hall: string, counter: string, localDate: string): ApprovedLeave[];
  /** Years evaluated without official holiday data (the admin health flag). */
  uncoveredYears(): number[];
  /** R26: does the hall's calendar know the year's statutory holidays (package data or overrides)? */
  yearCoverage(hall: string, year: number): YearCoverage;
}
