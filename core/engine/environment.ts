// R16/R27 environment: in hall service hours, the time-weighted mean of a metric over its own
// envSustain window (inside the session, fully covered by readings; noise averaged energetically
// as LAeq) outside the band → `environment` per (sensor, metric). It resolves when every reading of the last envClearSustain lies inside the
// band narrowed by a hysteresis margin, or at the hall's session end (service hours only).
import type { Thresholds } from '../config/index.ts';
import type { EnvMetric } from '../protocol/payloads.ts';
import { fromLinear, toLinear } from '../stats/averaging.ts';
import { openAlert, resolveAlert } from './alerts.ts';
import { counterName, environmentMessage, hallName } from './messages.ts';
import { arm, type Ctx, disarm, type EnvData, localDateOf, ofHall, rulesOf } from './state.ts';

export interface Band {
  min?: number;
  max?: number;
}

/** DOMAIN §3 defaults, used when the hall's thresholds do not mention the metric at all. */
const DEFAULTS: Required<Thresholds> = {
  lux: { min: 300 },
  temperature: { min: 16, max: 28, summer: { min: 22, max: 28 }, winter: { min: 16, max: 24 } },
  humidity: { min: 30, max: 80, summer: { min: 40, max: 80 }, winter: { min: 30, max: 60 } },
  co2: { max: 1000 },
  noise: { max: 60 },
};

/**
 * Clearing margins (hysteresis). lux ±10 % and CO2 100 ppm are DOMAIN R16; temperature 0.5 °C,
 * humidity 3 %RH and noise 3 dB(A) are product choices: about the sensors' stated accuracy, so
 * a reading sitting on the limit does not flap.
 */
export function clearBand(metric: EnvMetric, band: Band): Band {
  const pad = (v: number, side: 'min' | 'max') => {
    const sign = side === 'min' ? 1 : -1;
    switch (metric) {
      case 'lux':
        return v * (1 + sign * 0.1);
      case 'co2':
        return v + sign * 100;
      case 'temperature':
        return v + sign * 0.5;
      case 'humidity':
      case 'noise':
        return v + sign * 3;
    }
  };
  return {
    ...(band.min !== undefined ? { min: pad(band.min, 'min') } : {}),
    ...(band.max !== undefined ? { max: pad(band.max, 'max') } : {}),
  };
}

export function bandFor(ctx: Ctx, hall: string, metric: EnvMetric, localDate: string): Band {
  const cfg = ctx.halls.get(hall)?.thresholds ?? {};
  const t = (cfg[metric] ?? DEFAULTS[metric]) as Band & { summer?: Band; winter?: Band };
  const month = Number(localDate.slice(5, 7));
  const seasonal =
    ctx.config.seasons.summerMonths.includes(month) && t.summer
      ? t.summer
      : ctx.config.seasons.winterMonths.includes(month) && t.winter
        ? t.winter
        : undefined;
  const band = seasonal ?? t;
  return {
    ...(band.min !== undefined ? { min: band.min } : {}),
    ...(band.max !== undefined ? { max: band.max } : {}),
  };
}

export const envKey = (hall: string, sensor: string, metric: EnvMetric) => `${hall}/${sensor}/${metric}`;

/**
 * Sample-and-hold mean over [from, to], averaged as the metric requires (R27: LAeq for noise);
 * null unless readings cover the whole window.
 */
export function windowMean(e: EnvData, from: number, to: number, holdMs: number): number | null {
  const r = e.readings;
  let sum = 0;
  let covered = 0;
  for (let i = 0; i < r.length; i++) {
    const a = Math.max(r[i]!.ts, from);
    const b = Math.min(i + 1 < r.length ? r[i + 1]!.ts : to, r[i]!.ts + holdMs, to);
    if (b > a) {
      sum += toLinear(e.metric, r[i]!.v) * (b - a);
      covered += b - a;
    }
  }
  return to > from && covered >= to - from ? fromLinear(e.metric, sum / covered) : null;
}

/** Start of the unbroken run of held readings that ends with the latest one. */
function coveredSince(e: EnvData, holdMs: number): number {
  const r = e.readings;
  let i = r.length - 1;
  while (i > 0 && r[i - 1]!.ts + holdMs >= r[i]!.ts) i--;
  return r[i]!.ts;
}

/** Every held value over [from, to] (covered by readings) lies inside the band: "sustained". */
export function sustainedInside(e: EnvData, from: number, to: number, holdMs: number, band: Band): boolean {
  const r = e.readings;
  let covered = 0;
  for (let i = 0; i < r.length; i++) {
    const a = Math.max(r[i]!.ts, from);
    const b = Math.min(i + 1 < r.length ? r[i + 1]!.ts : to, r[i]!.ts + holdMs, to);
    if (b <= a) continue;
    if (!inside(r[i]!.v, band)) return false;
    covered += b - a;
  }
  return to > from && covered >= to - from;
}

const inside = (v: number, b: Band) =>
  (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max);

export function addReading(
  ctx: Ctx,
  hall: string,
  sensor: string,
  metric: EnvMetric,
  ts: number,
  v: number,
): void {
  const key = envKey(hall, sensor, metric);
  let e = ctx.st.env[key];
  if (!e) {
    e = { hall, sensor, metric, readings: [], alerted: false, tm: {} };
    ctx.st.env[key] = e;
  }
  const last = e.readings[e.readings.length - 1];
  if (last && ts <= last.ts) return; // out-of-order environment readings are dropped
  e.readings.push({ ts, v });
  const r = rulesOf(ctx, hall);
  const sustain = r.envSustainMs[metric];
  const keep = Math.max(sustain, r.envClearSustainMs);
  while (e.readings.length > 1 && e.readings[1]!.ts <= ts - keep) e.readings.shift();
  evaluateEnv(ctx, e, ts);
  // When readings stop, the held last value fills the window by ts + keep: look again then. Look
  // also at the instant the window first fills (readings every 10 s from 14:00 → 14:10:00 exactly).
  const session = ctx.st.schedules[hall]?.session;
  const fullAt = Math.max(coveredSince(e, keep), session?.start ?? ts) + sustain;
  arm(ctx, e, 'env', key, !e.alerted && fullAt > ts && fullAt < ts + keep ? fullAt : ts + keep);
}

export function evaluateEnv(ctx: Ctx, e: EnvData, t: number): void {
  const session = ctx.st.schedules[e.hall]?.session;
  if (!session || !e.readings.length) return;
  const r = rulesOf(ctx, e.hall);
  const sustain = r.envSustainMs[e.metric];
  const band = bandFor(ctx, e.hall, e.metric, localDateOf(ctx, t));
  const hold = Math.max(sustain, r.envClearSustainMs);
  if (!e.alerted) {
    if (t - sustain < session.start) return; // the window must lie in service hours
    const mean = windowMean(e, t - sustain, t, hold);
    if (mean === null || inside(mean, band)) return;
    const side = band.min !== undefined && mean < band.min ? 'low' : 'high';
    const limit = side === 'low' ? band.min! : band.max!;
    e.alerted = true;
    const sensorCfg = ctx.halls.get(e.hall)?.sensors.find((s) => s.id === e.sensor);
    const where = sensorCfg?.counter
      ? `${hallName(ctx, e.hall)} ${counterName(ctx, e.hall, sensorCfg.counter)}`
      : hallName(ctx, e.hall);
    openAlert(ctx, {
      type: 'environment',
      severity: 'warning',
      hall: e.hall,
      ...(sensorCfg?.counter ? { counter: sensorCfg.counter } : {}),
      sensor: e.sensor,
      metric: e.metric,
      subject: `${e.sensor}/${e.metric}`,
      openedAt: t,
      message: environmentMessage(where, sensorCfg?.name ?? e.sensor, e.metric, mean, side, limit, sustain),
      details: {
        metric: e.metric,
        ...band,
        value: Math.round(mean * 10) / 10,
        mean: Math.round(mean * 100) / 100,
        windowSeconds: sustain / 1000,
        ...(e.metric === 'noise' ? { averaging: 'LAeq' } : {}),
      },
    });
    return;
  }
  // Clearing asks more than the mean: every value of the last envClearSustain inside the band
  // narrowed by the hysteresis margin, so a brief overshoot does not close a real problem.
  const clear = clearBand(e.metric, band);
  if (sustainedInside(e, t - r.envClearSustainMs, t, hold, clear)) {
    e.alerted = false;
    resolveAlert(ctx, 'environment', e.hall, `${e.sensor}/${e.metric}`, t, 'in_band');
  }
}

export function onEnvTimer(ctx: Ctx, e: EnvData, at: number): void {
  evaluateEnv(ctx, e, at);
  // Fired where the window first filled: the held last value still needs its look at last + keep.
  const last = e.readings[e.readings.length - 1];
  if (!last) return;
  const r = rulesOf(ctx, e.hall);
  const until = last.ts + Math.max(r.envSustainMs[e.metric], r.envClearSustainMs);
  if (until > at) arm(ctx, e, 'env', envKey(e.hall, e.sensor, e.metric), until);
}

/** Environment alerts are about service hours: they resolve when the hall's session ends. */
export function onHallSessionEnd(ctx: Ctx, hall: string, end: number): void {
  for (const e of ofHall(ctx, 'env', hall)) {
    if (!e.alerted) continue;
    e.alerted = false;
    disarm(e, 'env');
    resolveAlert(ctx, 'environment', hall, `${e.sensor}/${e.metric}`, end, 'session_end');
  }
}
