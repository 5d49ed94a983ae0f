// Two broker processes' worth of aedes sharing one real redis-server: they deliver each other's
// messages, retained values and offline QoS 1 queues (aedes-persistence-redis + mqemitter-redis).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerService } from '../../broker/index.ts';
import type { Config } from '../../core/config/schema.ts';
import { startRedis } from '../helpers/redis.ts';
import { brokerFor, collect, connect, hallConfig, pw, sleep, until } from './helpers.ts';

/** Broker B runs in its own process, as a second broker instance would in production. */
async function startBrokerProcess(config: Config, dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const file = join(dir, 'broker-b.json');
  writeFileSync(file, JSON.stringify(config));
  const proc = spawn(join('node_modules', '.bin', 'tsx'), [join('test', 'broker', 'serve-broker.ts'), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  await until(() => /PORT \d+/.test(out), 30_000, 'broker process listening');
  return { proc, url: `mqtt://127.0.0.1:${/PORT (\d+)/.exec(out)![1]}` };
}

describe('two Redis-backed broker processes', () => {
  let dir: string;
  let redis: { proc: ChildProcess; url: string };
  let a: BrokerService;
  let b: { proc: ChildProcess; url: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hw-redis-'));
    redis = await startRedis(dir);
    // Each broker process journals into its own directory (mqtt.persistence.dir).
    const config = (name: string) =>
      hallConfig({ persistence: { kind: 'redis', redisUrl: redis.url, dir: join(dir, name), fsync: true } });
    a = await brokerFor(config('a'));
    b = await startBrokerProcess(config('b'), dir);
  });
  afterAll(async () => {
    await a?.stop();
    if (b?.proc.pid && b.proc.exitCode === null) {
      const exited = new Promise((r) => b.proc.once('exit', r));
      process.kill(b.proc.pid, 'SIGTERM');
      await exited;
    }
    if (redis?.proc.pid) process.kill(redis.proc.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers a message published on one broker to a subscriber on the other', async () => {
    expect(a.health().details.persistence).toBe('redis');
    const svc = await connect(a.url!, 'svc-test');
    const got = await collect(svc, 'hall/demo/counter/+/sign');
    const ctl = await connect(b.url, 'ctl-w07');
    await ctl.publishAsync('hall/demo/counter/w07/sign', '{"sign":"paused"}', { qos: 1, retain: true });
    await until(() => got.length === 1, 5000, 'cross-broker delivery');
    expect(got[0]!.payload).toBe('{"sign":"paused"}');
    // The retained value lives in Redis: a new subscriber on broker A sees it.
    const late = await connect(a.url!, 'svc-test', { clientId: 'svc-late' });
    const again = await collect(late, 'hall/demo/counter/w07/sign');
    await until(() => again.length === 1, 5000, 'retained from redis');
    await Promise.all([svc.endAsync(), ctl.endAsync(), late.endAsync()]);
  });

  it('answers a persistent SUBSCRIBE of several topics with one SUBACK (the alerts service subscribes to nine)', async () => {
    const svc = await connect(a.url!, 'svc-test', { clientId: 'svc-many', clean: false });
    // Before the fix (broker/subscriptions.ts) no SUBACK ever came: mqtt.js waits forever.
    const acks = await Promise.race([
      svc.subscribeAsync(['hall/+/counter/+/sign', 'hall/+/counter/+/badge', 'hallwatch/status/+'], {
        qos: 1,
      }),
      sleep(10_000).then(() => 'no SUBACK within 10 s'),
    ]);
    expect(acks).toHaveLength(3);
    // Each topic of the packet is stored, once, in the session (other brokers deliver to it).
    const ctl = await connect(b.url, 'ctl-w07');
    const got: string[] = [];
    svc.on('message', (t) => t.endsWith('/badge') && got.push(t)); // (the retained sign of the first case comes too)
    await ctl.publishAsync('hall/demo/counter/w07/badge', '{"staff":"E2001","action":"in"}', { qos: 1 });
    await until(() => got.length === 1, 5000, 'delivery on the second topic of the packet');
    await Promise.all([svc.endAsync(), ctl.endAsync()]);
  });

  it('writes nothing to a reconnecting persistent session before its CONNACK (a live stream on its topics)', async () => {
    const svc = await connect(a.url!, 'svc-test', { clientId: 'svc-restored', clean: false });
    await svc.subscribeAsync(['hall/demo/counter/w07/sign', 'hall/demo/counter/w07/badge'], { qos: 1 });
    await svc.endAsync();
    const ctl = await connect(a.url!, 'ctl-w07');
    let streaming = true;
    const stream = (async () => {
      for (let i = 0; streaming; i++) {
        await ctl.publishAsync('hall/demo/counter/w07/sign', `{"sign":"none","seq":${i}}`, { qos: 1 });
      }
    })();
    // Before broker/connack.ts, a PUBLISH written between the restore of the session's
    // subscriptions and the CONNACK left mqtt.js waiting forever: "connack timeout".
    for (let i = 0; i < 8; i++) {
      const back = await connect(a.url!, 'svc-test', {
        clientId: 'svc-restored',
        clean: false,
        connectTimeout: 5000,
      });
      await back.endAsync();
    }
    streaming = false;
    await stream;
    await ctl.endAsync();
  });

  it('keeps an offline persistent session on one broker and delivers it on the other', async () => {
    const sub = await connect(a.url!, 'svc-test', { clientId: 'svc-persist', clean: false });
    await sub.subscribeAsync('hall/demo/counter/w12/badge', { qos: 1 });
    await sub.endAsync();
    // The other broker learns of a new subscription through Redis asynchronously (aedes broadcasts
    // it): give it a moment, as a device's next message would in practice.
    await sleep(1000);
    const ctl = await connect(b.url, 'ctl-w12');
    await ctl.publishAsync('hall/demo/counter/w12/badge', '{"staff":"E2001","action":"in"}', { qos: 1 });
    const got: string[] = [];
    const back = mqtt.connect(b.url, {
      username: 'svc-test',
      password: pw('svc-test'),
      clientId: 'svc-persist',
      clean: false,
      reconnectPeriod: 0,
    });
    back.on('message', (_t, p) => got.push(p.toString()));
    await until(() => got.length === 1, 10_000, 'offline message via the other broker');
    expect(got[0]).toContain('E2001');
    await Promise.all([back.endAsync(), ctl.endAsync()]);
  });
});
