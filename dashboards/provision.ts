// Two ways to put the dashboards into Grafana: provisioning files (Grafana reads them at start)
// and its HTTP API (push to a running Grafana). Both are idempotent: run them again after a change.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { InfluxConfig } from '../core/config/schema.ts';
import { allDashboards, DATASOURCE_UID } from './index.ts';

export const FOLDER = { uid: 'hallwatch', title: 'HallWatch 大厅守望' };

export function datasourceOf(influx: InfluxConfig) {
  const base = {
    name: 'HallWatch InfluxDB',
    uid: DATASOURCE_UID,
    type: 'influxdb',
    access: 'proxy',
    url: influx.url,
  };
  if (influx.api === 'v2')
    // InfluxQL through the v1-compatible endpoint of InfluxDB 2.x/3.x: a DBRP mapping and a token.
    return {
      ...base,
      database: influx.bucket ?? influx.database,
      jsonData: { httpMode: 'POST', httpHeaderName1: 'Authorization' },
      secureJsonData: { httpHeaderValue1: `Token ${influx.token ?? ''}` },
    };
  return {
    ...base,
    database: influx.database,
    ...(influx.username ? { user: influx.username } : {}),
    jsonData: { httpMode: 'POST' },
    ...(influx.password ? { secureJsonData: { password: influx.password } } : {}),
  };
}

/** Writes provisioning/{datasources,dashboards}/hallwatch.yaml and one JSON per dashboard under outDir. */
export function writeProvisioning(outDir: string, influx: InfluxConfig): string[] {
  const dir = resolve(outDir);
  const jsonDir = join(dir, 'dashboards');
  mkdirSync(jsonDir, { recursive: true });
  mkdirSync(join(dir, 'provisioning', 'datasources'), { recursive: true });
  mkdirSync(join(dir, 'provisioning', 'dashboards'), { recursive: true });
  const written: string[] = [];
  const put = (path: string, text: string) => {
    writeFileSync(path, text);
    written.push(path);
  };
  for (const d of allDashboards()) put(join(jsonDir, `${d.uid}.json`), `${JSON.stringify(d, null, 2)}\n`);
  put(
    join(dir, 'provisioning', 'datasources', 'hallwatch.yaml'),
    stringify({ apiVersion: 1, datasources: [{ ...datasourceOf(influx), editable: false }] }),
  );
  put(
    join(dir, 'provisioning', 'dashboards', 'hallwatch.yaml'),
    stringify({
      apiVersion: 1,
      providers: [
        {
          name: 'hallwatch',
          folder: FOLDER.title,
          folderUid: FOLDER.uid,
          type: 'file',
          disableDeletion: false,
          allowUiUpdates: false,
          options: { path: jsonDir },
        },
      ],
    }),
  );
  return written;
}

export class GrafanaError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    body: string,
  ) {
    super(`Grafana ${method} ${path} answered ${status}: ${body.slice(0, 300)}`);
  }
}

export interface GrafanaTarget {
  url: string;
  /** Service-account token (Bearer), or basic auth user:password. */
  token?: string;
  basic?: string;
}

export interface PushResult {
  datasource: 'created' | 'updated';
  folder: 'created' | 'exists';
  dashboards: { uid: string; url?: string; version?: number }[];
}

/** Creates or updates the datasource, the folder and every dashboard over Grafana's HTTP API. */
export async function pushToGrafana(target: GrafanaTarget, influx: InfluxConfig): Promise<PushResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  else if (target.basic) headers.authorization = `Basic ${Buffer.from(target.basic).toString('base64')}`;
  const base = target.url.replace(/\/$/, '');
  const call = async (method: string, path: string, body?: unknown, allow404 = false) => {
    const r = await fetch(base + path, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await r.text();
    if (r.status === 404 && allow404) return null;
    if (!r.ok) throw new GrafanaError(method, path, r.status, text);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };

  const ds = datasourceOf(influx);
  const existing = await call('GET', `/api/datasources/uid/${DATASOURCE_UID}`, undefined, true);
  if (existing) await call('PUT', `/api/datasources/uid/${DATASOURCE_UID}`, ds);
  else await call('POST', '/api/datasources', ds);

  const folder = await call('GET', `/api/folders/${FOLDER.uid}`, undefined, true);
  if (!folder) await call('POST', '/api/folders', FOLDER);

  const dashboards: PushResult['dashboards'] = [];
  for (const d of allDashboards()) {
    const r = await call('POST', '/api/dashboards/db', {
      dashboard: { ...d, id: null },
      folderUid: FOLDER.uid,
      overwrite: true,
      message: 'provisioned by HallWatch',
    });
    dashboards.push({
      uid: d.uid!,
      url: r?.url as string | undefined,
      version: r?.version as number | undefined,
    });
  }
  return { datasource: existing ? 'updated' : 'created', folder: folder ? 'exists' : 'created', dashboards };
}
