// The whole product in one process, as `npm start` wires it: a counter controller's messages go
// through the broker into InfluxDB and the rule engine; the supervisor sees the alert in the API
// and the assessor's statistics read what the ingest stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, startSystem, until } from '../helpers/system.ts';

describe('the whole system in one process', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({
      // Seconds instead of minutes so the rule fires inside the test.
      rules: { awayLimit: '3s', unsignedGrace: '2s', readinessLead: '0s' },
      hall: {
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
    });
  }, 90_000);

  afterAll(async () => {
    await sys?.stop();
  });

  const api = (path: string) => sys.api(path) as Promise<Record<string, any>>;
  const pub = (topic: string, body: object) => sys.publish(topic, body);

  it('a counter left with the away sign past the limit becomes an unattended alert in the API, stored in InfluxDB', async () => {
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
      const r = await sys.influx.query(
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
      const r = await sys.influx.query(
        'SELECT count("duration_s") FROM "counter_interval" GROUP BY "state"',
        'hallwatch',
      );
      const states = (r.results[0]?.series ?? []).map((s) => s.tags?.state);
      return states.includes('staffed') && states.includes('unattended') ? states : undefined;
    });
  });

  it('S28 through the product: leave entered through the API is applied live; the empty counter names B, stored in InfluxDB', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const r = await sys.request('POST', '/api/leave', {
      hall: 'e2e',
      staff: 'E1',
      from: minute,
      to: minute + 3_600_000,
      reason: '事假',
    });
    expect(r.status).toBe(201);
    const leave = (await r.json()) as { id: string };
    expect((await api('/api/leave?hall=e2e')).map((l: { id: string }) => l.id)).toEqual([leave.id]);
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
      const q = await sys.influx.query(
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
    const r = await fetch(`${sys.apiUrl}/api/health`);
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
