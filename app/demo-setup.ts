// What the one-command demo prepares before it starts the services: InfluxDB, ports, a config
// derived from the example hall, and the simulated morning it plays.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseDocument } from 'yaml';
import { createCalendar } from '../core/calendar/index.ts';
import { addDays } from '../core/calendar/zone.ts';
import { type Config, parseConfig } from '../core/config/index.ts';
import { freePort } from '../runtime/ports.ts';
import { ensureSystemPackages, INFLUXDB, SystemPackagesMissingError } from '../runtime/system-packages.ts';

/** Installs Debian's influxdb when missing and we are root; otherwise says the one command to run. */
export function ensureInfluxd(say: (line: string) => void): void {
  try {
    ensureSystemPackages([INFLUXDB], { say });
  } catch (e) {
    if (!(e instanceof SystemPackagesMissingError)) throw e;
    say(`未找到 InfluxDB / InfluxDB is missing. Run:  ${e.command}`);
    process.exit(1);
  }
}

/** The preferred port when it is free, else any free port. */
export function portOr(preferred: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(freePort(host)));
    srv.listen(preferred, host, () => srv.close(() => resolve(preferred)));
  });
}

export interface DemoPorts {
  mqtt: number;
  api: number;
}

/** The example hall with the demo's data dir, InfluxDB and ports. */
export function demoConfig(
  exampleFile: string,
  dataDir: string,
  influxUrl: string,
  ports: DemoPorts,
): Config {
  // biome-ignore lint/suspicious/noExplicitAny: plain YAML tree, validated by parseConfig below
  const raw = parseDocument(readFileSync(exampleFile, 'utf8')).toJS() as Record<string, any>;
  raw.dataDir = dataDir;
  raw.log = { level: process.env.LOG_LEVEL ?? 'warn' };
  raw.mqtt.listen = { host: '127.0.0.1', port: ports.mqtt };
  raw.influx = { url: influxUrl, api: 'v1', database: 'hallwatch' };
  raw.api.listen = { host: '127.0.0.1', port: ports.api };
  return parseConfig(raw, process.env, exampleFile);
}

/**
 * The simulated clock starts a few minutes before the readiness window of the last service
 * morning before today, so readiness checks, punctual and late openings all play within a minute
 * and the simulated day stays in the past (InfluxDB and Grafana see ordinary history).
 */
export function demoStart(config: Config, realNow: number, leadMs = 16 * 60_000): number {
  const calendar = createCalendar(config);
  const hall = config.halls[0]!.id;
  for (let back = 1; back < 15; back++) {
    const first = calendar.sessionsOn(hall, null, calendar.localDate(realNow - back * 86_400_000))[0];
    if (first) return first.start - leadMs;
  }
  throw new Error('no service day in the last two weeks: check the hall sessions');
}

/** Local midnight `days` days before the day of `start`: where the demo's seeded history begins. */
export function historyStart(config: Config, start: number, days = 30): number {
  const calendar = createCalendar(config);
  const date = calendar.localDate(start);
  return calendar.startOfDay(addDays(date, -days));
}
