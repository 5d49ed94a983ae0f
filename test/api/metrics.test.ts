// GET /metrics of the product as `npm start` runs it: device messages move the broker's, the
// ingest's and the alerts service's counters by exactly what was sent, an equipment fault shows
// as an open alert of its type, a refused then accepted webhook shows as one channel failure, one
// sent notification and one latency observation. Only an admin token reads /metrics on the API;
// HALLWATCH_METRICS_LISTEN serves the same metrics on loopback without a token, and split
// processes (--only broker, --only ingest) each serve their own that way.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { METRICS_LISTEN_ENV } from '../../runtime/metrics-listener.ts';
import { freePort } from '../../runtime/ports.ts';
import {
  hallsInServiceNow,
  type ProductEnv,
  productEnvs,
  productPassword,
  productToken,
  webhookNotifications,
} from '../helpers/product.ts';
import { type Exposition, parseExposition } from '../helpers/prometheus.ts';

/** A webhook that refuses its first request (503) and accepts every later one. */
async function webhook() {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(requests === 1 ? 503 : 200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

const envs = productEnvs();
let hook: Awaited<ReturnType<typeof webhook>> | undefined;
afterAll(async () => {
  await envs.cleanup();
  await hook?.close();
});

const scrape = async (url: string, token?: string): Promise<Exposition> => {
  const r = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await r.text());
};

async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('/metrics', () => {
  let env: ProductEnv;
  let listenUrl: string;

  it('device messages move each service’s counters by exactly what was sent', {
    timeout: 180_000,
  }, async () => {
    hook = await webhook();
    env = await envs.make({
      overrides: {
        halls: hallsInServiceNow(),
        notifications: webhookNotifications(hook.url, ['equipment_fault'], { initial: '200ms', max: '1s' }),
      },
    });
    const metricsPort = await freePort();
    listenUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const all = await env.start({
      readyTimeoutMs: 180_000,
      env: { [METRICS_LISTEN_ENV]: `127.0.0.1:${metricsPort}` },
    });
    await all.waitForLog((l) => l.msg === 'ingest subscribed', 60_000, 'ingest subscribed');
    const url = `${env.apiUrl}/metrics`;
    const admin = productToken('admin');
    const before = await scrape(url, admin);
    for (const [name, type] of [
      ['hallwatch_broker_messages_received_total', 'counter'],
      ['hallwatch_ingest_messages_received_total', 'counter'],
      ['hallwatch_ingest_spool_points', 'gauge'],
      ['hallwatch_ingest_spool_bytes', 'gauge'],
      ['hallwatch_ingest_influx_write_duration_seconds', 'histogram'],
      ['hallwatch_alerts_notification_latency_seconds', 'histogram'],
      ['hallwatch_alerts_outbox_pending', 'gauge'],
      ['hallwatch_alerts_open', 'gauge'],
    ])
      expect(before.types.get(name!), name).toBe(type);

    const device = await mqtt.connectAsync(env.mqttUrl, {
      clientId: 'ctl-w01',
      username: 'ctl-w01',
      password: productPassword('ctl-w01'),
    });
    const seats = 5;
    const t0 = Date.now();
    for (let i = 1; i <= seats; i++)
      await device.publishAsync(
        'hall/cz-main/counter/w01/seat/s1',
        JSON.stringify({ occupied: i % 2 === 1, ts: t0 + i, seq: i }),
        { qos: 1 },
      );
    // Not a seat message (occupied must be a boolean): rejected by the ingest and by the alerts service.
    await device.publishAsync(
      'hall/cz-main/counter/w01/seat/s1',
      JSON.stringify({ occupied: 'yes', ts: t0 + 10, seq: 10 }),
      { qos: 1 },
    );
    await device.publishAsync(
      'hall/cz-main/counter/w01/equipment/printer',
      JSON.stringify({ status: 'fault', code: 'PAPER_OUT', ts: t0 + 20 }),
      { qos: 1 },
    );
    await device.endAsync();
    const sent = seats + 2;

    const delta = (now: Exposition, name: string, labels?: Record<string, string>) =>
      (now.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
    let after = before;
    await until('both services read every message and the webhook took the notification', async () => {
      after = await scrape(url, admin);
      return (
        delta(after, 'hallwatch_ingest_messages_received_total') >=
          sent + delta(after, 'hallwatch_alerts_messages_published_total') &&
        delta(after, 'hallwatch_alerts_messages_received_total') >= sent &&
        delta(after, 'hallwatch_alerts_notifications_sent_total', { channel: 'hook' }) >= 1
      );
    });
    // The broker took the device's messages and the alerts service's (state, alerts); the ingest
    // reads both (it stores states and alerts too), the alerts service the device's only.
    const published = delta(after, 'hallwatch_alerts_messages_published_total');
    expect(published).toBeGreaterThanOrEqual(1);
    expect(delta(after, 'hallwatch_broker_messages_received_total')).toBe(sent + published);
    expect(delta(after, 'hallwatch_ingest_messages_received_total')).toBe(sent + published);
    expect(delta(after, 'hallwatch_alerts_messages_received_total')).toBe(sent);
    expect(after.sum('hallwatch_ingest_rejects_total') - before.sum('hallwatch_ingest_rejects_total')).toBe(
      1,
    );
    expect(
      after.sum('hallwatch_alerts_messages_rejected_total') -
        before.sum('hallwatch_alerts_messages_rejected_total'),
    ).toBe(1);
    expect(after.value('hallwatch_alerts_open', { type: 'equipment_fault' })).toBe(1);
    expect(delta(after, 'hallwatch_alerts_opened_total')).toBeGreaterThanOrEqual(1);
    expect(delta(after, 'hallwatch_alerts_notifications_sent_total', { channel: 'hook' })).toBe(1);
    expect(delta(after, 'hallwatch_alerts_channel_failures_total', { channel: 'hook' })).toBe(1);
    expect(hook.requests()).toBe(2);
    expect(delta(after, 'hallwatch_alerts_notification_latency_seconds_count', { channel: 'hook' })).toBe(1);
    expect(after.value('hallwatch_alerts_outbox_pending', { channel: 'hook' })).toBe(0);
    // The refused first attempt waited its backoff (≥ 160 ms with jitter): the latency shows it.
    expect(
      delta(after, 'hallwatch_alerts_notification_latency_seconds_bucket', { channel: 'hook', le: '0.1' }),
    ).toBe(0);
    await until('InfluxDB confirmed the points', async () => {
      after = await scrape(url, admin);
      return delta(after, 'hallwatch_ingest_points_written_total') >= seats + 1;
    });
    expect(delta(after, 'hallwatch_ingest_influx_write_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(after.value('hallwatch_ingest_spool_points')).toBe(0);
    expect(after.value('hallwatch_ingest_influx_up')).toBe(1);
  });

  it('the API refuses /metrics without an admin token', async () => {
    const url = `${env.apiUrl}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const wrong = await fetch(url, { headers: { authorization: 'Bearer not-a-token' } });
    expect(wrong.status).toBe(401);
    const supervisor = await fetch(url, {
      headers: { authorization: `Bearer ${productToken('supervisor')}` },
    });
    expect(supervisor.status).toBe(403);
    expect(await supervisor.text()).not.toContain('hallwatch_');
  });

  it('HALLWATCH_METRICS_LISTEN serves the same metrics on loopback, /metrics only', async () => {
    const viaApi = await scrape(`${env.apiUrl}/metrics`, productToken('admin'));
    const viaListener = await scrape(listenUrl);
    const names = (e: Exposition) => [...e.types.keys()].filter((n) => n.startsWith('hallwatch_')).sort();
    expect(names(viaListener)).toEqual(names(viaApi));
    expect(viaListener.value('hallwatch_alerts_open', { type: 'equipment_fault' })).toBe(1);
    expect((await fetch(listenUrl.replace('/metrics', '/api/health'))).status).toBe(404);
  });
});

describe('/metrics of split processes (--only, HALLWATCH_METRICS_LISTEN each)', () => {
  it('the broker and the ingest each serve their own counters, moved by exactly what was sent', {
    timeout: 180_000,
  }, async () => {
    const env = await envs.make();
    const [brokerPort, ingestPort] = [await freePort(), await freePort()];
    await env.start({ only: ['broker'], env: { [METRICS_LISTEN_ENV]: `127.0.0.1:${brokerPort}` } });
    const ingest = await env.start({
      only: ['ingest'],
      env: { [METRICS_LISTEN_ENV]: `127.0.0.1:${ingestPort}` },
      readyTimeoutMs: 120_000,
    });
    await ingest.waitForLog((l) => l.msg === 'ingest subscribed', 60_000, 'ingest subscribed');
    const brokerUrl = `http://127.0.0.1:${brokerPort}/metrics`;
    const ingestUrl = `http://127.0.0.1:${ingestPort}/metrics`;
    const [b0, i0] = [await scrape(brokerUrl), await scrape(ingestUrl)];
    const names = (e: Exposition) => [...e.types.keys()].filter((n) => n.startsWith('hallwatch_'));
    expect(
      names(b0).every((n) => n.startsWith('hallwatch_broker_') || /^hallwatch_(process|nodejs)_/.test(n)),
    ).toBe(true);
    expect(
      names(i0).every((n) => n.startsWith('hallwatch_ingest_') || /^hallwatch_(process|nodejs)_/.test(n)),
    ).toBe(true);

    const device = await mqtt.connectAsync(env.mqttUrl, {
      clientId: 'ctl-w02',
      username: 'ctl-w02',
      password: productPassword('ctl-w02'),
    });
    const sent = 3;
    for (let i = 1; i <= sent; i++)
      await device.publishAsync(
        'hall/cz-main/counter/w02/seat/s1',
        JSON.stringify({ occupied: i % 2 === 1, ts: Date.now(), seq: i }),
        { qos: 1 },
      );
    await device.endAsync();
    const moved = (a: Exposition, b: Exposition, name: string) => (b.value(name) ?? 0) - (a.value(name) ?? 0);
    let i1 = i0;
    await until('the ingest read every message', async () => {
      i1 = await scrape(ingestUrl);
      return moved(i0, i1, 'hallwatch_ingest_messages_received_total') >= sent;
    });
    const b1 = await scrape(brokerUrl);
    // Nobody else publishes here (no alerts service): the broker's count is the device's alone.
    expect(moved(b0, b1, 'hallwatch_broker_messages_received_total')).toBe(sent);
    expect(moved(i0, i1, 'hallwatch_ingest_messages_received_total')).toBe(sent);
    expect(b1.value('hallwatch_broker_connections')).toBeGreaterThanOrEqual(1);
  });
});
