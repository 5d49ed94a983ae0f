// 环境达标率 (DOMAIN §3–4): per sensor, metric and month, the share of hall service time whose
// one-minute mean lies inside the band in force. Only service sessions are read (one statement each).

import { ENV_METRICS, type EnvMetric } from '../core/protocol/payloads.ts';
import { bandFor, type EnvSample, envCompliance, type Window } from '../core/stats/index.ts';
import { lit, ms, rowsOf } from './influx.ts';
import { checkQuery } from './range.ts';
import type { EnvironmentQuery, EnvironmentReport, EnvironmentRow } from './types.ts';
import type { ReportDeps } from './uptime.ts';

const STEP_MS = 60_000;

export async function environmentReport(d: ReportDeps, q: EnvironmentQuery): Promise<EnvironmentReport> {
  const { hall } = checkQuery(d.config, q);
  const windows: Window[] = d.calendar
    .sessionsBetween(q.hall, null, q.from, q.to)
    .map((s) => ({ start: Math.max(s.start, q.from), end: Math.min(s.end, q.to) }))
    .filter((w) => w.end > w.start);
  const means = ENV_METRICS.map((m) => `MEAN(${m}) AS ${m}`).join(', ');
  const results = await d.db.query(
    windows.map(
      (w) =>
        `SELECT ${means} FROM env WHERE hall = ${lit(q.hall)} AND time >= ${ms(w.start)} AND time < ${ms(w.end)} GROUP BY sensor, time(1m) fill(none)`,
    ),
  );
  // sensor/metric/month → samples
  const samples = new Map<string, EnvSample[]>();
  for (const series of results)
    for (const r of rowsOf(series))
      for (const m of ENV_METRICS) {
        const v = r[m];
        if (typeof v !== 'number') continue;
        const k = `${r.sensor}\u0000${m}\u0000${d.calendar.localDate(Number(r.time)).slice(0, 7)}`;
        const list = samples.get(k) ?? [];
        list.push({ t: Number(r.time), value: v });
        samples.set(k, list);
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
