// The outbox worker against the platform stand-ins: an opening burst reaches each platform
// completely and within its limits, a resolve never overtakes its open, a channel's hold is kept
// by every sender, a DingTalk block is survived, and the rate window survives a restart.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDingtalkNotifier, dingtalkUrl } from '../../../alerts/notify/dingtalk.ts';
import { backoffMs, Dispatcher, type DispatcherOptions } from '../../../alerts/notify/dispatcher.ts';
import { createFeishuNotifier } from '../../../alerts/notify/feishu.ts';
import type { Notifier } from '../../../alerts/notify/types.ts';
import { createWebhookNotifier } from '../../../alerts/notify/webhook.ts';
import { createWecomNotifier } from '../../../alerts/notify/wecom.ts';
import { type AlertStore, openStore } from '../../../alerts/store/index.ts';
import {
  LOOPBACK,
  silentLogger,
  sleep,
  startRecordingServer,
  tempDir,
  testConfig,
  waitFor,
} from '../helpers.ts';
import { enqueueBurst, enqueueOne, unattendedAlert } from './fixtures.ts';
import { type Robots, type RobotsOptions, startRobots } from './platforms/index.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DING_SECRET = 'SEC-dispatcher-test';
const FEISHU_SECRET = 'fs-dispatcher-test';
const retry = { initialMs: 100, maxMs: 400, giveUpAfterMs: 3_600_000 };
const config = testConfig({ dataDir: '/tmp/unused' });

function storeAt(dir?: string): { store: AlertStore; dir: string } {
  let d = dir;
  if (!d) {
    const t = tempDir();
    cleanups.push(t.cleanup);
    d = t.dir;
  }
  const store = openStore(join(d, 'alerts.sqlite'));
  cleanups.push(() => store.close());
  return { store, dir: d };
}

async function robotsWith(o: RobotsOptions = {}): Promise<Robots> {
  const r = await startRobots({
    ...o,
    dingtalk: { secret: DING_SECRET, ...o.dingtalk },
    feishu: { secret: FEISHU_SECRET, ...o.feishu },
  });
  cleanups.push(() => r.close());
  return r;
}

function dispatcher(
  store: AlertStore,
  notifiers: Notifier[],
  o: Partial<DispatcherOptions> = {},
): Dispatcher {
  const d = new Dispatcher({ store, notifiers, retry, now: Date.now, logger: silentLogger(), ...o });
  cleanups.push(() => d.stop());
  return d;
}

const pending = (d: Dispatcher, id: string) => d.health().find((c) => c.id === id)!.pending;

/**
 * A dispatcher's clock that counts its reads, and a notifier that counts its sends: once the
 * worker has read the clock after a kick it has decided (a send starts in the same turn), so a
 * test can check "nothing was sent" as a fact instead of after a sleep.
 */
function observed(clock: () => number, n: Notifier) {
  let looks = 0;
  let sends = 0;
  const send = n.send.bind(n);
  n.send = (batch, signal) => {
    sends++;
    return send(batch, signal);
  };
  return {
    n,
    now: () => {
      looks++;
      return clock();
    },
    looks: () => looks,
    sends: () => sends,
  };
}

describe('outbox dispatcher', () => {
  it('backoff doubles from the initial delay up to the cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, retry, mid))).toEqual([100, 200, 400, 400, 400]);
  });

  it('a 40-alert opening burst reaches every platform completely, within its limits, nothing cut', async () => {
    const robots = await robotsWith({ wecom: { keys: ['WK', 'WK2'] } });
    const { store } = storeAt();
    const channels: Notifier[] = [
      createWecomNotifier({
        ...LOOPBACK,
        id: 'wecom-md',
        url: robots.wecomUrl(),
        format: 'markdown',
      }),
      createWecomNotifier({
        ...LOOPBACK,
        id: 'wecom-txt',
        url: robots.wecomUrl('WK2'),
        format: 'text',
      }),
      createDingtalkNotifier({
        ...LOOPBACK,
        id: 'ding',
        url: robots.dingtalkUrl(),
        secret: DING_SECRET,
        format: 'markdown',
      }),
      // One alert per message: 40 messages against Feishu's 5 per second.
      createFeishuNotifier({
        ...LOOPBACK,
        id: 'feishu',
        url: robots.feishuUrl(),
        secret: FEISHU_SECRET,
        maxBatch: 1,
      }),
    ];
    const d = dispatcher(store, channels);
    const ids: Record<string, string[]> = {};
    for (const n of channels) ids[n.id] = enqueueBurst(store, config, n.id, 40, { staff: true });
    d.kick();
    await waitFor(() => channels.every((n) => pending(d, n.id) === 0), 60_000, 'the burst delivered');

    const byChannel = {
      'wecom-md': robots.received.filter((r) => r.url.endsWith('key=WK')),
      'wecom-txt': robots.received.filter((r) => r.url.endsWith('key=WK2')),
      ding: robots.received.filter((r) => r.platform === 'dingtalk'),
      feishu: robots.received.filter((r) => r.platform === 'feishu'),
    };
    for (const n of channels) {
      const got = byChannel[n.id as keyof typeof byChannel];
      const items = got.flatMap((r) => [...r.text.matchAll(/告警编号：(\S+)/g)].map((m) => m[1]!));
      expect(items.sort(), n.id).toEqual([...ids[n.id]!].sort());
      // Every message @-ed both the director and the phone-only staff member.
      for (const r of got)
        expect(r.reached.sort(), n.id).toEqual(
          n.type === 'feishu'
            ? ['ou_wang']
            : n.type === 'wecom'
              ? ['13800001023', 'wangzr']
              : ['13800001023', 'dt-wang'],
        );
      expect(store.outbox.counts()[n.id]).toMatchObject({ sent: 40, pending: 0 });
    }
    expect(robots.refused).toEqual([]);
    expect(byChannel['wecom-md'].length).toBeLessThanOrEqual(20);
    // WeCom text is 2,048 bytes: several messages where markdown needed fewer; all within 20/min.
    expect(byChannel['wecom-txt'].length).toBeGreaterThan(4);
    expect(byChannel['wecom-txt'].length).toBeLessThanOrEqual(20);
    expect(byChannel.feishu).toHaveLength(40);
    const t = byChannel.feishu.map((r) => r.at);
    for (let i = 5; i < t.length; i++) expect(t[i]! - t[i - 5]!).toBeGreaterThanOrEqual(1000);
  });

  const oneByOne: Record<'wecom' | 'dingtalk' | 'feishu', (r: Robots, id: string) => Notifier> = {
    wecom: (r, id) =>
      createWecomNotifier({ ...LOOPBACK, id, url: r.wecomUrl(), format: 'markdown', maxBatch: 1 }),
    dingtalk: (r, id) =>
      createDingtalkNotifier({
        ...LOOPBACK,
        id,
        url: r.dingtalkUrl(),
        secret: DING_SECRET,
        format: 'markdown',
        maxBatch: 1,
      }),
    feishu: (r, id) =>
      createFeishuNotifier({ ...LOOPBACK, id, url: r.feishuUrl(), secret: FEISHU_SECRET, maxBatch: 1 }),
  };

  it.each(['wecom', 'dingtalk', 'feishu'] as const)(
    '%s: a resolve is never delivered before its open, and a new alert waits out the channel hold',
    async (platform) => {
      const robots = await robotsWith();
      const { store } = storeAt();
      const d = dispatcher(store, [oneByOne[platform](robots, 'robot')], {
        retry: { initialMs: 400, maxMs: 400, giveUpAfterMs: 3_600_000 },
      });
      const a1 = unattendedAlert(Date.UTC(2026, 2, 9, 1, 0), 'w01');
      const a2 = unattendedAlert(Date.UTC(2026, 2, 9, 1, 1), 'w02');
      robots.setDown(true);
      enqueueOne(store, config, 'robot', a1, 'open');
      d.kick();
      await waitFor(() => robots.downHits.length === 1, 10_000, 'the first refused attempt');
      // While the channel is held: the resolve of the same alert and a new alert arrive.
      enqueueOne(store, config, 'robot', a1, 'resolve');
      enqueueOne(store, config, 'robot', a2, 'open');
      d.kick();
      await waitFor(() => robots.downHits.length === 2, 10_000, 'the retry after the hold');
      expect(robots.downHits[1]! - robots.downHits[0]!).toBeGreaterThanOrEqual(0.8 * 400 - 5);
      robots.setDown(false);
      await waitFor(() => pending(d, 'robot') === 0, 10_000, 'delivery after recovery');
      const seq = robots.received.map(
        (r) => `${/【(.+?)】/.exec(r.text)![1]} ${/告警编号：(\S+)/.exec(r.text)![1]}`,
      );
      expect(seq).toEqual([`严重·脱岗 ${a1.id}`, `已恢复·脱岗 ${a1.id}`, `严重·脱岗 ${a2.id}`]);
    },
  );

  it('a DingTalk block (over 20/min → 10 minutes) is survived: nothing lost, nothing twice, no sending into it', async () => {
    const blockMs = 1500;
    const robots = await robotsWith({ dingtalk: { blockMs } });
    // Another system used 18 of this robot's 20 messages this minute.
    for (let i = 0; i < 18; i++) {
      const r = await fetch(dingtalkUrl(robots.dingtalkUrl(), DING_SECRET, Date.now()), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'text', text: { content: `其他系统消息 ${i}` } }),
      });
      expect(await r.json()).toEqual({ errcode: 0, errmsg: 'ok' });
    }
    const { store } = storeAt();
    const d = dispatcher(store, [
      createDingtalkNotifier({
        ...LOOPBACK,
        id: 'ding',
        url: robots.dingtalkUrl(),
        secret: DING_SECRET,
        format: 'text',
        maxBatch: 1,
        rateBlockMs: blockMs,
      }),
    ]);
    const ids = enqueueBurst(store, config, 'ding', 6);
    d.kick();
    await waitFor(() => robots.refused.length === 1, 10_000, 'the block');
    expect(robots.refused[0]).toMatchObject({ platform: 'dingtalk', code: 130101 });
    await waitFor(() => d.health()[0]!.lastError?.includes('130101'), 10_000, 'the hold after 130101');
    await waitFor(() => pending(d, 'ding') === 0, 20_000, 'delivery after the block');
    expect(robots.items('dingtalk')).toEqual(ids);
    // One refusal only: nobody sent into the block.
    expect(robots.refused).toHaveLength(1);
    const afterBlock = robots.received.filter((r) => r.at >= robots.refused[0]!.at);
    expect(afterBlock[0]!.at - robots.refused[0]!.at).toBeGreaterThanOrEqual(blockMs);
  });

  it('a restart mid-burst keeps the rate window: the robot is not sent more than its limit', async () => {
    let clock = Date.UTC(2026, 2, 9, 1, 0);
    const now = () => clock;
    const robots = await robotsWith({ now, wecom: { perMinute: 3 } });
    const first = storeAt();
    const mk = () =>
      createWecomNotifier({
        ...LOOPBACK,
        id: 'wecom',
        url: robots.wecomUrl(),
        format: 'markdown',
        maxBatch: 1,
        ratePerMinute: 3,
      });
    const d1 = dispatcher(first.store, [mk()], { now });
    const ids = enqueueBurst(first.store, config, 'wecom', 6, { now: clock });
    d1.kick();
    await waitFor(() => first.store.outbox.counts().wecom?.sent === 3, 10_000, 'the first minute quota');
    await d1.stop();
    first.store.close();

    clock += 20_000;
    const { store } = storeAt(first.dir);
    const o = observed(now, mk());
    const d2 = dispatcher(store, [o.n], { now: o.now });
    d2.kick();
    // A restarted dispatcher that forgot the window would send at once and be refused (45009).
    await waitFor(() => o.looks() > 0, 10_000, 'the restarted worker deciding');
    expect(o.sends()).toBe(0);
    expect(robots.received).toHaveLength(3);
    expect(robots.refused).toEqual([]);
    clock += 41_000;
    d2.kick();
    await waitFor(() => robots.received.length === 6, 10_000, 'the next minute');
    expect(robots.items('wecom')).toEqual(ids);
    expect(robots.refused).toEqual([]);
  });

  it('a restart during a DingTalk block keeps waiting it out: nothing sent into it, nothing lost or twice', async () => {
    let clock = Date.UTC(2026, 2, 9, 1, 0);
    const now = () => clock;
    const blockMs = 600_000;
    const robots = await robotsWith({ now, dingtalk: { blockMs, perMinute: 3 } });
    const first = storeAt();
    const mk = () =>
      createDingtalkNotifier({
        ...LOOPBACK,
        id: 'ding',
        url: robots.dingtalkUrl(),
        secret: DING_SECRET,
        format: 'text',
        maxBatch: 1,
        // HallWatch believes 20/min; the robot allows 3 here, so the 4th message meets the block.
        ratePerMinute: 20,
        rateBlockMs: blockMs,
        now,
      });
    const d1 = dispatcher(first.store, [mk()], { now });
    const ids = enqueueBurst(first.store, config, 'ding', 6, { now: clock });
    d1.kick();
    await waitFor(() => robots.refused.length === 1, 10_000, 'the block');
    expect(robots.refused[0]).toMatchObject({ code: 130101 });
    await waitFor(
      () => first.store.channels.hold('ding')?.until === clock + blockMs,
      10_000,
      'the hold stored',
    );
    await d1.stop();
    first.store.close();

    // Back two minutes later: the block has eight minutes to run.
    clock += 120_000;
    const { store } = storeAt(first.dir);
    const o = observed(now, mk());
    const d2 = dispatcher(store, [o.n], { now: o.now });
    d2.kick();
    await waitFor(() => o.looks() > 0, 10_000, 'the restarted worker deciding');
    expect(o.sends()).toBe(0);
    expect(robots.received).toHaveLength(3);
    expect(robots.refused).toHaveLength(1);
    clock += blockMs;
    d2.kick();
    await waitFor(() => pending(d2, 'ding') === 0, 10_000, 'delivery after the block');
    expect(robots.items('dingtalk')).toEqual(ids);
    expect(robots.refused).toHaveLength(1);
  });

  it('a permanent refusal (bad signature) is not retried; the channel reports broken', async () => {
    const robots = await robotsWith();
    const { store } = storeAt();
    const reports: string[] = [];
    const d = dispatcher(
      store,
      [
        createDingtalkNotifier({
          ...LOOPBACK,
          id: 'ding',
          url: robots.dingtalkUrl(),
          secret: 'SECwrong',
          format: 'text',
        }),
      ],
      { onPermanentError: (id, err) => reports.push(`${id} ${err.code}`) },
    );
    enqueueBurst(store, config, 'ding', 2);
    d.kick();
    await waitFor(() => d.health()[0]!.status === 'broken', 10_000, 'broken');
    enqueueBurst(store, config, 'ding', 1, { base: Date.UTC(2026, 2, 9, 3, 0) });
    d.kick();
    await sleep(600);
    expect(robots.refused.map((r) => r.code)).toEqual([310000]);
    expect(reports).toEqual(['ding 310000']);
    expect(d.health()[0]).toMatchObject({ status: 'broken', pending: 3 });
  });

  it('a failing webhook does not hold up another channel; enqueueing one key twice sends once', async () => {
    const { store } = storeAt();
    let up = false;
    const flaky = await startRecordingServer(() =>
      up ? { status: 200, body: {} } : { status: 503, body: {} },
    );
    const healthy = await startRecordingServer();
    cleanups.push(
      () => flaky.close(),
      () => healthy.close(),
    );
    const d = dispatcher(store, [
      createWebhookNotifier({
        ...LOOPBACK,
        id: 'flaky',
        url: `${flaky.url}/in`,
      }),
      createWebhookNotifier({
        ...LOOPBACK,
        id: 'healthy',
        url: `${healthy.url}/in`,
      }),
    ]);
    const flakyIds = enqueueBurst(store, config, 'flaky', 3);
    enqueueBurst(store, config, 'healthy', 3);
    enqueueBurst(store, config, 'healthy', 3);
    d.kick();
    await waitFor(() => healthy.received.length === 3, 5000, 'healthy channel');
    await waitFor(() => d.health().find((c) => c.id === 'flaky')!.status === 'failing', 5000, 'failing');
    expect(flaky.received).toHaveLength(0);
    expect(d.health().find((c) => c.id === 'flaky')!.lastError).toContain('HTTP 503');
    up = true;
    // The far end records a message before the dispatcher reads its answer: wait for the commit.
    await waitFor(() => pending(d, 'flaky') === 0, 5000, 'flaky channel after recovery');
    expect(flaky.received.map((r) => r.body.alert.id)).toEqual(flakyIds);
    expect(d.health().find((c) => c.id === 'flaky')!).toMatchObject({ status: 'ok', pending: 0, sent: 3 });
    // Failed attempts since start stay counted after the recovery (hallwatch_alerts_channel_failures_total).
    expect(d.health().find((c) => c.id === 'flaky')!.failures).toBeGreaterThanOrEqual(3);
    expect(d.health().find((c) => c.id === 'healthy')!.failures).toBe(0);
    expect(healthy.received).toHaveLength(3);
  });
});
