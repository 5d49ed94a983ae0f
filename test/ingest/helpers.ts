// Fixtures for the ingest tests: a bare aedes broker on port 0, a small hall configuration, a
// running ingest (in-process or as a child process) and mqtt.js publishers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { type Config, type ConfigInput, configSchema } from '../../core/config/schema.ts';
import { type IngestService, startIngest } from '../../ingest/index.ts';
import { startTestInfluxd } from '../helpers/influxd.ts';

export const silentLogger = () => pino({ level: process.env.TEST_LOG ?? 'silent' });

export interface TestBroker {
  url: string;
  /** Resolves once the client with this id has had a subscription granted (its SUBSCRIBE handled). */
  subscribed(clientId: string): Promise<void>;
  /** Resolves once the broker holds no connection of this client id (it saw the socket close). */
  gone(clientId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestBroker(): Promise<TestBroker> {
  const broker = await Aedes.createBroker();
  const subscribers = new Set<string>();
  const connected = new Set<string>();
  let waiters: { ready: () => boolean; done: () => void }[] = [];
  const settle = () => {
    const still = waiters.filter((w) => !w.ready());
    for (const w of waiters) if (!still.includes(w)) w.done();
    waiters = still;
  };
  const when = (ready: () => boolean) =>
    ready() ? Promise.resolve() : new Promise<void>((done) => waiters.push({ ready, done }));
  broker.on('client', (c) => connected.add(c.id));
  broker.on('clientDisconnect', (c) => {
    connected.delete(c.id);
    settle();
  });
  broker.on('subscribe', (_subs, c) => {
    if (c) subscribers.add(c.id);
    settle();
  });
  const server = createNetServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    subscribed: (id) => when(() => subscribers.has(id)),
    gone: (id) => when(() => !connected.has(id)),
    close: () =>
      new Promise((r) => {
        server.close();
        broker.close(() => r());
      }),
  };
}

/** What an ingest test file runs against: a real influxd, the broker, and a device publisher. */
export interface IngestStand {
  influx: Awaited<ReturnType<typeof startTestInfluxd>>;
  broker: TestBroker;
  pub: MqttClient;
}

/** Starts the stand before the file's tests and stops it after them. */
export function useIngestStand(): IngestStand {
  const stand = {} as IngestStand;
  beforeAll(async () => {
    [stand.influx, stand.broker] = await Promise.all([startTestInfluxd(), startTestBroker()]);
    stand.pub = await connectPublisher(stand.broker.url);
  });
  afterAll(async () => {
    await stand.pub?.endAsync();
    await stand.broker?.close();
    await stand.influx?.cleanup();
  });
  return stand;
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Hall `h1` with counters c00…c{n-1} (seats s1, s2; a pc), hall equipment `queue`, sensor `env1`, device `ctl1`. */
export function testConfig(o: {
  dataDir: string;
  mqttUrl: string;
  influxUrl: string;
  database?: string;
  counters?: number;
  ingest?: NonNullable<ConfigInput['ingest']>;
  influx?: Partial<NonNullable<ConfigInput['influx']>>;
}): Config {
  const n = o.counters ?? 10;
  return configSchema.parse({
    dataDir: o.dataDir,
    mqtt: { url: o.mqttUrl },
    influx: { url: o.influxUrl, api: 'v1', database: o.database ?? 'hw', ...o.influx },
    ingest: { clientId: 'ingest-test', flushInterval: '50ms', ...o.ingest },
    halls: [
      {
        id: 'h1',
        name: '测试大厅',
        calendar: 'none',
        sessions: { 'mon-sun': ['00:00-24:00'] },
        equipment: [{ id: 'queue', kind: 'queue' }],
        sensors: [{ id: 'env1' }],
        devices: [{ id: 'ctl1' }],
        counters: Array.from({ length: n }, (_, i) => ({
          id: `c${String(i).padStart(2, '0')}`,
          name: `${i}号窗口`,
          seats: ['s1', 's2'],
          equipment: [{ id: 'pc', kind: 'pc' }],
        })),
      },
    ],
  });
}

export function startTestIngest(config: Config): Promise<IngestService> {
  return startIngest({
    config,
    logger: silentLogger(),
    clock: systemClock,
    mqtt: { url: config.mqtt.url! },
    services: new Map(),
  });
}

/** The real ingest in a child process (for kill -9), from a config written to dataDir/config.json. */
export function spawnIngestChild(config: Config): ChildProcess {
  const file = join(config.dataDir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const log = openSync(join(config.dataDir, 'child.log'), 'a');
  return spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ingest-child.ts'), file], {
    stdio: ['ignore', log, log],
    cwd: join(import.meta.dirname, '../..'),
  });
}

export async function connectPublisher(
  url: string,
  clientId = `pub-${process.pid}-${Math.random()}`,
): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId, reconnectPeriod: 500 });
}

export async function waitFor<T>(
  what: string,
  f: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
