// S19 uptime-tiles: for any generated day of w07 events, the engine's closed intervals tile the
// scheduled time exactly and the statistics' staffed time is the scripted time on post.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rulesFor } from '../../../core/config/rules.ts';
import { createEngine } from '../../../core/engine/index.ts';
import type { DeviceEvent } from '../../../core/protocol/events.ts';
import { formatTopic } from '../../../core/protocol/topics.ts';
import { counterDayFacts, uptimeStats, ZERO_FACTS } from '../../../core/stats/index.ts';
import type { StatsInterval } from '../../../core/stats/types.ts';
import { calendar, config } from './fixtures.ts';

const HALL = 'cz-main';
const seatAt = (ts: number, occupied: boolean): DeviceEvent => ({
  hall: HALL,
  ts,
  tsFromDevice: true,
  receivedAt: ts,
  topic: formatTopic({ kind: 'seat', hall: HALL, counter: 'w07', seat: 's1' }),
  kind: 'seat',
  counter: 'w07',
  seat: 's1',
  occupied,
});

function dayOf(date: string, toggles: number[]) {
  const from = calendar.startOfDay(date);
  const to = from + 86_400_000;
  // The sensor reports an empty seat at 06:00, then the toggles alternate occupied / empty.
  const events = [
    seatAt(from + 6 * 3_600_000, false),
    ...[...new Set(toggles)].sort((a, b) => a - b).map((s, i) => seatAt(from + s * 1000, i % 2 === 0)),
  ];
  const engine = createEngine({ config, calendar, now: from });
  const intervals: StatsInterval[] = [];
  const take = (outs: ReturnType<typeof engine.tick>) => {
    for (const o of outs)
      if (o.kind === 'interval' && o.interval.counter === 'w07') intervals.push(o.interval);
  };
  for (const e of events) take(engine.handle(e));
  take(engine.tick(to));
  // The script's time on post inside the sessions.
  const sessions = calendar.sessionsBetween(HALL, 'w07', from, to);
  let onPost = 0;
  for (let i = 1; i < events.length; i += 2) {
    const a = events[i]!.ts;
    const b = events[i + 1]?.ts ?? to;
    for (const s of sessions) onPost += Math.max(0, Math.min(b, s.end) - Math.max(a, s.start));
  }
  const facts = counterDayFacts({
    counter: 'w07',
    sessions,
    intervals,
    alerts: [],
    rules: rulesFor(config, HALL, 'w07'),
    from,
    to,
    localDateOf: calendar.localDate,
  });
  return { intervals, onPost, stats: uptimeStats(facts[0] ?? ZERO_FACTS) };
}

const toggles = fc.array(fc.integer({ min: 6 * 3600 + 1, max: 18 * 3600 - 1 }), { maxLength: 30 });

describe('S19 uptime-tiles', () => {
  it('an ordinary working day: intervals tile 23,400 s exactly; staffed is the scripted time on post', () => {
    fc.assert(
      fc.property(toggles, (t) => {
        const { intervals, onPost, stats } = dayOf('2026-03-09', t);
        expect(intervals.reduce((s, i) => s + i.end - i.start, 0)).toBe(23_400_000);
        expect(stats.scheduledSeconds).toBe(23_400);
        expect(
          stats.staffedSeconds +
            stats.awaySeconds +
            stats.pausedSeconds +
            stats.unattendedSeconds +
            stats.unknownSeconds,
        ).toBe(23_400);
        expect(stats.unknownSeconds).toBe(0);
        expect(Math.abs(stats.staffedSeconds - onPost / 1000)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });

  it('2026-10-01 (National Day): no intervals, nothing scheduled', () => {
    fc.assert(
      fc.property(toggles, (t) => {
        const { intervals } = dayOf('2026-10-01', t);
        expect(intervals).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });
});
