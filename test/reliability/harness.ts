// Shared pieces of the fault suite (test/reliability/R*.test.ts, cases R1–R14 of
// shared/research/reliability.md): counter controllers streaming QoS 1 seat messages and keeping
// what the broker acknowledged, what InfluxDB holds, the ingest's health, and CI/soak scaling.
// The product itself is started by test/helpers/product.ts, the way `npm start` starts it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.ts';
import {
  deepMerge,
  type Json,
  type ProductEnv,
  productEnvs,
  productPassword,
  productToken,
} from '../helpers/product.ts';

/** `npm run soak` sets SOAK=1: the long versions (30-minute outage, 20 kills). */
export const SOAK = process.env.SOAK === '1';
/** A duration or count: the CI value, the soak value, or an explicit env override. */
export function scaled(name: string, ci: number, soak: number): number {
  const v = process.env[name];
  return v ? Number(v) : SOAK ? soak : ci;
}
/** Test timeout for a case whose fault lasts `faultMs`. */
export const budget = (faultMs: number) => 240_000 + 4 * faultMs;

export const HALL = 'cz-main';
export const counterId = (i: number) => `w${String(i + 1).padStart(2, '0')}`;

/** A counter controller (example config: ctl-wNN / demo-ctl-wNN) streaming seat messages. */
export class Controller {
  private client!: MqttClient;
  /** `counter:ts` of every message the broker PUBACKed. */
  readonly acked = new Set<string>();
  /** When each PUBACK arrived and how long after the first publish of its message. */
  readonly latencies: { at: number; ms: number }[] = [];
  sent = 0;
  disconnects = 0;
  private seq = 0;
  private ended = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly index: number,
    private readonly url: string,
    /** Device time of the first message; each message gets the next millisecond. */
    private readonly t0: number,
  ) {}

  get counter(): string {
    return counterId(this.index);
  }

  async connect(): Promise<void> {
    const name = `ctl-${this.counter}`;
    this.client = await mqtt.connectAsync(this.url, {
      clientId: name,
      username: name,
      password: productPassword(name),
      clean: false,
      reconnectPeriod: 300,
      connectTimeout: 30_000,
    });
    this.client.on('close', () => this.disconnects++);
  }

  /** Publishes one seat message; it counts as accepted once its PUBACK arrives. */
  publishOne(): void {
    const seq = this.seq++;
    this.sent++;
    this.send(seq, Date.now());
  }

  // mqtt.js fails (not resends) what it had not written yet when the connection drops while it
  // replays its store after a reconnect: like a real controller, publish that reading again.
  private send(seq: number, first: number): void {
    const ts = this.t0 + seq;
    this.client.publish(
      `hall/${HALL}/counter/${this.counter}/seat/s1`,
      JSON.stringify({ occupied: seq % 2 === 0, ts, seq }),
      { qos: 1 },
      (err) => {
        if (!err) {
          this.acked.add(`${this.counter}:${ts}`);
          const now = Date.now();
          this.latencies.push({ at: now, ms: now - first });
        } else if (!this.ended) setTimeout(() => this.send(seq, first), 200);
      },
    );
  }

  /** Publishes any payload on one of this controller's own topics (below its counter). */
  publishOwn(suffix: string, payload: object): Promise<unknown> {
    return this.client.publishAsync(
      `hall/${HALL}/counter/${this.counter}/${suffix}`,
      JSON.stringify(payload),
      {
        qos: 1,
      },
    );
  }

  /** Publishes at `perSecond` until stop(). */
  stream(perSecond: number): void {
    const every = 1000 / perSecond;
    let next = Date.now();
    const tick = () => {
      const now = Date.now();
      while (next <= now) {
        this.publishOne();
        next += every;
      }
      this.timer = setTimeout(tick, Math.max(5, next - Date.now()));
    };
    tick();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Resolves when every message sent so far has its PUBACK (mqtt.js resends after a reconnect). */
  async settled(timeoutMs = 120_000): Promise<void> {
    await waitUntil('every publish acknowledged', () => this.acked.size === this.sent, timeoutMs);
  }

  async end(): Promise<void> {
    this.ended = true;
    this.stop();
    await this.client.endAsync(true).catch(() => {});
  }
}

export async function controllers(env: ProductEnv, n: number, t0: number): Promise<Controller[]> {
  const cs = Array.from({ length: n }, (_, i) => new Controller(i, env.mqttUrl, t0));
  for (const c of cs) await c.connect(); // one at a time: each login is a scrypt check
  return cs;
}

export const allAcked = (cs: Controller[]) => new Set(cs.flatMap((c) => [...c.acked]));

/** `counter:ts` of every seat point of the hall in InfluxDB. */
export async function storedSeats(env: ProductEnv): Promise<Set<string>> {
  const r = await env.influxd!.query(
    `SELECT occupied FROM seat WHERE hall = '${HALL}' GROUP BY counter`,
    env.database,
  );
  const out = new Set<string>();
  for (const s of r.results[0]?.series ?? [])
    for (const v of s.values) out.add(`${s.tags?.counter}:${v[0] as number}`);
  return out;
}

export const missing = (accepted: Set<string>, stored: Set<string>) =>
  [...accepted].filter((k) => !stored.has(k));

/** Waits until InfluxDB holds every accepted point; returns how long that took. */
export async function allStored(
  env: ProductEnv,
  accepted: Set<string>,
  timeoutMs = 180_000,
): Promise<number> {
  const t = Date.now();
  let last: string[] = [];
  try {
    await waitUntil(
      'every accepted point in InfluxDB',
      async () => {
        last = missing(accepted, await storedSeats(env).catch(() => new Set<string>()));
        return last.length === 0;
      },
      timeoutMs,
    );
  } catch (e) {
    throw new Error(
      `${(e as Error).message}: ${last.length} of ${accepted.size} missing, e.g. ${last.slice(0, 5)}`,
    );
  }
  return Date.now() - t;
}

/** GET /api/health with the admin token: every service's details. */
export async function health(env: ProductEnv): Promise<{ status: string; services: Record<string, Json> }> {
  const r = await fetch(`${env.apiUrl}/api/health`, {
    headers: { authorization: `Bearer ${productToken('admin')}` },
  });
  // 503 is health's answer while a service is down (R4 waits for exactly that): its body still counts.
  if (!r.ok && r.status !== 503) throw new Error(`GET /api/health: ${r.status} ${await r.text()}`);
  return (await r.json()) as { status: string; services: Record<string, Json> };
}

export async function ingestHealth(env: ProductEnv): Promise<{ status: string; details: Json }> {
  return (await health(env)).services.ingest as unknown as { status: string; details: Json };
}

export async function waitUntil(
  what: string,
  f: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let err: unknown;
  while (Date.now() < end) {
    try {
      if (await f()) return;
    } catch (e) {
      err = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out (${timeoutMs} ms) waiting for ${what}${err ? `: ${String(err)}` : ''}`);
}

/**
 * Products whose InfluxDB sits behind a fault-injecting proxy (test/helpers/fault-proxy.ts), for
 * one test file: `make()` one per case, or `shared()` — one started product for the whole file,
 * each case injecting and lifting its own fault. `cleanup()` (afterAll) ends products, influxd
 * and proxies.
 */
export function proxiedEnvs() {
  const envs = productEnvs();
  const proxies: FaultProxy[] = [];
  const make = async (overrides: Json = {}): Promise<{ env: ProductEnv; proxy: FaultProxy }> => {
    const proxy = await startFaultProxy();
    proxies.push(proxy);
    const env = await envs.make({ overrides: deepMerge({ influx: { url: proxy.url } }, overrides) });
    proxy.setTarget(env.influxd!.url);
    return { env, proxy };
  };
  let shared: ReturnType<typeof make> | undefined;
  return {
    make,
    shared: () => {
      shared ??= make().then(async (e) => {
        await e.env.start({ readyTimeoutMs: 180_000 });
        return e;
      });
      return shared;
    },
    async cleanup() {
      await envs.cleanup();
      await Promise.all(proxies.splice(0).map((p) => p.close()));
    },
  };
}

/** The ingest's dead-letter file, parsed. */
export function deadLetters(env: ProductEnv): { reason: string; line?: string; detail: string }[] {
  const file = join(env.dir, 'data/ingest/deadletter.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
