// Instants in query strings: epoch ms, an ISO 8601 date-time, or a local date (YYYY-MM-DD, taken
// as local midnight in the configured time zone, so ?from=2026-03-09 means what a hall means).
import { badField } from './errors.ts';

/** The pattern the schemas use; the handler still checks that the date exists. */
export const INSTANT_PATTERN =
  '^(\\d{10,14}|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:?\\d{2})?)?)$';
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** Offset of a zone from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** Epoch ms of a local wall-clock date-time (no zone designator) in a zone. */
export function localToEpoch(
  timeZone: string,
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - zoneOffsetMs(timeZone, guess);
  return guess - zoneOffsetMs(timeZone, first);
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDateOf(timeZone: string, at: number): string {
  return new Date(at + zoneOffsetMs(timeZone, at)).toISOString().slice(0, 10);
}

export function parseLocalDate(field: string, text: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  const d = Number(m?.[3]);
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (!m || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d)
    throw badField(
      field,
      `日期 ${text} 不存在,应为 YYYY-MM-DD`,
      `${text} is not a calendar date (YYYY-MM-DD)`,
    );
  return { y, m: mo, d };
}

export function parseInstant(field: string, text: string, timeZone: string): number {
  if (/^\d{10,14}$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const { y, m, d } = parseLocalDate(field, text);
    return localToEpoch(timeZone, y, m, d);
  }
  parseLocalDate(field, text.slice(0, 10));
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  if (hasZone) {
    const t = Date.parse(text);
    if (Number.isFinite(t)) return t;
  } else {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
    if (m && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60)
      return localToEpoch(timeZone, +m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
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
