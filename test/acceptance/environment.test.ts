// DOMAIN §5 S18: environment alert on sustained low illuminance, hysteresis on resolve.
// S32 (R27): noise averaged energetically (LAeq) over its own sustain window.
import { describe, expect, it } from 'vitest';
import { at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);

/** One reading a minute from `from` (inclusive) to `to` (exclusive). */
function lux(h: Hall, from: number, to: number, value: number): void {
  for (let s = from; s < to; s += 60_000) h.send(ev.env('env1', { lux: value }, s));
}

describe('environment', () => {
  it('S18 environment-lux', () => {
    const h = new Hall(t('13:00:00'));
    lux(h, t('14:00:00'), t('14:10:00'), 180);
    expect(h.opened('environment')).toEqual([]);
    h.send(ev.env('env1', { lux: 180 }, t('14:10:00')));
    const [a] = h.opened('environment');
    expect(a).toMatchObject({
      openedAt: t('14:10:00'),
      sensor: 'env1',
      metric: 'lux',
      counter: 'w07',
      details: { metric: 'lux', min: 300 },
    });
    expect(a!.message).toContain('照度');
    expect(a!.message).toContain('300');
    lux(h, t('14:11:00'), t('15:00:00'), 180);
    lux(h, t('15:00:00'), t('15:05:00'), 330);
    expect(h.resolved('environment')).toEqual([]);
    h.send(ev.env('env1', { lux: 330 }, t('15:05:00')));
    expect(h.resolved('environment')).toEqual([
      expect.objectContaining({ id: a!.id, reason: 'in_band', resolvedAt: t('15:05:00') }),
    ]);

    // Same readings at 18:00 (hall closed) → nothing.
    lux(h, t('18:00:00'), t('18:30:00'), 180);
    h.tick(t('19:00:00'));
    expect(h.opened('environment')).toHaveLength(1);

    // Hysteresis: back to 310 lx (inside the band, below min + 10 %) does not resolve.
    const v = new Hall(t('13:00:00'));
    lux(v, t('14:00:00'), t('14:11:00'), 180);
    lux(v, t('14:11:00'), t('14:40:00'), 310);
    expect(v.opened('environment')).toHaveLength(1);
    expect(v.resolved('environment')).toEqual([]);
  });

  it('S32 noise-laeq', () => {
    const h = new Hall(t('13:00:00'));
    const noise = (from: number, to: number, value: number) => {
      for (let s = from; s < to; s += 10_000) h.send(ev.env('env1', { noise: value }, s));
    };
    noise(t('14:00:00'), t('14:05:00'), 70);
    noise(t('14:05:00'), t('14:10:00'), 40);
    h.tick(t('14:09:59'));
    expect(h.opened('environment')).toEqual([]);
    h.tick(t('14:10:00'));
    const [a] = h.opened('environment');
    expect(a).toMatchObject({
      openedAt: t('14:10:00'),
      sensor: 'env1',
      metric: 'noise',
      details: { metric: 'noise', value: 67.0, max: 60, windowSeconds: 600 },
    });
    expect(a!.message).toContain('噪声');
    expect(a!.message).toContain('67');
    // (The arithmetic mean of the same readings, 55 dB(A), would not have fired.)
  });
});
