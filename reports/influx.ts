// The InfluxDB edge of the reports: InfluxQL through the `influx` package (raw JSON, epoch ms),
// many statements per request, and line-protocol writes for replay.
import { InfluxDB } from 'influx';
import type { InfluxTarget } from './types.ts';

export interface Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export class InfluxQueryError extends Error {
  constructor(
    readonly statement: string,
    readonly reason: string,
  ) {
    super(`InfluxDB query failed: ${reason} (in: ${statement.slice(0, 200)})`);
    this.name = 'InfluxQueryError';
  }
}

/** A string literal for InfluxQL. */
export const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** An epoch-ms time literal. */
export const ms = (t: number) => `${Math.trunc(t)}ms`;

/** Statements per HTTP request: long enough to save round trips, short enough for a POST body. */
const BATCH = 200;

export interface InfluxClient {
  readonly database: string;
  /** Runs the statements (batched); one list of series per statement, in order. */
  query(statements: readonly string[]): Promise<Series[][]>;
  /** Writes line-protocol lines with ms timestamps. */
  write(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export function createInfluxClient(target: InfluxTarget): InfluxClient {
  const u = new URL(target.url);
  const db = new InfluxDB({
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 8086)),
    protocol: u.protocol === 'https:' ? 'https' : 'http',
    database: target.database,
    ...(target.username ? { username: target.username, password: target.password ?? '' } : {}),
  });
  const writeUrl = new URL('/write', target.url);
  writeUrl.searchParams.set('db', target.database);
  writeUrl.searchParams.set('precision', 'ms');
  if (target.retentionPolicy) writeUrl.searchParams.set('rp', target.retentionPolicy);
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (target.username)
    headers.authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;

  return {
    database: target.database,
    async query(statements) {
      const out: Series[][] = [];
      for (let i = 0; i < statements.length; i += BATCH) {
        const chunk = statements.slice(i, i + BATCH);
        const raw = (await db.queryRaw(chunk.join(';\n'), {
          precision: 'ms',
          method: 'POST',
          ...(target.retentionPolicy ? { retentionPolicy: target.retentionPolicy } : {}),
        })) as { results?: { statement_id: number; series?: Series[]; error?: string }[]; error?: string };
        if (raw.error) throw new InfluxQueryError(chunk[0]!, raw.error);
        const results = raw.results ?? [];
        for (let k = 0; k < chunk.length; k++) {
          const r = results.find((x) => x.statement_id === k);
          if (r?.error) throw new InfluxQueryError(chunk[k]!, r.error);
          out.push(r?.series ?? []);
        }
      }
      return out;
    },
    async write(lines) {
      for (let i = 0; i < lines.length; i += 5_000) {
        const res = await fetch(writeUrl, {
          method: 'POST',
          headers,
          body: lines.slice(i, i + 5_000).join('\n'),
        });
        if (res.status !== 204)
          throw new Error(`InfluxDB write failed: HTTP ${res.status} ${await res.text()}`);
      }
    },
    async close() {},
  };
}

/** Rows of a series as objects keyed by column, with the series tags merged in. */
export function rowsOf(series: readonly Series[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const s of series)
    for (const v of s.values) {
      const row: Record<string, unknown> = { ...s.tags };
      for (let i = 0; i < s.columns.length; i++) row[s.columns[i]!] = v[i];
      out.push(row);
    }
  return out;
}
