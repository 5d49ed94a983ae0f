// Statistics and reports for assessors (issue 7): InfluxQL reads → core/stats → JSON, CSV, XLSX.
// The API calls createReports(...) once per process; every method is read-only.

import { zoneOf } from '../core/calendar/zone.ts';
import type { Config } from '../core/config/schema.ts';
import { environmentReport } from './environment.ts';
import { equipmentReport } from './equipment.ts';
import { environmentCsv, equipmentCsv, noAbsenceCsv, toXlsx, uptimeCsv } from './export.ts';
import { createInfluxClient } from './influx.ts';
import { intervalsOf } from './intervals.ts';
import { noAbsenceReport } from './no-absence.ts';
import type { InfluxTarget, QueryOf, ReportKind, Reports, ReportsOptions } from './types.ts';
import { type ReportDeps, uptimeReport } from './uptime.ts';

export { environmentCsv, equipmentCsv, noAbsenceCsv, toXlsx, uptimeCsv } from './export.ts';
export * from './types.ts';

/**
 * The InfluxQL endpoint of the configured InfluxDB. For `api: v2` the v1-compatible /query and
 * /write endpoints are used (database = bucket via the DBRP mapping, the token as password).
 */
export function influxTargetOf(c: NonNullable<Config['influx']>): InfluxTarget {
  const v2 = c.api === 'v2';
  return {
    url: c.url,
    database: v2 ? (c.bucket ?? c.database) : c.database,
    ...(c.retentionPolicy ? { retentionPolicy: c.retentionPolicy } : {}),
    ...(c.username
      ? { username: c.username, password: c.password ?? '' }
      : v2 && c.token
        ? { username: 'hallwatch', password: c.token }
        : {}),
  };
}

export function createReports(opts: ReportsOptions): Reports {
  const target = opts.influx ?? (opts.config.influx ? influxTargetOf(opts.config.influx) : undefined);
  if (!target) throw new Error('reports need an InfluxDB target (config.influx)');
  const db = createInfluxClient(target);
  const d: ReportDeps = { db, config: opts.config, calendar: opts.calendar };
  const log = opts.logger.child({ wing: 'reports' });
  const timed =
    <Q, R>(name: string, fn: (d: ReportDeps, q: Q) => Promise<R>) =>
    async (q: Q): Promise<R> => {
      const t0 = performance.now();
      const r = await fn(d, q);
      log.debug({ report: name, query: q, ms: Math.round(performance.now() - t0) }, 'report computed');
      return r;
    };
  const uptime = timed('uptime', uptimeReport);
  const equipment = timed('equipment', equipmentReport);
  const environment = timed('environment', environmentReport);
  const noAbsence = timed('noAbsence', noAbsenceReport);

  const csvOf: { [K in ReportKind]: (q: QueryOf[K]) => Promise<string> } = {
    uptime: async (q) => uptimeCsv(await uptime(q)),
    equipment: async (q) => equipmentCsv(await equipment(q)),
    environment: async (q) => environmentCsv(await environment(q)),
    noAbsence: async (q) => noAbsenceCsv(await noAbsence(q)),
  };

  return {
    uptime,
    equipment,
    environment,
    noAbsence,
    intervals: (q) => intervalsOf(d, q),
    csv: (kind, q) => csvOf[kind](q),
    uptimeCsv: csvOf.uptime,
    equipmentCsv: csvOf.equipment,
    async xlsx(q) {
      const range = { hall: q.hall, from: q.from, to: q.to };
      const [u, s, e, env, n] = await Promise.all([
        uptime({ ...range, ...(q.counter ? { counter: q.counter } : {}), by: q.by }),
        uptime({ ...range, ...(q.counter ? { counter: q.counter } : {}), by: q.by, scope: 'staff' }),
        equipment({ ...range, ...(q.counter ? { counter: q.counter } : {}) }),
        environment(range),
        noAbsence({ ...range, ...(q.counter ? { counter: q.counter } : {}) }),
      ]);
      const localTime = zoneOf(d.calendar.timezone).localDateTime;
      return toXlsx({ uptime: u, staff: s, equipment: e, environment: env, noAbsence: n, localTime });
    },
    close: () => db.close(),
  };
}
