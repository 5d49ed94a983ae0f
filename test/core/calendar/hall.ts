// Fixtures: the common Given of DOMAIN §5 (hall cz-main, Asia/Shanghai, Mon–Fri 09:00–12:00 and
// 13:30–17:00; w07 single seat, w12 two seats, w03 with an extra Saturday session).

import type { CalendarWarning } from '../../../core/calendar/index.ts';
import { type CalendarOptions, createCalendar } from '../../../core/calendar/index.ts';
import { type Config, parseConfig } from '../../../core/config/index.ts';
import { at, hhmm } from '../../helpers/time.ts';

type HallPatch = Record<string, unknown>;

export function hallConfig(patch: HallPatch = {}, top: Record<string, unknown> = {}): Config {
  return parseConfig(
    {
      ...top,
      halls: [
        {
          id: 'cz-main',
          name: '常州市政务服务中心',
          calendar: 'cn',
          sessions: { 'mon-fri': ['09:00-12:00', '13:30-17:00'] },
          counters: [
            {
              id: 'w07',
              name: '7号窗口',
              seats: ['s1'],
              roster: { a: 'E1023', b: 'E2051' },
              equipment: [
                { id: 'pc', kind: 'pc' },
                { id: 'printer', kind: 'printer' },
              ],
            },
            { id: 'w12', name: '12号窗口', seats: ['s1', 's2'] },
            { id: 'w03', name: '3号窗口', seats: ['s1'], extraSessions: { sat: ['09:00-12:00'] } },
          ],
          ...patch,
        },
      ],
    },
    {},
  );
}

export function calendarOf(
  patch: HallPatch = {},
  opts: CalendarOptions = {},
  top: Record<string, unknown> = {},
) {
  const warnings: CalendarWarning[] = [];
  const cal = createCalendar(hallConfig(patch, top), {
    ...opts,
    onWarning: (w) => {
      warnings.push(w);
      opts.onWarning?.(w);
    },
  });
  return { cal, warnings };
}

/** Epoch ms of a local Asia/Shanghai wall-clock time: at('2026-03-09', '09:00'). */
export { at };

/** Sessions as local "HH:MM-HH:MM" strings (UTC+8) for readable assertions. */
export function hours(sessions: { start: number; end: number }[]): string[] {
  return sessions.map((s) => `${hhmm(s.start)}-${hhmm(s.end) === '00:00' ? '24:00' : hhmm(s.end)}`);
}
