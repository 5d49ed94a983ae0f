// Local dates and wall-clock times in a named IANA zone, computed with Intl (never the process
// zone). Results are cached per local date, so the hot path (localDate of an instant on a day
// already seen) is two comparisons.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date; throws RangeError on anything that is not a real date. */
export function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: "${date}" (use YYYY-MM-DD)`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    throw new RangeError(`not a date: "${date}"`);
  return ms / DAY_MS;
}

/** YYYY-MM-DD of a day number (days since 1970-01-01). */
export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

const nextDates = new Map<string, string>();
/** The following date; memoised because day-by-day scans (nextBoundary) call it in a loop. */
export function nextDate(date: string): string {
  let next = nextDates.get(date);
  if (next === undefined) {
    next = addDays(date, 1);
    if (nextDates.size > 20_000) nextDates.clear();
    nextDates.set(date, next);
  }
  return next;
}

/** 0 = Sunday … 6 = Saturday: a property of the civil date, independent of any zone. */
export function weekdayOf(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

interface DaySpan {
  date: string;
  start: number;
  end: number;
}

export interface Zone {
  readonly timezone: string;
  localDate(t: number): string;
  startOfDay(date: string): number;
  /** Epoch ms of a local wall-clock time (minutes after midnight, 0..1440) on a date. */
  wallTime(date: string, minutes: number): number;
  /** "2026-03-09 10:12:00": the wall clock at t, to the second, as messages and sheets print it. */
  localDateTime(t: number): string;
}

const zones = new Map<string, Zone>();
/** The one Zone per IANA name, shared (its day spans are a cache worth keeping). */
export function zoneOf(timezone: string): Zone {
  let z = zones.get(timezone);
  if (!z) {
    z = createZone(timezone);
    zones.set(timezone, z);
  }
  return z;
}

export function createZone(timezone: string): Zone {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });

  /** Wall clock at t, as if it were UTC (ms, second resolution). */
  function wallAsUtc(t: number): number {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  }
  /** UTC offset (ms) in force at t. */
  function offsetAt(t: number): number {
    const whole = Math.floor(t / 1000) * 1000;
    return wallAsUtc(whole) - whole;
  }
  /** Earliest instant whose wall clock is at or after `wall` (a wall time in a DST gap moves forward). */
  function fromWall(wall: number): number {
    const o1 = offsetAt(wall - offsetAt(wall));
    let t = wall - o1;
    const o2 = offsetAt(t);
    if (o2 !== o1) {
      // Near a transition: try both offsets; keep the earliest instant whose wall clock is >= wall.
      const cands = [wall - o1, wall - o2].sort((a, b) => a - b);
      t = cands.find((c) => c + offsetAt(c) >= wall) ?? cands[1]!;
    }
    return t;
  }

  const spans = new Map<string, DaySpan>();
  let last: DaySpan | null = null;

  function span(date: string): DaySpan {
    let s = spans.get(date);
    if (!s) {
      const n = dayNumber(date);
      s = { date, start: fromWall(n * DAY_MS), end: fromWall((n + 1) * DAY_MS) };
      if (spans.size > 20_000) spans.clear(); // bounded: a long replay must not grow memory forever
      spans.set(date, s);
    }
    return s;
  }

  function localDate(t: number): string {
    if (last && t >= last.start && t < last.end) return last.date;
    // Guess with the last known offset, verify against the exact day span, else ask Intl.
    let date: string;
    if (last) {
      const guessOffset = dayNumber(last.date) * DAY_MS - last.start;
      date = dateOfDayNumber(Math.floor((t + guessOffset) / DAY_MS));
      const s = span(date);
      if (t >= s.start && t < s.end) {
        last = s;
        return date;
      }
    }
    date = dateOfDayNumber(Math.floor(wallAsUtc(Math.floor(t / 1000) * 1000) / DAY_MS));
    last = span(date);
    return date;
  }

  return {
    timezone,
    localDate,
    startOfDay: (date) => span(date).start,
    wallTime(date, minutes) {
      if (minutes === 0) return span(date).start;
      if (minutes === 1440) return span(date).end;
      return fromWall(dayNumber(date) * DAY_MS + minutes * 60_000);
    },
    localDateTime: (t) =>
      new Date(wallAsUtc(Math.floor(t / 1000) * 1000)).toISOString().slice(0, 19).replace('T', ' '),
  };
}
