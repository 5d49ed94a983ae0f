// R27: noise is averaged energetically (LAeq) in the statistics exactly as in the engine.
import { describe, expect, it } from 'vitest';
import { envCompliance, meanOf, stepMeans } from '../../../core/stats/index.ts';

describe('R27 averaging in the statistics', () => {
  it('LAeq of 70 and 40 dB(A) is 67.0; lux stays arithmetic', () => {
    expect(meanOf('noise', [70, 40])).toBeCloseTo(66.99, 2);
    expect(meanOf('lux', [100, 500])).toBe(300);
    expect(meanOf('noise', [])).toBeNull();
  });

  it('per-minute samples of alternating 70/40 dB(A) are out of a 60 dB(A) band (arithmetic 55 would pass)', () => {
    const t0 = Date.parse('2026-03-09T06:00:00Z');
    const raw = [];
    for (let i = 0; i < 60; i++) raw.push({ t: t0 + i * 10_000, value: i % 2 ? 40 : 70 });
    const minutes = stepMeans('noise', raw, 60_000);
    expect(minutes).toHaveLength(10);
    expect(minutes[0]!.t).toBe(t0);
    expect(minutes[0]!.value).toBeCloseTo(67, 0);
    const r = envCompliance([{ start: t0, end: t0 + 600_000 }], minutes, 60_000, { max: 60 });
    expect(r).toEqual({ dataMs: 600_000, inBandMs: 0 });
    const arithmetic = stepMeans('lux', raw, 60_000);
    expect(arithmetic[0]!.value).toBe(55);
  });
});
