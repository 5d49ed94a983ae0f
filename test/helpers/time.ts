// Local wall-clock times of the test halls (Asia/Shanghai), through the product's own zone helpers
// (core/calendar/zone.ts), so no test writes out an offset of its own.
import { zoneOf } from '../../core/calendar/zone.ts';

export const TEST_ZONE = zoneOf('Asia/Shanghai');

/** Epoch ms of a local time on a date: at('2026-03-09', '10:01:30'), at('2026-03-09', '09:00'). */
export function at(date: string, time = '00:00'): number {
  const [h, m, s] = time.split(':').map(Number) as [number, number, number?];
  return TEST_ZONE.wallTime(date, h * 60 + m) + (s ?? 0) * 1000;
}

/** "HH:MM" of an instant. */
export const hhmm = (t: number): string => TEST_ZONE.localDateTime(t).slice(11, 16);

/** YYYY-MM-DD of an instant. */
export const localDay = (t: number): string => TEST_ZONE.localDate(t);
