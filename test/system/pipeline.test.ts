// The whole product in one process, as `npm start` wires it: a counter controller's messages go
// through the broker into InfluxDB and the rule engine; the supervisor sees the alert in the API
// and the assessor's statistics read what the ingest stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServices } from '../../app/services.ts';
import { systemClock } from '../../core/clock.ts';
import { parseConfig } from '../../core/config/index.ts';
import { createLogger } from '../../runtime/logger.ts';
import { freePort } from '../../runtime/ports.ts';
import { hashPassword, hashToken } from '../../runtime/secrets.ts';
import { mqttEndpointOf, type ServiceContext } from '../../runtime/service.ts';
import { startTestInfluxd } from '../helpers/influxd.ts';

const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('the whole system in one process', () => {
  let influx: Awaited<ReturnType<typeof startTestInfluxd>>;
  let stop: () => Promise<void>;
  let ctx: ServiceContext;
  let device: MqttClient;
  let apiUrl: string;
  const dir = mkdtempSync(join(tmpdir(), 'hw-system-'));

  beforeAll(async () => {
    influx = await startTestInfluxd();
    const [mqttPort, apiPort] = [await freePort(), await freePort()];
    const config = parseConfig({
      dataDir: dir,
      log: { level: 'warn' },
      mqtt: {
        listen: { host: '127.0.0.1', port: mqttPort },
        service: { username: 'svc', password: 'svc-secret' },
        users: [
          { username: 'svc', passwordHash: hashPassword('svc-secret'), role: 'service' },
          {
            username: 'ctl-w01',
            passwordHash: hashPassword('dev-secret'),
            role: 'counter',
            hall: 'e2e',
            counter: 'w01',
          },
        ],
      },
      influx: { url: influx.url, api: 'v1', database: 'hallwatch' },
      api: {
        listen: { host: '127.0.0.1', port: apiPort },
        tokens: [{ name: '张主任', tokenHash: hashToken('sup-token'), role: 'supervisor' }],
      },
      // Seconds instead of minutes so the rule fires inside the test.
      rules: { awayLimit: '3s', unsignedGrace: '2s', readinessLead: '0s' },
      halls: [
        {
          id: 'e2e',
          name: '测试大厅',
          calendar: 'none',
          sessions: { 'mon-sun': ['00:00-24:00'] },
          counters: [
            {
              id: 'w01',
              name: '1号窗口 综合受理',
              controller: 'ctl-w01',
              seats: ['s1'],
              roster: { a: 'E1', b: 'E2' },
            },
          ],
        },
      ],
    });
    ctx = {
      config,
      logger: createLogger('warn'),
      clock: systemClock,
      mqtt: mqttEndpointOf(config),
      services: new Map(),
    };
    stop = await startServices(['broker', 'ingest', 'alerts', 'api'], ctx);
    apiUrl = `http://127.0.0.1:${apiPort}`;
    device = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      username: 'ctl-w01',
      password: 'dev-secret',
      clientId: 'ctl-w01',
      will: {
        topic: 'hall/e2e/device/ctl-w01/status',
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    });
    await device.publishAsync('hall/e2e/device/ctl-w01/status', 'online', { qos: 1, retain: true });
  }, 90_000);

  afterAll(async () => {
    await device?.endAsync();
    await stop?.();
    await influx?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (path: string) => {
    const r = await fetch(apiUrl + path, { headers: { authorization: 'Bearer sup-token' } });
    expect(r.status, path).toBe(200);
    return r.json() as Promise<Record<string, any>>;
  };

  it('a counter left with the away sign past the limit becomes an unattended alert in the API, stored in InfluxDB', async () => {
    const pub = (topic: string, body: object) =>
      device.publishAsync(`hall/e2e/counter/w01/${topic}`, JSON.stringify({ ...body, ts: Date.now() }), {
        qos: 1,
        retain: true,
      });
    await pub('seat/s1', { occupied: true });
    await until('staffed', async () => {
      const body = await api('/api/halls/e2e/counters');
      const w01 = (body.counters ?? body).find((c: { counter: string }) => c.counter === 'w01');
      return w01?.state === 'staffed' ? w01 : undefined;
    });
    await pub('sign', { sign: 'away' });
    const leftAt = Date.now();
    await pub('seat/s1', { occupied: false });

    const alert = await until('the unattended alert', async () => {
      const body = await api('/api/alerts?hall=e2e&type=unattended');
      const list = body.alerts ?? body;
      return list.length ? list[0] : undefined;
    });
    expect(alert).toMatchObject({
      type: 'unattended',
      severity: 'critical',
      hall: 'e2e',
      counter: 'w01',
      status: 'open',
    });
    expect(alert.openedAt - leftAt).toBeGreaterThanOrEqual(2_900);
    expect(alert.openedAt - leftAt).toBeLessThan(4_000);
    expect(alert.message).toContain('1号窗口');

    // The ingest stored the raw seat points and, through the alerts service, the alert.
    await until('seat and alert points in InfluxDB', async () => {
      const r = await influx.query(
        'SELECT count("occupied") FROM "seat"; SELECT count("id") FROM "alert"',
        'hallwatch',
      );
      const seats = r.results[0]?.series?.[0]?.values[0]?.[1];
      const alerts = r.results[1]?.series?.[0]?.values[0]?.[1];
      return seats === 2 && alerts === 1 ? true : undefined;
    });

    // Back at the counter: the alert resolves and the staffed/away intervals reach InfluxDB.
    await pub('seat/s1', { occupied: true });
    await until('resolved', async () => {
      const body = await api(`/api/alerts?hall=e2e&status=resolved`);
      const list = body.alerts ?? body;
      return list.length ? list[0] : undefined;
    });
    await until('closed intervals in InfluxDB', async () => {
      const r = await influx.query(
        'SELECT count("duration_s") FROM "counter_interval" GROUP BY "state"',
        'hallwatch',
      );
      const states = (r.results[0]?.series ?? []).map((s) => s.tags?.state);
      return states.includes('staffed') && states.includes('unattended') ? states : undefined;
    });
  });

  it('S28 through the product: leave entered through the API is applied live; the empty counter names B, stored in InfluxDB', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const r = await fetch(`${apiUrl}/api/leave`, {
      method: 'POST',
      headers: { authorization: 'Bearer sup-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        hall: 'e2e',
        staff: 'E1',
        from: minute,
        to: minute + 3_600_000,
        reason: '事假',
      }),
    });
    expect(r.status).toBe(201);
    const leave = (await r.json()) as { id: string };
    expect((await api('/api/leave?hall=e2e')).map((l: { id: string }) => l.id)).toEqual([leave.id]);
    const pub = (topic: string, body: object) =>
      device.publishAsync(`hall/e2e/counter/w01/${topic}`, JSON.stringify({ ...body, ts: Date.now() }), {
        qos: 1,
        retain: true,
      });
    await pub('sign', { sign: 'none' });
    await pub('seat/s1', { occupied: false });
    const alert = await until('the unattended alert naming B', async () => {
      const list = (await api('/api/alerts?hall=e2e&type=unattended&status=open')) as unknown as {
        details: { responsible?: { staff: string }; coverFor?: string };
      }[];
      return list.find((a) => a.details.coverFor === 'E1');
    });
    expect(alert.details.responsible).toMatchObject({ staff: 'E2', basis: 'cover' });
    // The ingest stored the approval (for replay and statistics) and the alert charged to B.
    await until('approval and alert points', async () => {
      const q = await influx.query(
        `SELECT "staff" FROM "approval" WHERE "id" = '${leave.id}'; SELECT "responsible" FROM "alert" WHERE "responsible" = 'E2'`,
        'hallwatch',
      );
      const staff = q.results[0]?.series?.[0]?.values[0]?.[1];
      const charged = q.results[1]?.series?.[0]?.values.length;
      return staff === 'E1' && charged ? true : undefined;
    });
    await pub('seat/s1', { occupied: true });
  });

  it('reports every service of the process healthy in /api/health, InfluxDB up and the spool empty', async () => {
    const r = await fetch(`${apiUrl}/api/health`);
    expect(r.status).toBe(200);
    const h = (await r.json()) as {
      status: string;
      services: Record<string, { status: string; details: Record<string, unknown> }>;
    };
    expect(h.status).toBe('ok');
    expect(Object.keys(h.services).sort()).toEqual(['alerts', 'api', 'broker', 'ingest']);
    for (const [name, s] of Object.entries(h.services)) expect(s.status, name).toBe('ok');
    expect(JSON.stringify(h)).not.toContain('svc-secret');
  });
});
