import { describe, expect, it } from 'vitest';
import { alertId } from '../../../core/engine/ids.ts';
import { TimerQueue } from '../../../core/engine/queue.ts';

describe('deadline queue', () => {
  it('pops by time, then by kind priority (session end before a deadline at the same instant), then FIFO', () => {
    const q = new TimerQueue();
    q.push(3000, 'absence', 'a');
    q.push(2000, 'absence', 'b');
    q.push(3000, 'boundary', 'c');
    q.push(3000, 'late', 'd');
    q.push(3000, 'absence', 'e');
    q.push(1000, 'env', 'f');
    const order: string[] = [];
    for (let t = q.pop(); t; t = q.pop()) order.push(t.key);
    expect(order).toEqual(['f', 'b', 'c', 'd', 'a', 'e']);
  });

  it('keeps a heap of many timers ordered and compacts away the dead ones', () => {
    const q = new TimerQueue();
    const live = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const seq = q.push((i * 7919) % 10_007, 'absence', String(i));
      if (i % 3 === 0) live.add(seq);
    }
    q.compact((t) => live.has(t.seq));
    expect(q.size).toBe(live.size);
    let last = -1;
    for (let t = q.pop(); t; t = q.pop()) {
      expect(t.at).toBeGreaterThanOrEqual(last);
      last = t.at;
    }
  });
});

describe('alert ids', () => {
  it('are stable, short and URL/topic-safe, and differ per occurrence', () => {
    const a = alertId('unattended', 'cz-main', 'w07', 1_773_022_320_000);
    expect(a).toBe(alertId('unattended', 'cz-main', 'w07', 1_773_022_320_000));
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(a.startsWith('unattended_')).toBe(true);
    expect(alertId('unattended', 'cz-main', 'w07', 1_773_022_321_000)).not.toBe(a);
    expect(alertId('staffing_gap', 'cz-main', 'w07', 1_773_022_320_000)).not.toBe(a);
    expect(
      alertId('environment', 'a'.repeat(32), `${'s'.repeat(32)}/temperature`, 0).length,
    ).toBeLessThanOrEqual(64);
  });
});
