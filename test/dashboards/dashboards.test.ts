import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../app/config.ts';
import { createCalendar } from '../../core/calendar/index.ts';
import { zoneOf } from '../../core/calendar/zone.ts';
import { type AlertPoint, alertLine, counterStateLine, intervalLine } from '../../core/points/index.ts';
import { ALERT_LABELS } from '../../dashboards/common.ts';
import { TODAY_INTERRUPTIONS } from '../../dashboards/hall-live.ts';
import { allDashboards, DATASOURCE_UID } from '../../dashboards/index.ts';
import {
  GrafanaError,
  GrafanaPermissionError,
  pushToGrafana,
  writeProvisioning,
} from '../../dashboards/provision.ts';
import { createReports } from '../../reports/index.ts';
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
    await influx.query('CREATE DATABASE today');
    const now = Date.now();
    const lines = [
      // Derived points through their one encoder (core/points), raw device points as sent.
      counterStateLine('cz-main', 'w07', { state: 'staffed', staffOnPost: 1, since: now - 600_000 }),
      counterStateLine('cz-main', 'w07', { state: 'away', staffOnPost: 0, since: now - 60_000 }),
      intervalLine({
        hall: 'cz-main',
        counter: 'w07',
        state: 'staffed',
        role: 'a',
        staff: 'E1023',
        start: now - 600_000,
        end: now - 60_000,
        localDate: '2026-03-09',
      }),
      alertLine({
        hall: 'cz-main',
        type: 'unattended',
        severity: 'critical',
        counter: 'w07',
        id: 'a1',
        status: 'open',
        openedAt: now - 30_000,
      }),
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

  it('今日缺位: interruptions opened since local midnight, retracted and voided ones left out (as a supervisor reads it)', async () => {
    // Local midnight in Asia/Shanghai, the start of the panel's "today so far".
    const zone = zoneOf('Asia/Shanghai');
    const now = Date.now();
    const midnight = zone.startOfDay(zone.localDate(now));
    const t = (k: number) => midnight + k; // still today, never in the future
    // The stored model through its one encoder (core/points).
    const alert = (
      id: string,
      type: string,
      counter: string,
      openedAt: number,
      more: Partial<AlertPoint> = {},
    ) =>
      alertLine({
        hall: 'cz-main',
        type,
        severity: 'critical',
        counter,
        id,
        status: 'open',
        openedAt,
        ...more,
      });
    const voided = { at: t(7), by: '张主任', note: '误报', void: true, previous: 'E1001' };
    const lines = [
      alert('t1', 'unattended', 'w01', t(1)),
      alert('t2', 'staffing_gap', 'w02', t(2), {
        status: 'resolved',
        resolvedAt: t(10),
        reason: 'staff_returned',
      }),
      alert('t3', 'unattended', 'w03', t(3), { status: 'resolved', resolvedAt: t(10), reason: 'retracted' }),
      alert('t4', 'late_opening', 'w04', t(4), { severity: 'warning' }),
      // R21 service_paused is an interruption; a voided one (R28) counts nowhere.
      alert('t5', 'service_paused', 'w06', t(5), { severity: 'warning' }),
      alert('t6', 'unattended', 'w07', t(6), { voided: true, attribution: [voided] }),
      alert('y1', 'unattended', 'w05', midnight - 60_000),
    ];
    const w = await fetch(`${influx.url}/write?db=today&precision=ms`, {
      method: 'POST',
      body: lines.join('\n'),
    });
    expect(w.status).toBe(204);
    const panel = panelsOf(allDashboards()[0]!).find((p) => p.title === '今日缺位次数') as PanelLike & {
      timeFrom?: string;
    };
    expect(panel.timeFrom).toBe('now/d');
    expect(panel.targets![0]!.query).toBe(TODAY_INTERRUPTIONS);
    const q = TODAY_INTERRUPTIONS.replaceAll(
      '$timeFilter',
      `time >= ${midnight}ms and time <= ${now + 1000}ms`,
    ).replaceAll('$hall', 'cz-main');
    const res = await influx.query(q, 'today');
    // t1 (open), t2 (resolved), t5 (service_paused): 3; t3 was retracted, t4 is not an
    // interruption, t6 was voided, y1 was yesterday.
    expect(res.results[0]!.series![0]!.values[0]![1]).toBe(3);
    // The API's 无缺位 report over the same points and the same day reads the same number.
    const config = loadConfig(new URL('../../config/hallwatch.example.yaml', import.meta.url).pathname);
    const reports = createReports({
      config,
      calendar: createCalendar(config),
      influx: { url: influx.url, database: 'today' },
      logger: pino({ level: 'silent' }),
    });
    const api = await reports.noAbsence({ hall: 'cz-main', from: midnight, to: now + 1000 });
    // Its interruption list (the 缺位 the API charges to counters), those opened today.
    const today = api.rows
      .filter((r) => r.subject === 'counter')
      .flatMap((r) => r.interruptions)
      .filter((i) => i.openedAt >= midnight).length;
    expect(today).toBe(3);
  });

  it('with the configuration: counter names in the picker, bands as thresholds, Chinese alert values, links', () => {
    const config = loadConfig(new URL('../../config/hallwatch.example.yaml', import.meta.url).pathname);
    const [live, assessment, facilities] = allDashboards(config) as unknown as {
      templating: { list: { name: string; query: string }[] };
      links: { type: string; tags?: string[] }[];
      panels: (PanelLike & {
        fieldConfig: { defaults: Record<string, unknown> };
        transformations?: { id: string }[];
      })[];
    }[];
    const counter = live!.templating.list.find((v) => v.name === 'counter')!;
    const first = config.halls[0]!.counters[0]!;
    expect(counter.query).toContain(`${first.name} : ${first.id}`);
    expect(live!.links[0]).toMatchObject({ type: 'dashboards', tags: ['hallwatch'] });
    const log = live!.panels.find((p) => p.title === '告警记录')!;
    const options = (log.fieldConfig.defaults.mappings as { options: Record<string, { text: string }> }[])[0]!
      .options;
    expect([
      options.unattended!.text,
      options.critical!.text,
      options.resolved!.text,
      options.retracted!.text,
    ]).toEqual(['脱岗', '严重', '已恢复', '已撤销']);
    expect(Object.keys(ALERT_LABELS)).toContain('staffing_gap');
    const bars = assessment!.panels.find((p) => p.type === 'barchart')!;
    expect(bars.transformations!.map((t) => t.id)).toEqual(['groupingToMatrix', 'organize']);
    const lux = facilities!.panels.find((p) => p.title?.startsWith('照度'))!;
    const band = config.halls[0]!.thresholds.lux!;
    expect(
      (lux.fieldConfig.defaults.thresholds as { steps: { value: number | null; color: string }[] }).steps,
    ).toEqual([
      { value: null, color: 'red' },
      { value: band.min, color: 'green' },
    ]);
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
