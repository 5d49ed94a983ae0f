// R16 environment: time-weighted mean over envSustain, seasonal bands, hysteresis, service hours.
import { describe, expect, it } from 'vitest';
import { rulesFor } from '../../../core/config/index.ts';
import { clearBand } from '../../../core/engine/environment.ts';
import type { EnvMetric } from '../../../core/protocol/payloads.ts';
import { config, ev, Rig, single, t } from './helpers.ts';

const cfg = (thresholds = {}) =>
  config([single()], { sensors: [{ id: 'env1', name: '大厅东区' }], thresholds });

function feed(r: Rig, metric: EnvMetric, from: number, to: number, v: number, step = 60_000): void {
  for (let s = from; s < to; s += step) r.send(ev.env('env1', { [metric]: v }, s));
}

describe('R16 environment', () => {
  it('the mean over the window, not the latest value: good readings before delay the alert until the mean crosses', () => {
    const r = new Rig(cfg({ lux: { min: 300 } }), t('09:00:00'));
    feed(r, 'lux', t('09:50:00'), t('10:00:00'), 420);
    feed(r, 'lux', t('10:00:00'), t('10:10:00'), 180);
    // Mean over [t−10m, t] = (420·(10−k) + 180·k)/10 < 300 first when k = 6 → 10:06.
    expect(r.opened('environment')).toEqual([expect.objectContaining({ openedAt: t('10:06:00') })]);
  });

  it('the window must lie inside service hours: readings from lunch do not count (CO2: one hour, R27)', () => {
    const r = new Rig(cfg({ co2: { max: 1000 } }), t('12:00:00'));
    feed(r, 'co2', t('13:00:00'), t('14:31:00'), 1500);
    expect(r.opened('environment')).toEqual([
      expect.objectContaining({ openedAt: t('14:30:00'), metric: 'co2' }),
    ]);
    expect(r.opened('environment')[0]!.message).toContain('二氧化碳');
    expect(r.opened('environment')[0]!.details).toMatchObject({ metric: 'co2', max: 1000, mean: 1500 });
  });

  it('CO2 clears only at ≤ max − 100 ppm sustained envClearSustain; session end resolves', () => {
    const r = new Rig(
      config([single()], {
        sensors: [{ id: 'env1', name: '大厅东区' }],
        thresholds: { co2: { max: 1000 } },
        rules: { envSustain: { co2: '10m' } },
      }),
      t('13:30:00'),
    );
    feed(r, 'co2', t('14:00:00'), t('14:11:00'), 1200);
    expect(r.opened('environment')).toHaveLength(1);
    feed(r, 'co2', t('14:11:00'), t('14:40:00'), 950);
    expect(r.resolved('environment')).toEqual([]);
    feed(r, 'co2', t('14:40:00'), t('14:46:00'), 880);
    expect(r.resolved('environment')).toEqual([
      expect.objectContaining({ reason: 'in_band', resolvedAt: t('14:45:00') }),
    ]);
    feed(r, 'co2', t('16:40:00'), t('17:00:00'), 1300);
    r.tick(t('17:00:00'));
    expect(r.resolved('environment')[1]).toMatchObject({ reason: 'session_end', resolvedAt: t('17:00:00') });
  });

  it('seasonal temperature bands from config.seasons (summer 22–28 °C, winter 16–24 °C)', () => {
    const band = { min: 16, max: 28, summer: { min: 22, max: 28 }, winter: { min: 16, max: 24 } };
    const winter = new Rig(cfg({ temperature: band }), t('09:00:00'));
    feed(winter, 'temperature', t('09:00:00'), t('09:11:00'), 25.5);
    expect(winter.opened('environment')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ max: 24 }) }),
    ]);
    const july = '2026-07-14';
    const summer = new Rig(cfg({ temperature: band }), t('09:00:00', july));
    feed(summer, 'temperature', t('09:00:00', july), t('09:11:00', july), 25.5);
    expect(summer.opened('environment')).toEqual([]);
    feed(summer, 'temperature', t('09:11:00', july), t('09:30:00', july), 21);
    expect(summer.opened('environment')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ min: 22 }) }),
    ]);
  });

  it('a sensor that stops reporting: the held last value fills the window (one look when it is full)', () => {
    const r = new Rig(cfg({ noise: { max: 60 } }), t('09:00:00'));
    r.send(ev.env('env1', { noise: 72 }, t('10:00:00')));
    r.tick(t('10:09:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('10:10:00'));
    expect(r.opened('environment')).toEqual([
      expect.objectContaining({ openedAt: t('10:10:00'), metric: 'noise' }),
    ]);
  });

  it('hysteresis margins', () => {
    expect(clearBand('lux', { min: 300 })).toEqual({ min: 330 });
    expect(clearBand('co2', { max: 1000 })).toEqual({ max: 900 });
    expect(clearBand('temperature', { min: 16, max: 24 })).toEqual({ min: 16.5, max: 23.5 });
    expect(clearBand('humidity', { min: 30, max: 60 })).toEqual({ min: 33, max: 57 });
    expect(clearBand('noise', { max: 60 })).toEqual({ max: 57 });
  });
});

describe('R27 environment averaging', () => {
  it('noise is averaged energetically (LAeq): 70 dB(A) then 40 dB(A), five minutes each → 67.0, not 55', () => {
    const r = new Rig(cfg({ noise: { max: 60 } }), t('13:30:00'));
    feed(r, 'noise', t('14:00:00'), t('14:05:00'), 70, 10_000);
    feed(r, 'noise', t('14:05:00'), t('14:10:00'), 40, 10_000);
    r.tick(t('14:09:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('14:10:00'));
    const [a] = r.opened('environment');
    expect(a).toMatchObject({ openedAt: t('14:10:00'), metric: 'noise' });
    expect(a!.details).toMatchObject({ metric: 'noise', value: 67, max: 60, averaging: 'LAeq' });
  });

  it('other metrics stay arithmetic: lux 100 then 500, five minutes each → 300, in band', () => {
    const r = new Rig(cfg({ lux: { min: 300 } }), t('13:30:00'));
    feed(r, 'lux', t('14:00:00'), t('14:05:00'), 100, 10_000);
    feed(r, 'lux', t('14:05:00'), t('14:10:01'), 500, 10_000);
    r.tick(t('14:12:00'));
    expect(r.opened()).toEqual([]);
  });

  it('a sustain window per metric: noise 2m opens at 14:02, CO2 keeps its 60m default', () => {
    const r = new Rig(
      config([single()], {
        sensors: [{ id: 'env1', name: '大厅东区' }],
        thresholds: { noise: { max: 60 }, co2: { max: 1000 } },
        rules: { envSustain: { noise: '2m' } },
      }),
      t('13:30:00'),
    );
    feed(r, 'noise', t('14:00:00'), t('14:03:00'), 65, 10_000);
    feed(r, 'co2', t('13:30:00'), t('14:40:00'), 1200);
    expect(r.opened('environment').map((a) => [a.metric, a.openedAt])).toEqual([
      ['noise', t('14:02:00')],
      ['co2', t('14:30:00')],
    ]);
    expect(r.opened('environment')[1]!.details).toMatchObject({ windowSeconds: 3600 });
  });

  it('config layers: one duration sets every metric, an object only the metrics it names', () => {
    const c = config([single({ rules: { envSustain: { lux: '1m' } } })], { rules: { envSustain: '5m' } });
    expect(rulesFor(c, 'cz-main').envSustainMs).toEqual({
      lux: 300_000,
      temperature: 300_000,
      humidity: 300_000,
      co2: 300_000,
      noise: 300_000,
    });
    expect(rulesFor(c, 'cz-main', 'w01').envSustainMs.lux).toBe(60_000);
    expect(rulesFor(config([single()]), 'cz-main').envSustainMs).toMatchObject({
      co2: 3_600_000,
      noise: 600_000,
    });
  });
});
