// kill -9 of the alerts service in the middle of an away countdown: the restarted process fires
// at the original deadline, and every alert is opened and notified exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConfigInput } from '../../core/config/schema.ts';
import {
  connectClient,
  type RecordingServer,
  sleep,
  startRecordingServer,
  startTestBroker,
  type TestBroker,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.ts';

const AWAY_LIMIT_MS = 12_000;
let broker: TestBroker;
let hook: RecordingServer;
let dir: ReturnType<typeof tempDir>;
let configFile: string;
const children: ChildProcess[] = [];
const clientId = `alerts-restart-${process.pid}`;

beforeAll(async () => {
  broker = await startTestBroker();
  hook = await startRecordingServer();
  dir = tempDir();
  const input: Partial<ConfigInput> & { dataDir: string } = {
    dataDir: dir.dir,
    notifications: {
      // The stand-in robots listen on loopback: allowed explicitly, as an operator would.
      allowPrivateTargets: ['127.0.0.1'],
      channels: [{ id: 'hook', type: 'webhook', url: `${hook.url}/alerts` }],
      routes: [{ channels: ['hook'] }],
    },
  };
  // Parsed here, once: the child takes the validated config as it is.
  const base = testConfig(input);
  configFile = join(dir.dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ ...base, rules: { ...base.rules, awayLimit: AWAY_LIMIT_MS } }));
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await hook.close();
  await broker.close();
  dir.cleanup();
});

async function startChild(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/alerts/fixtures/run-alerts.ts', configFile, broker.url, clientId],
    {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  output.set(child, '');
  child.stdout!.on('data', (d: Buffer) => output.set(child, output.get(child) + d.toString()));
  await printed(child, 'READY');
  return child;
}

const output = new WeakMap<ChildProcess, string>();
/** Resolves once the child has printed `line` (READY, then DRAINED: its outbox is empty). */
function printed(child: ChildProcess, line: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const seen = () => (output.get(child) ?? '').includes(`${line}\n`);
    if (seen()) return resolve();
    // Registered after the collector above, so the output already holds this chunk.
    child.stdout!.on('data', () => seen() && resolve());
    child.once('exit', (code) => reject(new Error(`alerts child exited (${code}) before ${line}`)));
  });
}

function kill9(c: ChildProcess): Promise<void> {
  return new Promise((r) => {
    c.once('exit', () => r());
    c.kill('SIGKILL');
  });
}

it('kill -9 mid-countdown: fires at the original deadline after restart; one alert, one idempotency key', async () => {
  const device = await connectClient(broker.url);
  const observer = await connectClient(broker.url);
  const alerts: { payload: string; at: number }[] = [];
  observer.on('message', (topic, p) => {
    if (topic.startsWith('hall/cz-main/alerts/')) alerts.push({ payload: p.toString(), at: Date.now() });
  });
  await observer.subscribeAsync('hall/cz-main/alerts/+', { qos: 1 });
  const pub = (t: string, b: object) =>
    device.publishAsync(`hall/cz-main/counter/w07/${t}`, JSON.stringify(b), { qos: 1, retain: true });

  // Round 1: killed 1.5 s into a 6 s countdown, restarted at once → fires on time.
  let child = await startChild();
  await pub('seat/s1', { occupied: true, ts: Date.now() - 2000 });
  await pub('sign', { sign: 'away', ts: Date.now() - 1000 });
  const t0 = Date.now();
  await pub('seat/s1', { occupied: false, ts: t0 });
  await sleep(1500);
  await kill9(child);
  child = await startChild();
  const first = await waitFor(
    () => alerts.find((a) => a.payload),
    AWAY_LIMIT_MS + 5000,
    'alert after restart',
  );
  const a1 = JSON.parse(first.payload);
  expect(a1.openedAt).toBe(t0 + AWAY_LIMIT_MS);
  expect(first.at - (t0 + AWAY_LIMIT_MS)).toBeLessThan(3000);
  await waitFor(() => hook.received.length >= 1, 5000, 'notification');

  // Staff returns; round 2: killed mid-countdown and kept down past the deadline.
  await pub('seat/s1', { occupied: true, ts: Date.now() });
  await waitFor(() => alerts.find((a) => a.payload === ''), 5000, 'alert cleared');
  await pub('sign', { sign: 'away', ts: Date.now() });
  const t1 = Date.now();
  await pub('seat/s1', { occupied: false, ts: t1 });
  await sleep(1500);
  await kill9(child);
  await sleep(AWAY_LIMIT_MS);
  child = await startChild();
  const second = await waitFor(
    () => alerts.filter((a) => a.payload).find((a) => JSON.parse(a.payload).id !== a1.id),
    5000,
    'second alert after a late restart',
  );
  expect(JSON.parse(second.payload).openedAt).toBe(t1 + AWAY_LIMIT_MS);

  // One more kill -9 and restart with both alerts' history in the store: nothing is re-sent.
  await waitFor(() => hook.received.length >= 3, 5000, 'notifications');
  await kill9(child);
  child = await startChild();
  await printed(child, 'DRAINED');
  // The kill may land between the receiver's answer and the outbox commit: then the restart sends
  // again (at least once) under the same idempotency key, so the receiver drops the repeat.
  const keys = new Set(hook.received.map((r) => r.headers['idempotency-key']));
  const id2 = JSON.parse(second.payload).id;
  expect([...keys].sort()).toEqual(
    [`${a1.id}:open:hook`, `${a1.id}:resolve:hook`, `${id2}:open:hook`].sort(),
  );
  for (const r of hook.received) expect(r.body.idempotencyKey).toBe(r.headers['idempotency-key']);
  expect(
    new Set(hook.received.filter((r) => r.body.kind === 'open').map((r) => r.body.alert.openedAt)),
  ).toEqual(new Set([t0 + AWAY_LIMIT_MS, t1 + AWAY_LIMIT_MS]));
  const distinctOpenPayloads = new Set(alerts.filter((a) => a.payload).map((a) => JSON.parse(a.payload).id));
  expect(distinctOpenPayloads.size).toBe(2);
  device.end(true);
  observer.end(true);
  await kill9(child);
}, 120_000);
