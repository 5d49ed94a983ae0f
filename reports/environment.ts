// 环境达标率 (DOMAIN §3–4): per sensor, metric and month, the share of hall service time whose
// one-minute mean lies inside the band in force. Only service sessions (without the hall's
// approved closures, R24) are read. Noise is read raw and averaged energetically per minute
// (R27 LAeq, core/stats/averaging.ts): InfluxQL's MEAN would be the arithmetic mean the engine
// does not use.

import { ENV_METRICS, type EnvMetric } from '../core/protocol/payloads.ts';
import { bandFor, type EnvSample, envCompliance, stepMeans, type Window } from '../core/stats/index.ts';
import { closuresOf, servedSessions } from './approvals.ts';
import { lit, ms, rowsOf } from './influx.ts';
import { checkQuery } from './range.ts';
import type { EnvironmentQuery, EnvironmentReport, EnvironmentRow } from './types.ts';
import type { ReportDeps } from './uptime.ts';

const STEP_MS = 60_000;

export async function environmentReport(d: ReportDeps, q: EnvironmentQuery): Promise<EnvironmentReport> {
  const { hall } = checkQuery(d.config, q);
  const windows: Window[] = servedSessions(d, await closuresOf(d, q.hall, q.to), q, null)
    .map((s) => ({ start: Math.max(s.start, q.from), end: Math.min(s.end, q.to) }))
    .filter((w) => w.end > w.start);
  const arithmetic = ENV_METRICS.filter((m) => m !== 'noise');
  const means = arithmetic.map((m) => `MEAN(${m}) AS ${m}`).join(', ');
  const where = (w: Window) => `hall = ${lit(q.hall)} AND time >= ${ms(w.start)} AND time < ${ms(w.end)}`;
  const results = await d.db.query([
    ...windows.map((w) => `SELECT ${means} FROM env WHERE ${where(w)} GROUP BY sensor, time(1m) fill(none)`),
    ...windows.map((w) => `SELECT noise FROM env WHERE ${where(w)} GROUP BY sensor`),
  ]);
  // sensor/metric/month → samples
  const samples = new Map<string, EnvSample[]>();
  const add = (sensor: unknown, m: EnvMetric, t: number, value: number) => {
    const k = `${sensor}\u0000${m}\u0000${d.calendar.localDate(t).slice(0, 7)}`;
    const list = samples.get(k) ?? [];
    list.push({ t, value });
    samples.set(k, list);
  };
  for (const series of results.slice(0, windows.length))
    for (const r of rowsOf(series))
      for (const m of arithmetic) {
        const v = r[m];
        if (typeof v === 'number') add(r.sensor, m, Number(r.time), v);
      }
  for (const series of results.slice(windows.length)) {
    const raw = new Map<string, { t: number; value: number }[]>();
    for (const r of rowsOf(series))
      if (typeof r.noise === 'number') {
        const list = raw.get(String(r.sensor)) ?? [];
        list.push({ t: Number(r.time), value: r.noise });
        raw.set(String(r.sensor), list);
      }
    for (const [sensor, list] of raw)
      for (const s of stepMeans('noise', list, STEP_MS)) add(sensor, 'noise', s.t, s.value);
  }

  const months = [...new Set(windows.map((w) => d.calendar.localDate(w.start).slice(0, 7)))];
  const sensors = [
    ...new Set([...hall.sensors.map((s) => s.id), ...[...samples.keys()].map((k) => k.split('\u0000')[0]!)]),
  ];
  const rows: EnvironmentRow[] = [];
  for (const sensor of sensors.sort())
    for (const metric of ENV_METRICS as EnvMetric[])
      for (const month of months) {
        const band = bandFor(hall.thresholds, metric, Number(month.slice(5, 7)), d.config.seasons);
        if (!band) continue;
        const mw = windows.filter((w) => d.calendar.localDate(w.start).startsWith(month));
        const list = samples.get(`${sensor}\u0000${metric}\u0000${month}`) ?? [];
        const r = envCompliance(mw, list, STEP_MS, band);
        const serviceMs = mw.reduce((s, w) => s + w.end - w.start, 0);
        const counter = hall.sensors.find((s) => s.id === sensor)?.counter;
        rows.push({
          hall: q.hall,
          sensor,
          ...(counter ? { counter } : {}),
          metric,
          ...(band.min !== undefined ? { min: band.min } : {}),
          ...(band.max !== undefined ? { max: band.max } : {}),
          period: month,
          serviceSeconds: Math.round(serviceMs / 1000),
          dataSeconds: Math.round(r.dataMs / 1000),
          inBandSeconds: Math.round(r.inBandMs / 1000),
          compliance: r.dataMs > 0 ? r.inBandMs / r.dataMs : null,
        });
      }
  return { hall: q.hall, from: q.from, to: q.to, rows };
}
