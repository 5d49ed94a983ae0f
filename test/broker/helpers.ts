// Test fixtures for the broker: a small hall config with hashed device passwords, a broker on
// port 0, and mqtt.js clients that resolve once connected (or refused).
import type { IClientOptions, MqttClient } from 'mqtt';
import { type BrokerService, startBroker } from '../../broker/index.ts';
import { systemClock } from '../../core/clock.ts';
import { parseConfig } from '../../core/config/load.ts';
import type { Config, ConfigInput } from '../../core/config/schema.ts';
import { createLogger } from '../../runtime/logger.ts';
import { hashPassword } from '../../runtime/secrets.ts';
import { connectOnce } from '../helpers/mqtt.ts';

/** Device password convention of the example config: `demo-<username>`. */
export const pw = (username: string) => `demo-${username}`;

const hashes = new Map<string, string>();
function hashOf(username: string): string {
  let h = hashes.get(username);
  if (!h) {
    h = hashPassword(pw(username));
    hashes.set(username, h);
  }
  return h;
}

export function hallConfig(mqttOverrides: Partial<NonNullable<ConfigInput['mqtt']>> = {}): Config {
  return parseConfig(
    {
      mqtt: {
        listen: { host: '127.0.0.1', port: 0 },
        service: { username: 'svc-test', password: pw('svc-test') },
        users: [
          {
            username: 'ctl-w07',
            passwordHash: hashOf('ctl-w07'),
            role: 'counter',
            hall: 'demo',
            counter: 'w07',
          },
          {
            username: 'ctl-w12',
            passwordHash: hashOf('ctl-w12'),
            role: 'counter',
            hall: 'demo',
            counter: 'w12',
          },
          { username: 'hall-demo', passwordHash: hashOf('hall-demo'), role: 'hall-device', hall: 'demo' },
          { username: 'svc-test', passwordHash: hashOf('svc-test'), role: 'service' },
        ],
        // In memory unless a test asks for more: these brokers have no data dir of their own.
        persistence: { kind: 'memory' },
        ...mqttOverrides,
      },
      halls: [
        {
          id: 'demo',
          name: '示例大厅',
          sessions: { 'mon-fri': ['09:00-12:00'] },
          equipment: [{ id: 'queue', kind: 'queue' }],
          sensors: [{ id: 'env1', counter: 'w07' }, { id: 'env3' }],
          counters: [
            {
              id: 'w07',
              name: '7号窗口',
              controller: 'ctl-w07',
              seats: ['s1'],
              equipment: [{ id: 'printer', kind: 'printer' }],
            },
            { id: 'w12', name: '12号窗口', controller: 'ctl-w12', seats: ['s1', 's2'] },
          ],
        },
      ],
    },
    {},
  );
}

export async function brokerFor(config: Config): Promise<BrokerService> {
  return startBroker({
    config,
    logger: createLogger('silent'),
    clock: systemClock,
    mqtt: { url: 'mqtt://unused' },
    services: new Map(),
  });
}

/** Connects and resolves on CONNACK 0; rejects with the refusal otherwise. */
export const connect = (url: string, username: string, opts: IClientOptions = {}): Promise<MqttClient> =>
  connectOnce(url, { username, password: pw(username), clientId: username, connectTimeout: 5_000, ...opts });

/** Collects messages on `filter` (a service subscriber). */
export async function collect(
  client: MqttClient,
  filter: string,
): Promise<{ topic: string; payload: string; retain: boolean }[]> {
  const got: { topic: string; payload: string; retain: boolean }[] = [];
  client.on('message', (topic, payload, packet) =>
    got.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  await client.subscribeAsync(filter, { qos: 1 });
  return got;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Resolves when the client's connection closes. */
export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) return resolve();
    client.once('close', () => resolve());
  });
}

/** SUBSCRIBE and return the granted QoS per filter (128 = refused), without throwing on refusal. */
export function granted(client: MqttClient, filter: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    client.subscribe(filter, { qos: 1 }, (err, g) => {
      const packet = (err as (Error & { packet?: { granted?: number[] } }) | null)?.packet;
      if (packet?.granted) return resolve(packet.granted);
      if (err) return reject(err);
      resolve((g ?? []).map((x) => x.qos));
    });
  });
}
