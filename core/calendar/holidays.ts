// Chinese statutory holidays and adjusted working days (调休) from the `chinese-days` package's
// data file. The years the file covers are derived from its keys, so a year it does not know is
// reported as uncovered instead of silently treated as an ordinary year.
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { DayKind } from './types.ts';
import { weekdayOf } from './zone.ts';

interface HolidayData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

const table = data as HolidayData;

/** Years with official data: any year that has at least one statutory holiday in the file. */
export const COVERED_YEARS: ReadonlySet<number> = new Set(
  Object.keys(table.holidays).map((d) => Number(d.slice(0, 4))),
);

export function isCoveredYear(year: number): boolean {
  return COVERED_YEARS.has(year);
}

export function coveredRange(): { first: number; last: number } {
  const ys = [...COVERED_YEARS];
  return { first: Math.min(...ys), last: Math.max(...ys) };
}

export function isWeekend(date: string): boolean {
  const wd = weekdayOf(date);
  return wd === 0 || wd === 6;
}

/** The kind of a date under the Chinese official calendar (`uncovered` when there is no data). */
export function cnDayKind(date: string): DayKind {
  if (!isCoveredYear(Number(date.slice(0, 4)))) return 'uncovered';
  // The in-lieu days off are also listed as holidays; the more specific kind wins.
  if (date in table.inLieuDays) return 'inLieuDayOff';
  if (date in table.holidays) return 'statutoryHoliday';
  if (date in table.workdays) return 'adjustedWorkday';
  return isWeekend(date) ? 'weekend' : 'workday';
}

/** Name of the holiday or 调休 a date belongs to (e.g. "国庆节"), for messages. */
export function holidayNameOf(date: string): string | undefined {
  const raw = table.inLieuDays[date] ?? table.holidays[date] ?? table.workdays[date];
  return raw?.split(',')[1];
}
