import { describe, expect, it } from 'vitest';
import {
  bandFor,
  envCompliance,
  equipmentAvailability,
  faultStats,
  periodFirstDate,
  periodKey,
  periodNextDate,
  subtractWindows,
  wholeSeconds,
} from '../../../core/stats/index.ts';
import { alert, at, calendar, config } from './fixtures.ts';

const D = '2026-03-09';
const sessions = (counter: string | null) =>
  calendar.sessionsBetween('cz-main', counter, calendar.startOfDay(D), calendar.startOfDay('2026-03-11'));

describe('equipment availability (R11, S13)', () => {
  it('S13 printer fault from 12:20 (closed) to 13:41 costs 660 service seconds', () => {
    const r = equipmentAvailability(
      sessions('w07'),
      [
        { t: at(D, '08:00:00'), status: 'ok' },
        { t: at(D, '12:20:00'), status: 'fault' },
        { t: at(D, '13:41:00'), status: 'ok' },
      ],
      calendar.startOfDay('2026-03-11'),
    );
    expect(r.serviceMs / 1000).toBe(2 * 23_400);
    expect(r.dataMs / 1000).toBe(2 * 23_400); // known from 08:00 on the first day to the range end
    expect((r.dataMs - r.okMs) / 1000).toBe(660);
  });

  it('S13 hall queue fault 16:58 → 08:20 next day counts 120 s; paused counter time is no service time', () => {
    const r = equipmentAvailability(
      sessions(null),
      [
        { t: at(D, '09:00:00'), status: 'ok' },
        { t: at(D, '16:58:00'), status: 'fault' },
        { t: at('2026-03-10', '08:20:00'), status: 'ok' },
      ],
      calendar.startOfDay('2026-03-11'),
    );
    expect((r.dataMs - r.okMs) / 1000).toBe(120);
    const w = subtractWindows(sessions('w07'), [{ start: at(D, '10:00:00'), end: at(D, '10:30:00') }]);
    expect(w.reduce((s, x) => s + x.end - x.start, 0) / 1000).toBe(2 * 23_400 - 1800);
  });

  it('faults, MTTR and open faults; retracted ones do not count', () => {
    const from = calendar.startOfDay(D);
    const to = calendar.startOfDay('2026-03-10');
    const f = faultStats(
      [
        alert('equipment_fault', 'w07', at(D, '13:30:00'), { resolvedAt: at(D, '13:41:00') }),
        alert('equipment_fault', 'w07', at(D, '15:00:00'), { resolvedAt: at(D, '15:20:00') }),
        alert('equipment_fault', 'w07', at(D, '16:00:00')),
        alert('equipment_fault', 'w07', at(D, '16:10:00'), {
          reason: 'retracted',
          resolvedAt: at(D, '16:10:01'),
        }),
      ],
      from,
      to,
    );
    expect(f).toEqual({ faultCount: 3, meanTimeToRepairSeconds: (660 + 1200) / 2, openFaults: 1 });
  });
});

describe('environment compliance (R16)', () => {
  it('share of service minutes inside the band; readings outside hours do not count (S18)', () => {
    const band = bandFor(config.halls[0]!.thresholds, 'lux', 3, config.seasons)!;
    expect(band).toEqual({ min: 300, max: undefined });
    const samples = [];
    for (let t = at(D, '14:00:00'); t < at(D, '15:00:00'); t += 60_000) samples.push({ t, value: 180 });
    for (let t = at(D, '15:00:00'); t < at(D, '17:00:00'); t += 60_000) samples.push({ t, value: 330 });
    for (let t = at(D, '18:00:00'); t < at(D, '19:00:00'); t += 60_000) samples.push({ t, value: 180 });
    const r = envCompliance(sessions(null), samples, 60_000, band);
    expect(r.dataMs / 1000).toBe(3 * 3600);
    expect(r.inBandMs / r.dataMs).toBeCloseTo(2 / 3, 6);
  });

  it('temperature uses the summer band in July and the base band in April', () => {
    const t = config.halls[0]!.thresholds;
    expect(bandFor(t, 'temperature', 7, config.seasons)).toEqual({ min: 22, max: 28 });
    expect(bandFor(t, 'temperature', 4, config.seasons)).toEqual({ min: 16, max: 28 });
    expect(bandFor(t, 'co2', 4, config.seasons)).toBeUndefined();
  });
});

describe('periods and rounding', () => {
  it('ISO weeks, months and years of local dates', () => {
    expect(periodKey('2026-03-09', 'week')).toBe('2026-W11');
    expect(periodKey('2027-01-01', 'week')).toBe('2026-W53');
    expect(periodFirstDate('2026-W11')).toBe('2026-03-09');
    expect(periodNextDate('2026-W53')).toBe('2027-01-04');
    expect(periodKey('2026-12-31', 'month')).toBe('2026-12');
    expect(periodNextDate('2026-12')).toBe('2027-01-01');
    expect(periodKey('2026-12-31', 'year')).toBe('2026');
  });

  it('whole seconds of the parts add up to the whole of the total', () => {
    const r = wholeSeconds(10_000, [3333, 3333, 3334, 0]);
    expect(r.total).toBe(10);
    expect(r.parts.reduce((a, b) => a + b, 0)).toBe(10);
  });
});
