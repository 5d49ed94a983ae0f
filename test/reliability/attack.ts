// Shared by the S-case attack tests: the product started as `npm start` starts it
// (test/helpers/product.ts), and the legitimate traffic that must keep flowing during an attack —
// a counter controller publishing its seat (QoS 1) seen by a service subscriber, and a supervisor
// calling the API — with the latency of each measured.
import net from 'node:net';
import type { IClientOptions, MqttClient } from 'mqtt';
import { connectOnce } from '../helpers/mqtt.ts';
import {
  type ProductEnv,
  type ProductProcess,
  productEnv,
  productPassword,
  productToken,
} from '../helpers/product.ts';

export const SUPERVISOR = productToken('supervisor');
export const ADMIN = productToken('admin');
/** Generous for a loaded CI machine (2 cores, 8 jobs): an attack that starves the loop shows as seconds. */
export const MAX_LATENCY_MS = 5_000;

export interface Product {
  env: ProductEnv;
  proc: ProductProcess;
  host: string;
  port: number;
}

export async function startProduct(overrides: Record<string, unknown> = {}): Promise<Product> {
  const env = await productEnv({ overrides });
  const proc = await env.start();
  const u = new URL(env.mqttUrl);
  return { env, proc, host: u.hostname, port: Number(u.port) };
}

/** Connects with the product password of `username`; resolves on CONNACK 0, rejects with the refusal. */
export const login = (url: string, username: string, opts: IClientOptions = {}): Promise<MqttClient> =>
  connectOnce(url, {
    username,
    password: productPassword(username),
    clientId: username,
    connectTimeout: 20_000,
    ...opts,
  });

export async function api(env: ProductEnv, path: string, token?: string, init: RequestInit = {}) {
  const res = await fetch(`${env.apiUrl}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer the test reads by path
  return { status: res.status, body: body as Record<string, any>, text };
}

/** The broker's refusal counters from /api/health (details need a token). */
export async function rejects(env: ProductEnv): Promise<Record<string, number>> {
  const h = await api(env, '/api/health', ADMIN);
  return (h.body.services?.broker?.details?.rejects ?? {}) as Record<string, number>;
}

export interface FlowReport {
  device: { sent: number; received: number; maxMs: number };
  api: { calls: number; failures: number; maxMs: number; statuses: number[] };
}

/**
 * Starts the legitimate traffic: `ctl-w01` publishes its seat every 100 ms (QoS 1), a service
 * subscriber times each message from publish to delivery, and the supervisor reads the hall
 * every 200 ms. `stop()` waits for the last messages and reports.
 */
export async function legitimateFlow(p: Product): Promise<{ stop(): Promise<FlowReport> }> {
  const url = p.env.mqttUrl;
  const watcher = await login(url, 'svc-hallwatch', { clientId: `probe-${process.pid}-${Date.now()}` });
  const device = await login(url, 'ctl-w01');
  const sentAt = new Map<number, number>();
  const report: FlowReport = {
    device: { sent: 0, received: 0, maxMs: 0 },
    api: { calls: 0, failures: 0, maxMs: 0, statuses: [] },
  };
  watcher.on('message', (_t, payload) => {
    const seq = (JSON.parse(payload.toString()) as { seq?: number }).seq;
    const t0 = seq === undefined ? undefined : sentAt.get(seq);
    if (t0 === undefined) return;
    sentAt.delete(seq!);
    report.device.received++;
    report.device.maxMs = Math.max(report.device.maxMs, Date.now() - t0);
  });
  await watcher.subscribeAsync('hall/cz-main/counter/w01/seat/s1', { qos: 1 });
  let seq = 0;
  let running = true;
  const started = Date.now();
  const publishing = (async () => {
    while (running) {
      const n = ++seq;
      sentAt.set(n, Date.now());
      report.device.sent++;
      await device.publishAsync(
        'hall/cz-main/counter/w01/seat/s1',
        JSON.stringify({ occupied: n % 2 === 0, seq: n, ts: Date.now() }),
        { qos: 1 },
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const calling = (async () => {
    while (running) {
      const t0 = Date.now();
      try {
        const r = await api(p.env, '/api/halls/cz-main', SUPERVISOR);
        report.api.statuses.push(r.status);
        if (r.status !== 200) report.api.failures++;
      } catch {
        report.api.failures++;
      }
      report.api.calls++;
      report.api.maxMs = Math.max(report.api.maxMs, Date.now() - t0);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    /** Stops after at least 2 s of traffic (an attack may end sooner). */
    async stop() {
      while (Date.now() - started < 2_000) await new Promise((r) => setTimeout(r, 50));
      running = false;
      await Promise.all([publishing, calling]);
      const end = Date.now() + MAX_LATENCY_MS;
      while (sentAt.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      await Promise.all([device.endAsync(true), watcher.endAsync(true)]);
      console.info(
        `legitimate flow: ${JSON.stringify({ device: report.device, api: { ...report.api, statuses: undefined } })}`,
      );
      return report;
    },
  };
}

/** What every S test asserts about the legitimate traffic after its attack. */
export function flowed(r: FlowReport): string[] {
  const problems: string[] = [];
  if (r.device.sent < 5) problems.push(`device sent only ${r.device.sent}`);
  if (r.device.received !== r.device.sent)
    problems.push(`device ${r.device.received}/${r.device.sent} delivered`);
  if (r.device.maxMs > MAX_LATENCY_MS) problems.push(`device latency ${r.device.maxMs} ms`);
  if (r.api.calls < 3) problems.push(`api called only ${r.api.calls} times`);
  if (r.api.failures > 0) problems.push(`api failures ${r.api.failures}: ${r.api.statuses.join(',')}`);
  if (r.api.maxMs > MAX_LATENCY_MS) problems.push(`api latency ${r.api.maxMs} ms`);
  return problems;
}

/** A raw TCP socket to the broker from `localAddress` (127.0.0.0/8 gives tests distinct sources). */
export function rawSocket(p: Product, localAddress = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: p.host, port: p.port, localAddress });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves when the peer closes the socket (or after `timeoutMs` with false). */
export function closedWithin(s: net.Socket, timeoutMs: number): Promise<boolean> {
  if (s.destroyed || s.readyState === 'closed') return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), timeoutMs);
    s.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
    s.on('error', () => {});
  });
}

/** An MQTT 3.1.1 CONNECT packet (raw bytes, for identifiers mqtt.js would not send). */
export function connectPacket(
  clientId: string,
  o: { username?: string; password?: string; clean?: boolean } = {},
) {
  const str = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  };
  const flags =
    (o.username !== undefined ? 0x80 : 0) |
    (o.password !== undefined ? 0x40 : 0) |
    (o.clean === false ? 0 : 0x02);
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([4, flags, 0, 60]),
    str(clientId),
    ...(o.username !== undefined ? [str(o.username)] : []),
    ...(o.password !== undefined ? [str(o.password)] : []),
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

/** Sends a raw CONNECT and resolves with the CONNACK return code (or -1 when closed first). */
export async function connackOf(p: Product, packet: Buffer, localAddress?: string): Promise<number> {
  const s = await rawSocket(p, localAddress);
  return new Promise((resolve) => {
    s.once('data', (d: Buffer) => {
      resolve(d[0] === 0x20 ? d[3]! : -1);
      s.destroy();
    });
    s.once('close', () => resolve(-1));
    s.on('error', () => {});
    s.write(packet);
  });
}
