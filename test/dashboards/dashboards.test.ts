import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allDashboards, DATASOURCE_UID } from '../../dashboards/index.ts';
import {
  GrafanaError,
  GrafanaPermissionError,
  pushToGrafana,
  writeProvisioning,
} from '../../dashboards/provision.ts';
import { startTestInfluxd } from '../helpers/influxd.ts';
import { type GrafanaStandIn, startGrafanaStandIn } from './grafana-stand-in.ts';

const influxConfig = { url: 'http://127.0.0.1:8086', api: 'v1' as const, database: 'hallwatch' };

interface Target {
  query: string;
  rawQuery: boolean;
  datasource: { uid: string };
}
interface PanelLike {
  title?: string;
  type?: string;
  targets?: Target[];
  datasource?: { uid: string };
}
const panelsOf = (d: ReturnType<typeof allDashboards>[number]) =>
  ((d.panels ?? []) as PanelLike[]).filter((p) => p.type !== 'row');

/** Grafana's macros, as Grafana expands them for a 24 h range and every hall/counter. */
function expand(q: string): string {
  return q
    .replaceAll('$timeFilter', 'time > now() - 24h')
    .replaceAll('$__interval', '1m')
    .replaceAll('$hall', '.*')
    .replaceAll('$counter', '.*');
}

describe('Grafana dashboards as code', () => {
  let influx: Awaited<ReturnType<typeof startTestInfluxd>>;
  beforeAll(async () => {
    influx = await startTestInfluxd();
    await influx.query('CREATE DATABASE hallwatch');
    const now = Date.now();
    const lines = [
      `counter_state,counter=w07,hall=cz-main state="staffed",staff_on_post=1i,since=${now - 600_000}i ${now - 600_000}`,
      `counter_state,counter=w07,hall=cz-main state="away",staff_on_post=0i,since=${now - 60_000}i ${now - 60_000}`,
      `counter_interval,counter=w07,hall=cz-main,role=a,state=staffed duration_s=540,start_ms=${now - 600_000}i,end_ms=${now - 60_000}i,staff="E1023",early_leave=false,local_date="2026-03-09" ${now - 600_000}`,
      `alert,hall=cz-main,severity=critical,type=unattended id="a1",counter="w07",status="open",opened_at_ms=${now - 30_000}i ${now - 30_000}`,
      `equipment,counter=w07,equipment=printer,hall=cz-main status="fault",code="PAPER_OUT" ${now - 120_000}`,
      `env,hall=cz-main,sensor=env1 lux=180,temperature=24.5,humidity=45,co2=800,noise=52 ${now - 90_000}`,
    ];
    const r = await fetch(`${influx.url}/write?db=hallwatch&precision=ms`, {
      method: 'POST',
      body: lines.join('\n'),
    });
    expect(r.status).toBe(204);
  });
  afterAll(async () => {
    await influx?.cleanup();
  });

  it('builds three dashboards with stable uids and Chinese titles, every query on the HallWatch datasource', () => {
    const ds = allDashboards();
    expect(ds.map((d) => d.uid)).toEqual([
      'hallwatch-hall-live',
      'hallwatch-assessment',
      'hallwatch-facilities',
    ]);
    for (const d of ds) {
      expect(d.title).toMatch(/[\u4e00-\u9fff]/);
      expect(d.timezone).toBe('Asia/Shanghai');
      for (const p of panelsOf(d)) {
        expect(p.title).toMatch(/[\u4e00-\u9fff]/);
        expect(p.targets?.length).toBeGreaterThan(0);
        for (const t of p.targets!) {
          expect(t.datasource.uid).toBe(DATASOURCE_UID);
          expect(t.rawQuery).toBe(true);
        }
      }
    }
  });

  it('every panel query runs on a real InfluxDB 1.6 against the ingest data model and finds data', async () => {
    for (const d of allDashboards())
      for (const p of panelsOf(d))
        for (const t of p.targets!) {
          const res = await influx.query(expand(t.query), 'hallwatch');
          const series = res.results[0]!.series ?? [];
          expect(series.length, `${d.title} / ${p.title}: ${t.query}`).toBeGreaterThan(0);
        }
  });

  it('writes provisioning files Grafana can read at start', () => {
    const out = mkdtempSync(join(tmpdir(), 'hw-dash-'));
    const files = writeProvisioning(out, influxConfig);
    expect(files).toHaveLength(5);
    const ds = parse(readFileSync(join(out, 'provisioning/datasources/hallwatch.yaml'), 'utf8'));
    expect(ds.datasources[0]).toMatchObject({
      uid: DATASOURCE_UID,
      type: 'influxdb',
      url: influxConfig.url,
      jsonData: { dbName: 'hallwatch', version: 'InfluxQL' },
    });
    const prov = parse(readFileSync(join(out, 'provisioning/dashboards/hallwatch.yaml'), 'utf8'));
    expect(prov.providers[0].options.path).toBe(join(out, 'dashboards'));
    const live = JSON.parse(readFileSync(join(out, 'dashboards/hallwatch-hall-live.json'), 'utf8'));
    expect(live.title).toBe('HallWatch · 大厅实时');
  });

  describe('push over the HTTP API (a Grafana stand-in that checks tokens and roles)', () => {
    let grafana: GrafanaStandIn;
    beforeAll(async () => {
      grafana = await startGrafanaStandIn({
        glsa_admin: 'Admin',
        glsa_editor: 'Editor',
        glsa_viewer: 'Viewer',
      });
    });
    afterAll(() => grafana.close());

    it('an Editor token on an empty Grafana is refused up front, naming what is missing, nothing changed', async () => {
      const err = await pushToGrafana({ url: grafana.url, token: 'glsa_editor' }, influxConfig).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(GrafanaPermissionError);
      expect(err.missing).toEqual(['datasources:create']);
      expect(err.message).toContain('Admin role');
      expect(grafana.calls.filter((c) => c.method !== 'GET')).toEqual([]);
      expect(grafana.dashboards.size).toBe(0);
    });

    it('an Admin token creates datasource (jsonData.dbName) and folder once, then overwrites the dashboards', async () => {
      const first = await pushToGrafana({ url: grafana.url, token: 'glsa_admin' }, influxConfig);
      expect(first).toMatchObject({ datasource: 'created', folder: 'created' });
      expect(first.dashboards.map((d) => d.url)).toEqual([
        '/d/hallwatch-hall-live',
        '/d/hallwatch-assessment',
        '/d/hallwatch-facilities',
      ]);
      expect(grafana.datasources.get(DATASOURCE_UID)).toMatchObject({
        type: 'influxdb',
        url: influxConfig.url,
        jsonData: { dbName: 'hallwatch', version: 'InfluxQL', httpMode: 'POST' },
      });
      expect(grafana.datasources.get(DATASOURCE_UID)).not.toHaveProperty('database');
      const second = await pushToGrafana({ url: grafana.url, token: 'glsa_admin' }, influxConfig);
      expect(second).toMatchObject({ datasource: 'updated', folder: 'exists' });
      expect(second.dashboards.every((d) => d.version === 2)).toBe(true);
      expect(grafana.calls.filter((c) => c.status >= 400 && c.status !== 404)).toEqual([]);
    });

    it('once the datasource exists, an Editor token pushes the dashboards and keeps the datasource', async () => {
      const r = await pushToGrafana({ url: grafana.url, token: 'glsa_editor' }, influxConfig);
      expect(r.datasource).toBe('kept');
      expect(r.dashboards.every((d) => d.version === 3)).toBe(true);
    });

    it('a Viewer token is refused up front; a wrong token is 401 from Grafana, named with the call', async () => {
      const v = await pushToGrafana({ url: grafana.url, token: 'glsa_viewer' }, influxConfig).catch((e) => e);
      expect(v).toBeInstanceOf(GrafanaPermissionError);
      expect(v.missing).toEqual(['dashboards:create', 'dashboards:write']);
      const err = await pushToGrafana({ url: grafana.url, token: 'wrong' }, influxConfig).catch((e) => e);
      expect(err).toBeInstanceOf(GrafanaError);
      expect(err.status).toBe(401);
      expect(err.message).toContain('GET /api/access-control/user/permissions answered 401');
      expect(err.message).toContain('invalid API key');
    });
  });
});
