// The engine watches thousands of counters: an idle tick must not scan them (deadline queue),
// and the timer heap must stay proportional to the live countdowns.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { config, ev, Rig, t } from '../test/core/engine/helpers.ts';

const N = 2000;

describe('engine at scale', () => {
  it(`${N} counters: an idle tick costs microseconds, a day of events runs in seconds, the heap stays bounded`, () => {
    const counters = Array.from({ length: N }, (_, i) => ({
      id: `w${i}`,
      name: `${i}号窗口`,
      controller: `ctl-${i}`,
      seats: ['s1'],
      roster: { a: 'E1', b: 'E2' },
      equipment: [{ id: 'pc', kind: 'pc' as const }],
    }));
    const r = new Rig(config(counters), t('07:00:00'));
    for (let i = 0; i < N; i++) r.engine.handle(ev.seat(`w${i}`, false, t('07:00:00')));

    const events = [];
    for (let i = 0; i < N; i++) {
      events.push(ev.seat(`w${i}`, true, t('08:30:00') + (i % 1800) * 1000));
      for (let k = 0; k < 4; k++) {
        const s = t('09:30:00') + ((i * 7919 + k * 3607) % 25_000) * 1000;
        events.push(ev.seat(`w${i}`, false, s), ev.seat(`w${i}`, true, s + ((i + k) % 900) * 1000 + 1000));
      }
    }
    events.sort((a, b) => a.ts - b.ts);
    const t0 = performance.now();
    let tick = t('07:00:00');
    for (const e of events) {
      while (tick + 1000 <= e.ts) {
        tick += 1000;
        r.engine.tick(tick);
      }
      r.engine.handle(e);
    }
    const dayMs = performance.now() - t0;

    const base = t('12:00:01');
    r.engine.tick(base);
    const t1 = performance.now();
    let outputs = 0;
    for (let i = 1; i <= 10_000; i++) outputs += r.engine.tick(base + i * 10).length;
    const idleUs = ((performance.now() - t1) / 10_000) * 1000;

    const snap = r.engine.snapshot() as { state: { timers: { heap: unknown[] } } };
    console.info(
      `engine scale: ${N} counters, ${events.length} events + ${(tick - t('07:00:00')) / 1000} ticks in ${dayMs.toFixed(0)} ms; idle tick ${idleUs.toFixed(2)} µs; heap ${snap.state.timers.heap.length}`,
    );
    expect(outputs).toBe(0);
    expect(idleUs).toBeLessThan(50); // generous: a scan of 2000 counters would be far above
    expect(snap.state.timers.heap.length).toBeLessThan(4 * N);
    expect(dayMs).toBeLessThan(60_000);
  });
});
