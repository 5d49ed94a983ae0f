import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allDashboards, DATASOURCE_UID } from '../../dashboards/index.ts';
import { GrafanaError, pushToGrafana, writeProvisioning } from '../../dashboards/provision.ts';
import { startTestInfluxd } from '../helpers/influxd.ts';

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
      database: 'hallwatch',
      url: influxConfig.url,
    });
    const prov = parse(readFileSync(join(out, 'provisioning/dashboards/hallwatch.yaml'), 'utf8'));
    expect(prov.providers[0].options.path).toBe(join(out, 'dashboards'));
    const live = JSON.parse(readFileSync(join(out, 'dashboards/hallwatch-hall-live.json'), 'utf8'));
    expect(live.title).toBe('HallWatch · 大厅实时');
  });

  describe('push over the HTTP API (a local server that records what Grafana would receive)', () => {
    let server: Server;
    let url: string;
    const received: { method: string; path: string; auth?: string; body: unknown }[] = [];
    const state = { datasource: false, folder: false, requireToken: 'glsa_test' };
    const body = (req: IncomingMessage) =>
      new Promise<unknown>((resolve) => {
        let s = '';
        req.on('data', (c) => (s += c));
        req.on('end', () => resolve(s ? JSON.parse(s) : undefined));
      });
    beforeAll(async () => {
      server = createServer(async (req, res) => {
        const b = await body(req);
        received.push({ method: req.method!, path: req.url!, auth: req.headers.authorization, body: b });
        const send = (status: number, obj: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(obj));
        };
        if (req.headers.authorization !== `Bearer ${state.requireToken}`)
          return send(401, { message: 'invalid API key' });
        if (req.method === 'GET' && req.url === `/api/datasources/uid/${DATASOURCE_UID}`)
          return state.datasource ? send(200, { uid: DATASOURCE_UID }) : send(404, { message: 'not found' });
        if (req.method === 'POST' && req.url === '/api/datasources') {
          state.datasource = true;
          return send(200, { message: 'Datasource added' });
        }
        if (req.method === 'PUT' && req.url === `/api/datasources/uid/${DATASOURCE_UID}`)
          return send(200, {});
        if (req.method === 'GET' && req.url === '/api/folders/hallwatch')
          return state.folder ? send(200, { uid: 'hallwatch' }) : send(404, { message: 'not found' });
        if (req.method === 'POST' && req.url === '/api/folders') {
          state.folder = true;
          return send(200, { uid: 'hallwatch' });
        }
        if (req.method === 'POST' && req.url === '/api/dashboards/db') {
          const d = (b as { dashboard: { uid: string } }).dashboard;
          return send(200, { status: 'success', uid: d.uid, url: `/d/${d.uid}`, version: 1 });
        }
        send(404, { message: 'unexpected' });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('creates the datasource and folder once, then overwrites the dashboards on every push', async () => {
      const first = await pushToGrafana({ url, token: 'glsa_test' }, influxConfig);
      expect(first).toMatchObject({ datasource: 'created', folder: 'created' });
      expect(first.dashboards.map((d) => d.url)).toEqual([
        '/d/hallwatch-hall-live',
        '/d/hallwatch-assessment',
        '/d/hallwatch-facilities',
      ]);
      const second = await pushToGrafana({ url, token: 'glsa_test' }, influxConfig);
      expect(second).toMatchObject({ datasource: 'updated', folder: 'exists' });
      expect(received.filter((r) => r.method === 'POST' && r.path === '/api/datasources')).toHaveLength(1);
      expect(received.filter((r) => r.method === 'POST' && r.path === '/api/folders')).toHaveLength(1);
      const pushes = received.filter((r) => r.path === '/api/dashboards/db');
      expect(pushes).toHaveLength(6);
      for (const p of pushes)
        expect(p.body).toMatchObject({ overwrite: true, folderUid: 'hallwatch', dashboard: { id: null } });
    });

    it('names the call and the status when Grafana refuses the token', async () => {
      const err = await pushToGrafana({ url, token: 'wrong' }, influxConfig).catch((e) => e);
      expect(err).toBeInstanceOf(GrafanaError);
      expect(err.status).toBe(401);
      expect(err.message).toContain(`GET /api/datasources/uid/${DATASOURCE_UID} answered 401`);
    });
  });
});
