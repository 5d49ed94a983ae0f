// Two ways to put the dashboards into Grafana: provisioning files (Grafana reads them at start)
// and its HTTP API (push to a running Grafana). Both are idempotent: run them again after a change.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Config, InfluxConfig } from '../core/config/schema.ts';
import { allDashboards, DATASOURCE_UID } from './index.ts';

export const FOLDER = { uid: 'hallwatch', title: 'HallWatch 大厅守望' };

/**
 * The datasource in Grafana's current form: the database in `jsonData.dbName` (the top-level
 * `database` field is deprecated), InfluxQL as the query language, POST for long queries.
 */
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
      jsonData: {
        version: 'InfluxQL',
        dbName: influx.bucket ?? influx.database,
        httpMode: 'POST',
        httpHeaderName1: 'Authorization',
      },
      secureJsonData: { httpHeaderValue1: `Token ${influx.token ?? ''}` },
    };
  return {
    ...base,
    ...(influx.username ? { user: influx.username } : {}),
    jsonData: { version: 'InfluxQL', dbName: influx.database, httpMode: 'POST' },
    ...(influx.password ? { secureJsonData: { password: influx.password } } : {}),
  };
}

/** Writes provisioning/{datasources,dashboards}/hallwatch.yaml and one JSON per dashboard under outDir. */
export function writeProvisioning(outDir: string, influx: InfluxConfig, config?: Config): string[] {
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
  for (const d of allDashboards(config))
    put(join(jsonDir, `${d.uid}.json`), `${JSON.stringify(d, null, 2)}\n`);
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
  /** `kept`: the datasource exists and the token may not change it (an Editor token). */
  datasource: 'created' | 'updated' | 'kept';
  folder: 'created' | 'exists';
  dashboards: { uid: string; url?: string; version?: number }[];
}

/** The token cannot do what the push needs: said before anything is changed. */
export class GrafanaPermissionError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `the Grafana token lacks ${missing.join(', ')}. Use a service-account token with the Admin role ` +
        '(creating a datasource needs an org admin), or install the datasource from the provisioning ' +
        'files (npm run dashboards -- --out DIR) and push the dashboards with an Editor token. ' +
        `/ Grafana 令牌缺少权限 ${missing.join(', ')}：请使用角色为 Admin 的服务账号令牌，或先用预置文件安装数据源。`,
    );
    this.name = 'GrafanaPermissionError';
  }
}

/** RBAC actions (Grafana 9+, GET /api/access-control/user/permissions) each step needs. */
const NEEDS = {
  dashboards: ['dashboards:create', 'dashboards:write', 'folders:read'],
  folder: ['folders:create'],
  datasourceCreate: ['datasources:create'],
  datasourceWrite: ['datasources:write'],
};

/** Creates or updates the datasource, the folder and every dashboard over Grafana's HTTP API. */
export async function pushToGrafana(
  target: GrafanaTarget,
  influx: InfluxConfig,
  config?: Config,
): Promise<PushResult> {
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

  // Up front: is the token valid, and may it do every step? (401 here = wrong or expired token.)
  const perms = (await call('GET', '/api/access-control/user/permissions', undefined, true)) as Record<
    string,
    unknown
  > | null;
  const may = (action: string) => perms === null || action in perms;
  const cannot = NEEDS.dashboards.filter((a) => !may(a));
  if (cannot.length) throw new GrafanaPermissionError(cannot);
  const existing = await call('GET', `/api/datasources/uid/${DATASOURCE_UID}`, undefined, true);
  const folder = await call('GET', `/api/folders/${FOLDER.uid}`, undefined, true);
  const missing = [...(folder ? [] : NEEDS.folder), ...(existing ? [] : NEEDS.datasourceCreate)].filter(
    (a) => !may(a),
  );
  if (missing.length) throw new GrafanaPermissionError(missing);

  const ds = datasourceOf(influx);
  let datasource: PushResult['datasource'] = 'kept';
  if (!existing) {
    await call('POST', '/api/datasources', ds);
    datasource = 'created';
  } else if (NEEDS.datasourceWrite.every(may)) {
    await call('PUT', `/api/datasources/uid/${DATASOURCE_UID}`, ds);
    datasource = 'updated';
  }
  if (!folder) await call('POST', '/api/folders', FOLDER);

  const dashboards: PushResult['dashboards'] = [];
  for (const d of allDashboards(config)) {
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
  return { datasource, folder: folder ? 'exists' : 'created', dashboards };
}
