// The DOMAIN §5 common Given (hall cz-main, w07 A/B, w12 two seats, w03 with a Saturday session)
// and small builders for intervals and alerts at local wall-clock times.
import { createCalendar } from '../../../core/calendar/index.ts';
import { parseConfig } from '../../../core/config/load.ts';
import type { Config } from '../../../core/config/schema.ts';
import type { IntervalState, StatsAlert, StatsInterval } from '../../../core/stats/types.ts';
import { at } from '../../helpers/time.ts';

export function hallConfig(extra: Record<string, unknown> = {}): Config {
  return parseConfig({
    timezone: 'Asia/Shanghai',
    influx: { url: 'http://127.0.0.1:8086', database: 'hallwatch' },
    halls: [
      {
        id: 'cz-main',
        name: '常州市政务服务中心',
        calendar: 'cn',
        sessions: { 'mon-fri': ['09:00-12:00', '13:30-17:00'] },
        thresholds: { lux: { min: 300 }, temperature: { min: 16, max: 28, summer: { min: 22, max: 28 } } },
        equipment: [{ id: 'queue', kind: 'queue' }],
        sensors: [{ id: 'env1', counter: 'w07' }],
        counters: [
          {
            id: 'w07',
            name: '7号窗口 不动产登记',
            seats: ['s1'],
            roster: { a: 'E1023', b: 'E2051' },
            equipment: [
              { id: 'pc', kind: 'pc' },
              { id: 'printer', kind: 'printer' },
            ],
          },
          { id: 'w12', name: '12号窗口 社保', seats: ['s1', 's2'], roster: { staff: ['E2001', 'E2002'] } },
          {
            id: 'w03',
            name: '3号窗口',
            seats: ['s1'],
            roster: { a: 'E3001' },
            extraSessions: { sat: ['09:00-12:00'] },
          },
        ],
        ...extra,
      },
    ],
    staff: [
      { id: 'E1023', name: '张三' },
      { id: 'E2051', name: '李四' },
    ],
  });
}

export const config = hallConfig();
export const calendar = createCalendar(config);

/** Epoch ms of a local Shanghai wall-clock time on a date: at('2026-03-09', '10:01:30'). */
export { at };

/** Intervals from a script of [time, state] steps inside one session; the last step ends it. */
export function script(
  counter: string,
  date: string,
  steps: [string, IntervalState | 'end', Partial<StatsInterval>?][],
): StatsInterval[] {
  const out: StatsInterval[] = [];
  for (let i = 0; i + 1 < steps.length; i++) {
    const [t, state, extra] = steps[i]!;
    if (state === 'end') continue;
    out.push({ counter, state, start: at(date, t), end: at(date, steps[i + 1]![0]), ...extra });
  }
  return out;
}

export function alert(
  type: StatsAlert['type'],
  counter: string,
  openedAt: number,
  more: Partial<StatsAlert> = {},
): StatsAlert {
  return { id: `${type}-${counter}-${openedAt}`, type, counter, openedAt, ...more };
}
