// Scale-out by hall (docs/scaling.md, app/partition.ts). The product's broker (`--only broker`),
// two ingest and two alerts processes on disjoint halls (`--halls`), all against that one broker as
// `npm start` starts them: each device message is received by exactly one ingest and stored once,
// each alert opens exactly once, in the store of the process that owns its hall. Plus the checks
// that refuse overlapping, unknown and uncovered halls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UsageError } from '../../app/options.ts';
import { hashPartition, parsePartition, scopeConfig, withApiPort } from '../../app/partition.ts';
import { parseConfig } from '../../core/config/index.ts';
import { ConfigError } from '../../core/errors.ts';
import {
  DEVICE_TOPIC_FILTERS,
  forHalls,
  SERVICE_TOPIC_FILTERS,
  subscribeBatches,
} from '../../core/protocol/topics.ts';
import { freePort } from '../../runtime/ports.ts';
import { hashPassword } from '../../runtime/secrets.ts';
import {
  deepMerge,
  EXAMPLE_CONFIG,
  hallsInServiceNow,
  type Json,
  productEnvs,
  productPassword,
  productToken,
  withProductSecrets,
} from '../helpers/product.ts';

const HALLS = ['cz-main', 'cz-east'] as const;

/** Halls in service all day, one counter (w01, one seat, controller ctl-…) each, no equipment or sensors. */
function hallsOf(halls: [id: string, controller: string][]): Json[] {
  const main = hallsInServiceNow()[0]!;
  const counter = { ...(main.counters as Json[])[0]!, equipment: [] };
  return halls.map(([id, controller]) => ({
    ...main,
    id,
    name: `${id} 大厅`,
    equipment: [],
    sensors: [],
    devices: [],
    counters: [{ ...counter, controller }],
  }));
}
const twoHalls = () =>
  hallsOf([
    ['cz-main', 'ctl-w01'],
    ['cz-east', 'ctl-e01'],
  ]);

const user = (username: string, hall: string) => ({
  username,
  passwordHash: hashPassword(productPassword(username)),
  role: 'counter',
  hall,
  counter: 'w01',
  device: username,
});

const overrides: Json = {
  halls: twoHalls(),
  mqtt: {
    users: [
      user('ctl-w01', 'cz-main'),
      user('ctl-e01', 'cz-east'),
      {
        username: 'svc-hallwatch',
        passwordHash: hashPassword(productPassword('svc-hallwatch')),
        role: 'service',
      },
    ],
  },
  bridges: undefined,
  rules: { unsignedGrace: '1s' },
};

/** The example config with two halls, validated as npm start validates it (cross-checks too). */
function twoHallConfig(extra: Json = {}) {
  const example = withProductSecrets(parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Json);
  return parseConfig(deepMerge(deepMerge(example, overrides), extra), {});
}

const issuesOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error('no error');
};

describe('partition choice and validation', () => {
  it('rejects partitions that overlap, name an unknown hall or leave a hall out', () => {
    expect(
      issuesOf(() => twoHallConfig({ partitions: { east: ['cz-east', 'cz-main'], main: ['cz-main'] } })),
    ).toContain('partitions.main[0]: hall "cz-main" is already in partition "east"');
    expect(
      issuesOf(() => twoHallConfig({ partitions: { a: ['cz-main', 'cz-nope'], b: ['cz-east'] } })),
    ).toContain('partitions.a[1]: unknown hall "cz-nope"');
    expect(issuesOf(() => twoHallConfig({ partitions: { a: ['cz-main'] } }))).toContain(
      'hall "cz-east" is in no partition',
    );
    expect(issuesOf(() => twoHallConfig({ ingest: { shareGroup: 'ingest' } }))).toContain(
      'ingest.shareGroup: the embedded broker does not support shared subscriptions',
    );
    expect(
      twoHallConfig({ ingest: { shareGroup: 'ingest' }, mqtt: { url: 'mqtt://emqx:1883' } }).ingest
        .shareGroup,
    ).toBe('ingest');
    expect(twoHallConfig({ partitions: { a: ['cz-main'], b: ['cz-east'] } }).partitions).toEqual({
      a: ['cz-main'],
      b: ['cz-east'],
    });
  });

  it('--halls, --partition NAME and --partition i/n pick disjoint halls; unknown ones are refused', () => {
    const c = twoHallConfig();
    expect(parsePartition([], c)).toBeUndefined();
    expect(parsePartition(['--halls', 'cz-east'], c)).toEqual({
      key: 'cz-east',
      halls: ['cz-east'],
      lead: false,
    });
    expect(parsePartition(['--halls=cz-east,cz-main'], c)).toEqual({
      key: 'cz-main+cz-east',
      halls: ['cz-main', 'cz-east'],
      lead: true,
    });
    expect(issuesOf(() => parsePartition(['--halls', 'cz-main,cz-nope'], c))).toBe(
      'unknown hall "cz-nope" in --halls (configured: cz-main, cz-east)',
    );
    const named = twoHallConfig({ partitions: { a: ['cz-main'], b: ['cz-east'] } });
    expect(parsePartition(['--partition', 'b'], named)).toEqual({
      key: 'b',
      halls: ['cz-east'],
      lead: false,
    });
    expect(parsePartition(['--halls', 'cz-main'], named)?.key).toBe('a');
    expect(issuesOf(() => parsePartition(['--halls', 'cz-main,cz-east'], named))).toContain(
      'is not one of the configured partitions',
    );
    expect(issuesOf(() => parsePartition(['--partition', 'c'], named))).toContain('unknown partition "c"');
    expect(issuesOf(() => parsePartition(['--partition', '2/2'], c))).toContain(
      'index must be below the count',
    );
    // Hash partitions: every hall in exactly one of n.
    for (const n of [1, 2, 3]) {
      const parts = Array.from({ length: n }, (_, i) => hashPartition(c, i, n));
      expect(parts.flat().sort()).toEqual([...HALLS].sort());
    }
    const scoped = scopeConfig(c, parsePartition(['--halls', 'cz-east'], c));
    expect(scoped.halls.map((h) => h.id)).toEqual(['cz-east']);
    // Each partition's API on its own port, from the one shared configuration.
    expect(withApiPort(['--api-port', '8082'], c).api.listen).toEqual({ ...c.api.listen, port: 8082 });
    expect(withApiPort([], c)).toBe(c);
    expect(issuesOf(() => withApiPort(['--api-port', 'x'], c))).toContain('not a port number');
  });

  it('filters narrow hall/+/… to the partition halls', () => {
    expect(forHalls(['hall/+/env/+', 'hall/+/counter/+/sign'], ['a', 'b'])).toEqual([
      'hall/a/env/+',
      'hall/a/counter/+/sign',
      'hall/b/env/+',
      'hall/b/counter/+/sign',
    ]);
    expect(forHalls(['hall/+/env/+'], undefined)).toEqual(['hall/+/env/+']);
    // Hundreds of filters go out in SUBSCRIBE packets of at most 2 KB of filters each.
    const filters = forHalls([...DEVICE_TOPIC_FILTERS, ...SERVICE_TOPIC_FILTERS], ['a', 'b']);
    expect(subscribeBatches(filters)).toEqual([filters]);
    const many = forHalls(
      DEVICE_TOPIC_FILTERS,
      Array.from({ length: 50 }, (_, i) => `hall-${i}`),
    );
    const batches = subscribeBatches(many);
    expect(batches.flat()).toEqual(many);
    expect(batches.length).toBeGreaterThan(5);
    for (const b of batches)
      expect(b.reduce((n, f) => n + Buffer.byteLength(f) + 3, 0)).toBeLessThanOrEqual(2048);
  });
});

const envs = productEnvs();
afterAll(() => envs.cleanup());

async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('two ingest and two alerts processes on disjoint halls: each message stored once, each alert opened once', {
  timeout: 300_000,
}, async () => {
  const env = await envs.make({ overrides });
  twoHallConfig(); // the fixture passes npm start's cross-checks too

  // A hall unknown to the config stops npm start with a clear message (exit 2).
  const wrong = env.start({ only: ['alerts'], name: 'wrong', args: ['--halls', 'cz-nope'] });
  await expect(wrong).rejects.toThrow(/unknown hall "cz-nope" in --halls \(configured: cz-main, cz-east\)/);

  await env.start({ only: ['broker'], name: 'broker' });
  const ingest = await Promise.all(
    HALLS.map((h) => env.start({ only: ['ingest'], name: `ingest-${h}`, args: ['--halls', h] })),
  );
  for (const p of ingest)
    await p.waitForLog((l) => l.msg === 'ingest subscribed', 60_000, 'ingest subscribed');

  // A recorder counts, per hall, what the ingest of that hall must receive.
  const recorder = await mqtt.connectAsync(env.mqttUrl, {
    clientId: 'recorder',
    username: 'svc-hallwatch',
    password: productPassword('svc-hallwatch'),
  });
  const seen = new Map<string, string[]>(HALLS.map((h) => [h, []]));
  recorder.on('message', (topic) => seen.get(topic.split('/')[1]!)!.push(topic));
  await recorder.subscribeAsync(forHalls([...DEVICE_TOPIC_FILTERS, ...SERVICE_TOPIC_FILTERS], [...HALLS]), {
    qos: 1,
  });

  // cz-east's alerts process also serves its halls' API, on a port of its own (docs/scaling.md).
  const eastApi = await freePort();
  const alerts = await Promise.all(
    HALLS.map((h) =>
      h === 'cz-east'
        ? env.start({
            only: ['alerts', 'api'],
            name: `alerts-${h}`,
            args: ['--halls', h, '--api-port', `${eastApi}`],
          })
        : env.start({ only: ['alerts'], name: `alerts-${h}`, args: ['--halls', h] }),
    ),
  );
  for (const p of alerts) await p.waitForLog((l) => l.msg === 'alerts started', 60_000, 'alerts started');

  // Each hall: someone sits down, then leaves without a sign → R5 unsigned after 1 s.
  const devices = await Promise.all(
    [
      ['ctl-w01', 'cz-main'],
      ['ctl-e01', 'cz-east'],
    ].map(async ([username, hall]) => ({
      hall: hall!,
      client: await mqtt.connectAsync(env.mqttUrl, {
        clientId: username!,
        username: username!,
        password: productPassword(username!),
      }),
    })),
  );
  const t0 = Date.now();
  const seat = (hall: string, occupied: boolean, ts: number, seq: number) =>
    devices
      .find((d) => d.hall === hall)!
      .client.publishAsync(`hall/${hall}/counter/w01/seat/s1`, JSON.stringify({ occupied, ts, seq }), {
        qos: 1,
        retain: true,
      });
  for (const h of HALLS) {
    await seat(h, true, t0, 1);
    await seat(h, false, t0 + 1, 2);
  }

  const query = async (q: string) => {
    const r = await env.influxd!.query(q, env.database).catch(() => undefined);
    return r?.results[0]?.series ?? [];
  };
  const alertPoints = async (hall: string) =>
    (await query(`SELECT * FROM alert WHERE hall = '${hall}'`)).flatMap((s) => s.values ?? []).length;
  await waitUntil('an alert in InfluxDB for each hall', async () => {
    for (const h of HALLS) if ((await alertPoints(h)) === 0) return false;
    return true;
  });
  const api = async (path: string) => {
    const r = await fetch(`http://127.0.0.1:${eastApi}${path}`, {
      headers: { authorization: `Bearer ${productToken('admin')}` },
    });
    return { status: r.status, body: (await r.json()) as unknown };
  };
  expect((await api('/api/halls')).body).toEqual([expect.objectContaining({ id: 'cz-east' })]);
  const listed = (await api('/api/alerts')).body as Json[];
  expect(listed.map((a) => a.hall)).toEqual(['cz-east']);
  expect((await api('/api/halls/cz-main')).status).toBe(404);
  for (const p of alerts) await p.stop();

  // A last seat message per hall after the alerts stopped: once it is stored, its ingest has
  // received everything published before it.
  for (const h of HALLS) await seat(h, true, Date.now(), 3);
  const seatRows = async (hall: string) =>
    (await query(`SELECT * FROM seat WHERE hall = '${hall}'`)).flatMap((s) => s.values ?? []);
  await waitUntil('the last seat message stored in each hall', async () => {
    for (const h of HALLS) if ((await seatRows(h)).length < 3) return false;
    return true;
  });
  await Promise.all(devices.map((d) => d.client.endAsync()));
  await recorder.endAsync();
  for (const p of ingest) await p.stop();

  // Stored once: three seat points per hall, one per message.
  for (const h of HALLS) expect((await seatRows(h)).length).toBe(3);

  // Received once: each ingest got exactly its hall's messages (the recorder's count), no other's.
  for (const [i, h] of HALLS.entries()) {
    const stopped = ingest[i]!.logLines().find((l) => l.msg === 'ingest stopped') as Json;
    expect(stopped, `ingest ${h} logged its counters`).toBeDefined();
    const subscribed = ingest[i]!.logLines().find((l) => l.msg === 'ingest subscribed') as {
      filters: string[];
    };
    expect(subscribed.filters.every((f) => f.startsWith(`hall/${h}/`))).toBe(true);
    expect(stopped.received).toBe(seen.get(h)!.length);
    expect(seen.get(h)!.filter((t) => t.includes('/seat/')).length).toBe(3);
  }

  // Opened once, by the owner: each store holds exactly one alert, of its own hall.
  for (const h of HALLS) {
    const db = new Database(join(env.dir, 'data', `alerts-${h}.sqlite`), { readonly: true });
    const rows = db.prepare('SELECT id, type, hall, counter FROM alerts').all() as Json[];
    db.close();
    expect(rows, `alerts of the process owning ${h}`).toEqual([
      expect.objectContaining({ hall: h, counter: 'w01', type: expect.any(String) }),
    ]);
    const ids = new Set(
      seen
        .get(h)!
        .filter((t) => t.includes('/alerts/'))
        .map((t) => t.split('/')[3]),
    );
    expect([...ids]).toEqual([rows[0]!.id]);
  }
});

it('a partition of 40 halls subscribes in packets the broker takes (mqtt.limits.maxPacketBytes 4096)', {
  timeout: 300_000,
}, async () => {
  const many = Array.from({ length: 40 }, (_, i) => `cz-h${String(i).padStart(2, '0')}`);
  const env = await envs.make({
    overrides: {
      ...overrides,
      halls: hallsOf(many.map((h) => [h, `ctl-${h}`])),
      mqtt: {
        users: [
          user('ctl-cz-h39', 'cz-h39'),
          {
            username: 'svc-hallwatch',
            passwordHash: hashPassword(productPassword('svc-hallwatch')),
            role: 'service',
          },
        ],
        limits: { maxPacketBytes: 4096 },
      },
    },
  });
  const broker = await env.start({ only: ['broker'], name: 'broker' });
  const halls = many.join(',');
  const ingest = await env.start({ only: ['ingest'], name: 'ingest-many', args: ['--halls', halls] });
  await ingest.waitForLog((l) => l.msg === 'ingest subscribed', 60_000, 'ingest subscribed');
  const alerts = await env.start({ only: ['alerts'], name: 'alerts-many', args: ['--halls', halls] });
  await alerts.waitForLog((l) => l.msg === 'alerts started', 60_000, 'alerts started');
  expect(alerts.logLines().find((l) => l.msg === 'partition')).toMatchObject({
    partition: expect.stringMatching(/^halls-[0-9a-f]+$/),
    halls: many,
  });
  // The last hall's subscription is live in both: a seat message is stored and sets its state.
  const device = await mqtt.connectAsync(env.mqttUrl, {
    clientId: 'ctl-cz-h39',
    username: 'ctl-cz-h39',
    password: productPassword('ctl-cz-h39'),
  });
  await device.publishAsync(
    'hall/cz-h39/counter/w01/seat/s1',
    JSON.stringify({ occupied: true, ts: Date.now(), seq: 1 }),
    { qos: 1, retain: true },
  );
  await device.endAsync();
  await waitUntil('the seat point of cz-h39 and its staffed state in InfluxDB', async () => {
    const r = await env.influxd!.query(
      `SELECT * FROM counter_state WHERE hall = 'cz-h39' AND state = 'staffed'`,
      env.database,
    );
    const s = await env.influxd!.query(`SELECT * FROM seat WHERE hall = 'cz-h39'`, env.database);
    return Boolean(r.results[0]?.series?.length && s.results[0]?.series?.length);
  });
  expect(broker.logLines().some((l) => l.msg === 'packet over maxPacketBytes: disconnected')).toBe(false);
});
