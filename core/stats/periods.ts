// Local periods (day, ISO week, month, year) and the roll-up of day facts into the numbers an
// assessor reads. Seconds are whole and the five parts add up to the scheduled seconds exactly.
import { addDays, dayNumber, weekdayOf } from '../calendar/zone.ts';
import { type DayFacts, type SummableFacts, ZERO_FACTS } from './types.ts';

export type PeriodUnit = 'day' | 'week' | 'month' | 'year';

/** Period key of a local date: 2026-03-09, 2026-W11 (ISO week, Monday first), 2026-03, 2026. */
export function periodKey(localDate: string, by: PeriodUnit): string {
  switch (by) {
    case 'day':
      return localDate;
    case 'month':
      return localDate.slice(0, 7);
    case 'year':
      return localDate.slice(0, 4);
    case 'week': {
      // ISO 8601: the week belongs to the year of its Thursday.
      const iso = (weekdayOf(localDate) + 6) % 7; // Monday 0 … Sunday 6
      const thursday = addDays(localDate, 3 - iso);
      const year = thursday.slice(0, 4);
      const week = Math.floor((dayNumber(thursday) - dayNumber(`${year}-01-01`)) / 7) + 1;
      return `${year}-W${String(week).padStart(2, '0')}`;
    }
  }
}

/** First local date of a period key. */
export function periodFirstDate(key: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return key;
  if (/^\d{4}-\d{2}$/.test(key)) return `${key}-01`;
  if (/^\d{4}$/.test(key)) return `${key}-01-01`;
  const m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!m) throw new RangeError(`not a period key: ${key}`);
  const jan4 = `${m[1]}-01-04`; // always in ISO week 1
  const monday = addDays(jan4, -((weekdayOf(jan4) + 6) % 7));
  return addDays(monday, (Number(m[2]) - 1) * 7);
}

/** First local date after a period. */
export function periodNextDate(key: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return addDays(key, 1);
  if (/^\d{4}-W\d{2}$/.test(key)) return addDays(periodFirstDate(key), 7);
  if (/^\d{4}-\d{2}$/.test(key)) {
    const y = Number(key.slice(0, 4));
    const mo = Number(key.slice(5, 7));
    return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
  }
  return `${Number(key) + 1}-01-01`;
}

export function sumFacts(list: readonly SummableFacts[]): SummableFacts {
  const total: SummableFacts = { ...ZERO_FACTS };
  const keys = Object.keys(ZERO_FACTS) as (keyof SummableFacts)[];
  for (const f of list) for (const k of keys) total[k] += f[k];
  return total;
}

/** Day facts grouped by period key (and any extra key), in period order. */
export function groupFacts(
  days: readonly DayFacts[],
  by: PeriodUnit,
  keyOf: (d: DayFacts) => string = () => '',
): Map<string, { period: string; key: string; facts: SummableFacts }> {
  const groups = new Map<string, { period: string; key: string; list: DayFacts[] }>();
  for (const d of days) {
    const period = periodKey(d.localDate, by);
    const key = keyOf(d);
    const id = `${key}\u0000${period}`;
    let g = groups.get(id);
    if (!g) {
      g = { period, key, list: [] };
      groups.set(id, g);
    }
    g.list.push(d);
  }
  const out = new Map<string, { period: string; key: string; facts: SummableFacts }>();
  for (const id of [...groups.keys()].sort()) {
    const g = groups.get(id)!;
    out.set(id, { period: g.period, key: g.key, facts: sumFacts(g.list) });
  }
  return out;
}

/**
 * Whole seconds of the parts that add up to the whole seconds of `totalMs` exactly
 * (largest-remainder rounding), so no rounding makes a report disagree with itself.
 */
export function wholeSeconds(
  totalMs: number,
  partsMs: readonly number[],
): { total: number; parts: number[] } {
  const total = Math.round(totalMs / 1000);
  const exact = partsMs.map((p) => (totalMs > 0 ? (p / totalMs) * total : 0));
  const parts = exact.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; rest > 0 && k < order.length; k++, rest--) parts[order[k]!.i]!++;
  return { total, parts };
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);
const round1 = (ms: number) => Math.round(ms / 100) / 10;

/** The numbers of docs/statistics.md from summed facts (see reports/types.ts UptimeStats). */
export function uptimeStats(f: SummableFacts) {
  const { total, parts } = wholeSeconds(f.scheduledMs, [
    f.staffedMs,
    f.awayMs,
    f.pausedMs,
    f.unattendedMs,
    f.unknownMs,
  ]);
  const [staffed, away, paused, unattended, unknown] = parts as [number, number, number, number, number];
  const openingsKnown = f.sessions - f.sessionsUnknownAtOpening;
  return {
    scheduledSeconds: total,
    staffedSeconds: staffed,
    awaySeconds: away,
    pausedSeconds: paused,
    unattendedSeconds: unattended,
    unknownSeconds: unknown,
    onPostRate: ratio(f.staffedMs, f.scheduledMs - f.unknownMs),
    sensorCoverage: f.scheduledMs > 0 ? 1 - f.unknownMs / f.scheduledMs : null,
    absenceCount: f.absences,
    meanAbsenceSeconds: f.absences > 0 ? round1(f.absenceMs / f.absences) : null,
    overLimitAbsences: f.overLimitAbsences,
    interruptionCount: f.interruptions,
    earlyLeaveSeconds: Math.round(f.earlyLeaveMs / 1000),
    sessions: f.sessions,
    sessionsUnknownAtOpening: f.sessionsUnknownAtOpening,
    onTimeOpenings: f.onTimeOpenings,
    lateOpenings: f.lateOpenings,
    meanLateSeconds: f.lateOpenings > 0 ? round1(f.lateMs / f.lateOpenings) : null,
    onTimeOpeningRate: ratio(f.onTimeOpenings, openingsKnown),
    firstSessions: f.firstSessions,
    readySessions: f.readySessions,
    readinessRate: ratio(f.readySessions, f.firstSessionsKnown),
    pausedOverLimit: Math.round(f.pausedOverLimitMs / 1000),
    understaffed: Math.round(f.understaffedMs / 1000),
    lateArrivals: f.lateArrivals,
    waitingAffected: f.waitingAffected,
    voided: f.voided,
  };
}
