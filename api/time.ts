// Instants in query strings: epoch ms, an ISO 8601 date-time, or a local date (YYYY-MM-DD, taken
// as local midnight in the configured time zone, so ?from=2026-03-09 means what a hall means).
import { dayNumber, zoneOf } from '../core/calendar/zone.ts';
import { badField } from './errors.ts';

/** The pattern the schemas use; the handler still checks that the date exists. */
export const INSTANT_PATTERN =
  '^(\\d{10,14}|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:?\\d{2})?)?)$';
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** A YYYY-MM-DD that exists, or a 400 naming the field. */
export function parseLocalDate(field: string, text: string): string {
  try {
    dayNumber(text);
    return text;
  } catch {
    throw badField(
      field,
      `日期 ${text} 不存在,应为 YYYY-MM-DD`,
      `${text} is not a calendar date (YYYY-MM-DD)`,
    );
  }
}

export function parseInstant(field: string, text: string, timeZone: string): number {
  if (/^\d{10,14}$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return zoneOf(timeZone).startOfDay(parseLocalDate(field, text));
  const date = parseLocalDate(field, text.slice(0, 10));
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  if (hasZone) {
    const t = Date.parse(text);
    if (Number.isFinite(t)) return t;
  } else {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
    if (m && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60)
      return zoneOf(timeZone).wallTime(date, +m[4]! * 60 + +m[5]!) + +(m[6] ?? 0) * 1000;
  }
  throw badField(
    field,
    `时间 ${text} 无效,应为 YYYY-MM-DD、ISO 8601 时间或毫秒时间戳`,
    `${text} is not a time (use YYYY-MM-DD, ISO 8601 or epoch ms)`,
  );
}

/** from/to of a query, checked as a pair. */
export function parseRange(
  q: { from?: string; to?: string },
  timeZone: string,
): { from?: number; to?: number } {
  const from = q.from !== undefined ? parseInstant('from', q.from, timeZone) : undefined;
  const to = q.to !== undefined ? parseInstant('to', q.to, timeZone) : undefined;
  if (from !== undefined && to !== undefined && to <= from)
    throw badField('to', 'to 必须晚于 from', 'to must be after from');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
