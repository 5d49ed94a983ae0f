// R27: how a metric is averaged. Sound levels in dB(A) are averaged energetically
// (LAeq = 10·log10(mean(10^(L/10)))): five minutes at 70 dB(A) and five at 40 are 67.0, not 55.
// Every other metric is averaged arithmetically. The engine's sustain window and the
// compliance statistics both average through these two functions.
import type { EnvMetric } from '../protocol/payloads.ts';

/** The value in the domain where the arithmetic mean is the right mean (sound: energy). */
export function toLinear(metric: EnvMetric, v: number): number {
  return metric === 'noise' ? 10 ** (v / 10) : v;
}

export function fromLinear(metric: EnvMetric, x: number): number {
  return metric === 'noise' ? 10 * Math.log10(x) : x;
}

/** The mean of equally weighted readings of one metric (LAeq for noise); null when empty. */
export function meanOf(metric: EnvMetric, values: readonly number[]): number | null {
  if (!values.length) return null;
  let sum = 0;
  for (const v of values) sum += toLinear(metric, v);
  return fromLinear(metric, sum / values.length);
}

/**
 * Raw readings into one mean per step (e.g. a minute) that starts at a multiple of stepMs,
 * averaged as the metric requires: the per-minute samples of the compliance statistics.
 */
export function stepMeans(
  metric: EnvMetric,
  readings: readonly { t: number; value: number }[],
  stepMs: number,
): { t: number; value: number }[] {
  const buckets = new Map<number, number[]>();
  for (const r of readings) {
    const t = Math.floor(r.t / stepMs) * stepMs;
    const list = buckets.get(t);
    if (list) list.push(r.value);
    else buckets.set(t, [r.value]);
  }
  return [...buckets]
    .sort((a, b) => a[0] - b[0])
    .map(([t, values]) => ({ t, value: meanOf(metric, values)! }));
}
