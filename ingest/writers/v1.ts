// InfluxDB 1.x writer: line protocol POSTed to /write over keep-alive HTTP. The `influx` package
// creates the database and retention policy; writes skip it because building its IPoint objects
// per point costs more CPU than the whole rest of the ingest (docs/ingest.md, "Writers").
import http from 'node:http';
import https from 'node:https';
import type { InfluxDB, ISingleHostConfig } from 'influx';
import { classifyStatus, WriteError, type Writer } from './types.ts';

export interface V1Options {
  url: string;
  database: string;
  retentionPolicy?: string;
  /** e.g. "400d"; INF when absent. */
  retentionDuration?: string;
  username?: string;
  password?: string;
  timeoutMs: number;
  maxSockets: number;
}

export function createV1Writer(o: V1Options): Writer {
  const base = new URL(o.url);
  const lib = base.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: o.maxSockets });
  const q = new URLSearchParams({ db: o.database, precision: 'ms' });
  if (o.retentionPolicy) q.set('rp', o.retentionPolicy);
  if (o.username) q.set('u', o.username);
  if (o.password) q.set('p', o.password);
  const path = `${base.pathname.replace(/\/$/, '')}/write?${q}`;
  // The `influx` package is loaded on first use: it is only needed to create the database.
  let adminClient: InfluxDB | undefined;
  const admin = async () => {
    const { InfluxDB } = await import('influx');
    adminClient ??= new InfluxDB(adminOptions);
    return adminClient;
  };
  const adminOptions: ISingleHostConfig = {
    host: base.hostname,
    port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
    protocol: base.protocol === 'https:' ? 'https' : 'http',
    database: o.database,
    ...(o.username ? { username: o.username } : {}),
    ...(o.password ? { password: o.password } : {}),
  };

  return {
    api: 'v1',
    target: `${base.origin}/${o.database}`,
    async ensureSchema() {
      const a = await admin();
      const names = await a.getDatabaseNames();
      if (!names.includes(o.database)) await a.createDatabase(o.database);
      if (o.retentionPolicy) {
        const rps = await a.showRetentionPolicies(o.database);
        if (!rps.some((r) => r.name === o.retentionPolicy))
          await a.createRetentionPolicy(o.retentionPolicy, {
            database: o.database,
            duration: o.retentionDuration ?? 'INF',
            replication: 1,
          });
      }
    },
    write(lines) {
      const body = lines.join('\n');
      return new Promise<void>((resolve, reject) => {
        const req = lib.request(
          {
            host: base.hostname,
            port: base.port,
            path,
            method: 'POST',
            agent,
            timeout: o.timeoutMs,
            headers: {
              'content-type': 'text/plain; charset=utf-8',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            const status = res.statusCode ?? 0;
            if (status === 204) {
              res.resume();
              res.on('end', resolve);
              return;
            }
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              if (text.length < 4096) text += c;
            });
            res.on('end', () => reject(classifyStatus(status, text, res.headers['retry-after'] as string)));
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
        req.on('error', (e) => reject(e instanceof WriteError ? e : new WriteError('retry', e.message)));
        req.end(body);
      });
    },
    async close() {
      agent.destroy();
    },
  };
}

/** Retention durations for InfluxQL: whole hours (InfluxQL takes one unit per literal). */
export function influxDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 3_600_000))}h`;
}
