// The outbox worker: retries with backoff until a channel recovers, delivers once, keeps a
// failing channel from holding up the others, and folds a burst into digests for group robots.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, Dispatcher } from '../../../alerts/notify/dispatcher.ts';
import { createWebhookNotifier } from '../../../alerts/notify/webhook.ts';
import { createWecomNotifier } from '../../../alerts/notify/wecom.ts';
import { type AlertStore, openStore } from '../../../alerts/store/index.ts';
import { silentLogger, sleep, startRecordingServer, tempDir, testConfig, waitFor } from '../helpers.ts';
import { notificationOf, unattendedAlert } from './fixtures.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(): { store: AlertStore } {
  const t = tempDir();
  const store = openStore(join(t.dir, 'alerts.sqlite'));
  cleanups.push(t.cleanup, () => store.close());
  return { store };
}

const retry = { initialMs: 100, maxMs: 400, giveUpAfterMs: 60_000 };
const config = testConfig({ dataDir: '/tmp/unused' });

function enqueue(store: AlertStore, channelId: string, n: number, base = Date.now()): string[] {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = unattendedAlert(base + i);
    const key = `${a.id}:open:${channelId}`;
    store.outbox.enqueue(key, channelId, 'open', notificationOf(config, a, key), Date.now(), a.id);
    keys.push(key);
  }
  return keys;
}

describe('outbox dispatcher', () => {
  it('backoff doubles from the initial delay up to the cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, retry, mid))).toEqual([100, 200, 400, 400, 400]);
  });

  it('a channel down for a while delivers after it recovers, exactly once per key; others are not held up', async () => {
    const { store } = setup();
    let up = false;
    const flaky = await startRecordingServer(() =>
      up ? { status: 200, body: {} } : { status: 503, body: {} },
    );
    const healthy = await startRecordingServer();
    cleanups.push(
      () => flaky.close(),
      () => healthy.close(),
    );
    const d = new Dispatcher({
      store,
      notifiers: [
        createWebhookNotifier({ id: 'flaky', url: `${flaky.url}/in` }),
        createWebhookNotifier({ id: 'healthy', url: `${healthy.url}/in` }),
      ],
      retry,
      now: Date.now,
      logger: silentLogger(),
    });
    cleanups.push(() => d.stop());
    const flakyKeys = enqueue(store, 'flaky', 3);
    const healthyKeys = enqueue(store, 'healthy', 3);
    d.kick();
    await waitFor(() => healthy.received.length === 3, 5000, 'healthy channel');
    await sleep(700);
    expect(flaky.received).toHaveLength(0);
    const h = d.health().find((c) => c.id === 'flaky')!;
    expect(h.status).toBe('failing');
    expect(h.pending).toBe(3);
    expect(h.lastError).toContain('HTTP 503');
    up = true;
    await waitFor(() => flaky.received.length === 3, 5000, 'flaky channel after recovery');
    await sleep(600);
    expect(flaky.received.map((r) => r.headers['idempotency-key']).sort()).toEqual([...flakyKeys].sort());
    expect(healthy.received.map((r) => r.headers['idempotency-key']).sort()).toEqual([...healthyKeys].sort());
    expect(d.health().find((c) => c.id === 'flaky')!).toMatchObject({ status: 'ok', pending: 0, sent: 3 });
  });

  it('enqueueing the same idempotency key twice sends once', async () => {
    const { store } = setup();
    const srv = await startRecordingServer();
    cleanups.push(() => srv.close());
    const d = new Dispatcher({
      store,
      notifiers: [createWebhookNotifier({ id: 'hook', url: `${srv.url}/in` })],
      retry,
      now: Date.now,
      logger: silentLogger(),
    });
    cleanups.push(() => d.stop());
    const t = Date.now();
    enqueue(store, 'hook', 1, t);
    enqueue(store, 'hook', 1, t);
    d.kick();
    await waitFor(() => srv.received.length === 1);
    await sleep(300);
    expect(srv.received).toHaveLength(1);
  });

  it('a burst of 45 alerts to a WeCom robot becomes a few digests, within its per-minute limit', async () => {
    const { store } = setup();
    const robot = await startRecordingServer(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    cleanups.push(() => robot.close());
    const d = new Dispatcher({
      store,
      notifiers: [
        createWecomNotifier({
          id: 'wecom',
          url: `${robot.url}/send?key=K`,
          format: 'markdown',
          ratePerMinute: 20,
        }),
      ],
      retry,
      now: Date.now,
      logger: silentLogger(),
    });
    cleanups.push(() => d.stop());
    enqueue(store, 'wecom', 45);
    d.kick();
    await waitFor(() => d.health()[0]!.pending === 0, 5000, 'digests');
    expect(robot.received.length).toBe(5); // 10 alerts per digest
    expect(robot.received[0]!.body.markdown.content).toContain('【HallWatch 告警汇总】新告警 10 条');
    expect(robot.received.at(-1)!.body.markdown.content).toContain('新告警 5 条');
  });

  it('holds further messages once the robot per-minute quota is used up', async () => {
    const { store } = setup();
    const robot = await startRecordingServer(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    cleanups.push(() => robot.close());
    const d = new Dispatcher({
      store,
      notifiers: [
        createWecomNotifier({
          id: 'wecom',
          url: `${robot.url}/send?key=K`,
          format: 'text',
          ratePerMinute: 2,
        }),
      ],
      retry,
      now: Date.now,
      logger: silentLogger(),
    });
    cleanups.push(() => d.stop());
    enqueue(store, 'wecom', 25);
    d.kick();
    await waitFor(() => robot.received.length === 2, 5000, 'two digests');
    await sleep(1000);
    expect(robot.received).toHaveLength(2);
    expect(d.health()[0]!.pending).toBe(5);
  });
});
