// The simulated past (simulator/history.ts): the example hall's days through the real engine, in
// the stored model. Deterministic, and the counters' service time is covered by known states.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { createCalendar } from '../../core/calendar/index.ts';
import { simulatedHistory, withoutHeartbeats } from '../../simulator/index.ts';

const config = loadConfig('config/hallwatch.example.yaml');
const calendar = createCalendar(config, { onWarning: () => {} });
const days = (dates: string[], seed = 7) =>
  dates.map((d) => {
    const from = calendar.startOfDay(d);
    const to = from + 86_400_000;
    return [...simulatedHistory({ config, calendar, seed, from, to })][0]!;
  });
const measurement = (line: string) => line.slice(0, line.search(/[, ]/));
const field = (line: string, name: string) => new RegExp(`[ ,]${name}=([^, ]+)`).exec(line)?.[1];

describe('simulated history', () => {
  it('the configuration without heartbeat deadlines keeps everything else', () => {
    const bare = withoutHeartbeats(config);
    expect(JSON.stringify(bare)).not.toContain('"heartbeat"');
    expect(JSON.stringify(config)).toContain('"heartbeat"');
    expect(bare.halls[0]!.counters.map((c) => c.id)).toEqual(config.halls[0]!.counters.map((c) => c.id));
  });

  it('a working day: device points, states, intervals and alerts, with every scheduled minute known', () => {
    const [day] = days(['2026-03-10']);
    expect(day!.date).toBe('2026-03-10');
    const kinds = new Map<string, number>();
    for (const l of day!.lines) kinds.set(measurement(l), (kinds.get(measurement(l)) ?? 0) + 1);
    for (const m of [
      'seat',
      'sign',
      'badge',
      'equipment',
      'env',
      'counter_state',
      'counter_interval',
      'alert',
    ])
      expect(kinds.get(m), m).toBeGreaterThan(0);
    expect(kinds.has('device_status')).toBe(false); // no heartbeats stored
    expect(day!.intervals).toBe(kinds.get('counter_interval'));

    // Interval time per state over the hall's 24 counters × 6.5 scheduled hours.
    const byState = new Map<string, number>();
    for (const l of day!.lines.filter((x) => x.startsWith('counter_interval,'))) {
      const start = Number(l.slice(l.lastIndexOf(' ') + 1));
      const end = Number(field(l, 'end_ms')!.replace(/i$/, ''));
      const state = field(l, 'state')!.replaceAll('"', '');
      byState.set(state, (byState.get(state) ?? 0) + end - start);
    }
    const total = [...byState.values()].reduce((a, b) => a + b, 0);
    const scheduled = config.halls[0]!.counters.length * 6.5 * 3_600_000;
    expect(byState.get('unknown') ?? 0).toBe(0);
    expect(total / scheduled).toBeGreaterThan(0.97);
    expect((byState.get('staffed') ?? 0) / total).toBeGreaterThan(0.8);
  });

  it('same seed, same lines; another seed, another day; a Sunday has no service', () => {
    const [a, sun] = days(['2026-03-10', '2026-03-15']);
    const [b] = days(['2026-03-10']);
    const [c] = days(['2026-03-10'], 8);
    expect(b!.lines).toEqual(a!.lines);
    expect(c!.lines).not.toEqual(a!.lines);
    expect(sun!.intervals).toBe(0);
  });
});
