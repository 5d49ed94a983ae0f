// The whole product in one process, as `npm start` wires it (broker, ingest, alerts, API through
// app/services.ts), on free loopback ports with a real influxd of its own, and one counter
// controller connected over MQTT with its will, like the firmware bridge.
//
//   const sys = await startSystem({ hall, rules: { noShowLimit: '5s' }, clock });
//   await sys.publish('seat/s1', { occupied: true });   // ts from the system's clock
//   const alerts = await sys.api('/api/alerts?type=unattended');
//   await sys.stop();
//
// `clock` is the clock of every service (default the system clock); a ScaledClock puts the whole
// installation at a chosen local time, as `npm run demo` does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { startServices } from '../../app/services.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { type ConfigInput, parseConfig, type RulesInput } from '../../core/config/index.ts';
import { createLogger } from '../../runtime/logger.ts';
import { freePort } from '../../runtime/ports.ts';
import { hashPassword, hashToken } from '../../runtime/secrets.ts';
import { mqttEndpointOf, type ServiceContext } from '../../runtime/service.ts';
import { startTestInfluxd } from './influxd.ts';

/** Polls `probe` until it yields a value (a fact), up to `ms`. */
export const until = async <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

type HallInput = ConfigInput['halls'][number];

export interface SystemOptions {
  /** One hall; its first counter's controller connects as the test's device. */
  hall: HallInput;
  rules?: RulesInput;
  clock?: Clock;
  /** Extra top-level config (e.g. `leave`, `closures`, `staff`). */
  extra?: Partial<ConfigInput>;
}

export interface System {
  ctx: ServiceContext;
  influx: Awaited<ReturnType<typeof startTestInfluxd>>;
  apiUrl: string;
  device: MqttClient;
  /** GET with the supervisor token (张主任); expects 200. */
  api(path: string): Promise<any>;
  /** Any request with the supervisor token. */
  request(method: string, path: string, body?: unknown): Promise<Response>;
  /** Retained QoS 1 publish on the first counter's topic, `ts` from the system's clock. */
  publish(topic: string, body: object): Promise<unknown>;
  stop(): Promise<void>;
}

export const SUPERVISOR_TOKEN = 'sup-token';

export async function startSystem(o: SystemOptions): Promise<System> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-system-'));
  const influx = await startTestInfluxd();
  try {
    return await startOn(o, dir, influx);
  } catch (err) {
    await influx.cleanup();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startOn(
  o: SystemOptions,
  dir: string,
  influx: Awaited<ReturnType<typeof startTestInfluxd>>,
): Promise<System> {
  const [mqttPort, apiPort] = [await freePort(), await freePort()];
  const counter = o.hall.counters[0]!;
  const controller = counter.controller!;
  const clock = o.clock ?? systemClock;
  const config = parseConfig({
    ...o.extra,
    dataDir: dir,
    log: { level: 'warn' },
    mqtt: {
      listen: { host: '127.0.0.1', port: mqttPort },
      service: { username: 'svc', password: 'svc-secret' },
      users: [
        { username: 'svc', passwordHash: hashPassword('svc-secret'), role: 'service' },
        {
          username: controller,
          passwordHash: hashPassword('dev-secret'),
          role: 'counter',
          hall: o.hall.id,
          counter: counter.id,
        },
      ],
    },
    influx: { url: influx.url, api: 'v1', database: 'hallwatch' },
    api: {
      listen: { host: '127.0.0.1', port: apiPort },
      tokens: [{ name: '张主任', tokenHash: hashToken(SUPERVISOR_TOKEN), role: 'supervisor' }],
    },
    ...(o.rules ? { rules: o.rules } : {}),
    halls: [o.hall],
  });
  const ctx: ServiceContext = {
    config,
    logger: createLogger('warn'),
    clock,
    mqtt: mqttEndpointOf(config),
    services: new Map(),
  };
  const stopServices = await startServices(['broker', 'ingest', 'alerts', 'api'], ctx);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const statusTopic = `hall/${o.hall.id}/device/${controller}/status`;
  const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    username: controller,
    password: 'dev-secret',
    clientId: controller,
    will: { topic: statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
  });
  await device.publishAsync(statusTopic, 'online', { qos: 1, retain: true });
  const request = (method: string, path: string, body?: unknown) =>
    fetch(apiUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${SUPERVISOR_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    ctx,
    influx,
    apiUrl,
    device,
    request,
    async api(path) {
      const r = await request('GET', path);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    },
    publish: (topic, body) =>
      device.publishAsync(
        `hall/${o.hall.id}/counter/${counter.id}/${topic}`,
        JSON.stringify({ ...body, ts: clock.now() }),
        { qos: 1, retain: true },
      ),
    async stop() {
      await device.endAsync();
      await stopServices();
      await influx.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
