// Chinese statutory holidays and adjusted working days (调休) from the `chinese-days` package's
// data file. The years the file covers are derived from its keys, so a year it does not know is
// reported as uncovered instead of silently treated as an ordinary year.
import lunarTables from 'chinese-days';
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

/** The seven statutory holidays of a year, each by its first official day (国务院《全国年节及纪念日放假办法》). */
export interface HolidayAnchor {
  name: string;
  date: string;
}

/**
 * Where each statutory holiday of a year falls, computed (lunar dates and 清明 from the package's
 * lunar tables), so a year without official data can be checked for hand-entered closures (R26).
 */
export function holidayAnchors(year: number): HolidayAnchor[] {
  const lunar = (md: string) => lunarTables.getSolarDateFromLunar(`${year}-${md}`).date;
  const qingming = lunarTables.getSolarTerms(`${year}-04-01`, `${year}-04-10`).find((t) => t.name === '清明');
  return [
    { name: '元旦', date: `${year}-01-01` },
    { name: '春节', date: lunar('01-01') },
    { name: '清明节', date: qingming?.date ?? `${year}-04-05` },
    { name: '劳动节', date: `${year}-05-01` },
    { name: '端午节', date: lunar('05-05') },
    { name: '中秋节', date: lunar('08-15') },
    { name: '国庆节', date: `${year}-10-01` },
  ];
}
