// Query checks shared by every report, and the local periods a range spans.
import type { ServiceCalendar } from '../core/calendar/types.ts';
import type { Config, CounterConfig, HallConfig } from '../core/config/schema.ts';
import { type PeriodUnit, periodFirstDate, periodKey, periodNextDate } from '../core/stats/periods.ts';
import { ReportQueryError } from './types.ts';

/** Two years and a day: enough for a year-on-year view, bounded so one request cannot scan forever. */
export const MAX_RANGE_MS = 732 * 86_400_000;

export function checkQuery(
  config: Config,
  q: { hall: string; counter?: string; from: number; to: number },
): { hall: HallConfig; counters: CounterConfig[] } {
  const hall = config.halls.find((h) => h.id === q.hall);
  if (!hall) throw new ReportQueryError('hall', `未知的大厅 ${q.hall}`, `unknown hall ${q.hall}`);
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.to <= q.from)
    throw new ReportQueryError('to', 'to 必须晚于 from', 'to must be after from');
  if (q.to - q.from > MAX_RANGE_MS)
    throw new ReportQueryError('to', '统计区间不能超过两年', 'the range must not exceed two years');
  if (q.counter === undefined) return { hall, counters: hall.counters };
  const counter = hall.counters.find((c) => c.id === q.counter);
  if (!counter)
    throw new ReportQueryError(
      'counter',
      `未知的窗口 ${q.counter}`,
      `unknown counter ${q.hall}/${q.counter}`,
    );
  return { hall, counters: [counter] };
}

export interface Period {
  key: string;
  start: number;
  end: number;
}

/** The periods [from, to) touches, each clipped to the range. */
export function periodsOf(calendar: ServiceCalendar, from: number, to: number, by: PeriodUnit): Period[] {
  const out: Period[] = [];
  let key = periodKey(calendar.localDate(from), by);
  for (;;) {
    const start = calendar.startOfDay(periodFirstDate(key));
    if (start >= to) break;
    const next = periodNextDate(key);
    out.push({ key, start: Math.max(start, from), end: Math.min(calendar.startOfDay(next), to) });
    key = periodKey(next, by);
  }
  return out;
}
