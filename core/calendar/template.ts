// Weekly templates of the configuration (`mon-fri: ["09:00-12:00", "13:30-17:00"]`) resolved to
// per-weekday session lists in minutes after local midnight.

/** [start, end) in minutes after local midnight; end may be 1440 (24:00). */
export type MinuteRange = readonly [number, number];
/** Index 0 = Sunday … 6 = Saturday (as Date#getUTCDay). */
export type WeekTemplate = ReadonlyArray<readonly MinuteRange[]>;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** "09:00-12:00" → [540, 720]. The configuration schema already validated the shape. */
export function parseRange(text: string): MinuteRange {
  const [a, b] = text.split('-');
  const start = minutesOf(a!);
  const end = minutesOf(b!);
  if (!(start >= 0 && end <= 1440 && start < end)) throw new RangeError(`invalid session "${text}"`);
  return [start, end];
}

/** Weekdays a key names: `sat` → [6]; `mon-fri` → [1..5]; a range may wrap (`fri-mon`). */
export function daysOfKey(key: string): number[] {
  const [a, b = a] = key.split('-');
  const from = DAYS.indexOf(a as (typeof DAYS)[number]);
  const to = DAYS.indexOf(b as (typeof DAYS)[number]);
  if (from < 0 || to < 0) throw new RangeError(`invalid weekday key "${key}"`);
  const out: number[] = [];
  for (let d = from; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === to) break;
  }
  return out;
}

/**
 * Resolves a weekly template. When keys overlap (`mon-fri` and `wed`), the key naming fewer days
 * wins for the days it names, so a single-day exception can be written next to a range.
 */
export function resolveWeek(weekly: Record<string, string[]> | undefined): WeekTemplate {
  const week: MinuteRange[][] = [[], [], [], [], [], [], []];
  if (!weekly) return week;
  const width = [99, 99, 99, 99, 99, 99, 99];
  const keys = Object.keys(weekly).sort((x, y) => daysOfKey(y).length - daysOfKey(x).length);
  for (const key of keys) {
    const days = daysOfKey(key);
    const ranges = weekly[key]!.map(parseRange).sort((x, y) => x[0] - y[0]);
    for (const d of days)
      if (days.length <= width[d]!) {
        week[d] = ranges;
        width[d] = days.length;
      }
  }
  return week;
}

/**
 * Sorts and merges overlapping and touching ranges (R25): `13:30-17:00` plus an extra
 * `17:00-18:30` is one session, so 17:00 is no boundary (no late opening, no early leave).
 */
export function normalise(ranges: readonly MinuteRange[]): MinuteRange[] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const prev = out[out.length - 1];
    if (prev && s <= prev[1]) prev[1] = Math.max(prev[1], e);
    else out.push([s, e]);
  }
  return out;
}
