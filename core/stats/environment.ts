// 环境达标率 (DOMAIN §3–4, R16): service seconds inside the band / service seconds with data.
import type { Config, Thresholds } from '../config/schema.ts';
import type { EnvMetric } from '../protocol/payloads.ts';
import type { Window } from './types.ts';
import { overlapMs } from './windows.ts';

export interface Band {
  min?: number;
  max?: number;
}

/** The band in force for a metric in a month (1–12): seasonal for temperature and humidity. */
export function bandFor(
  thresholds: Thresholds,
  metric: EnvMetric,
  month: number,
  seasons: Config['seasons'],
): Band | undefined {
  const base = thresholds[metric];
  if (!base) return undefined;
  let band: Band = { min: base.min, max: base.max };
  if ((metric === 'temperature' || metric === 'humidity') && 'summer' in base) {
    const seasonal = seasons.summerMonths.includes(month)
      ? base.summer
      : seasons.winterMonths.includes(month)
        ? base.winter
        : undefined;
    if (seasonal) band = { min: seasonal.min ?? band.min, max: seasonal.max ?? band.max };
  }
  if (band.min === undefined && band.max === undefined) return undefined;
  return band;
}

export const inBand = (v: number, b: Band) =>
  (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max);

/** A reading that stands for [t, t + stepMs) (e.g. a one-minute mean). */
export interface EnvSample {
  t: number;
  value: number;
}

export function envCompliance(
  windows: readonly Window[],
  samples: readonly EnvSample[],
  stepMs: number,
  band: Band,
): { dataMs: number; inBandMs: number } {
  let dataMs = 0;
  let inBandMs = 0;
  const hint = { i: 0 };
  for (const s of [...samples].sort((a, b) => a.t - b.t)) {
    const ms = overlapMs(windows, s.t, s.t + stepMs, hint);
    dataMs += ms;
    if (inBand(s.value, band)) inBandMs += ms;
  }
  return { dataMs, inBandMs };
}
