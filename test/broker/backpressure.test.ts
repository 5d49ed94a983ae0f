// The per-device message rate is backpressure, not punishment: a device over its rate is slowed
// (the broker stops reading its socket) and every message arrives; only a device over its rate
// for longer than throttleDisconnectAfter is disconnected.
import { afterAll, describe, expect, it } from 'vitest';
import type { BrokerService } from '../../broker/index.ts';
import { RateLimiter } from '../../broker/limits.ts';
import { brokerFor, closed, collect, connect, hallConfig, until } from './helpers.ts';

describe('RateLimiter (fake clock)', () => {
  it('lets a burst of one second through, then spaces messages at the rate', () => {
    const l = new RateLimiter(10, 0);
    for (let i = 0; i < 10; i++) expect(l.delay(0)).toBe(0);
    expect(l.delay(0)).toBe(100);
    expect(l.delay(0)).toBe(200);
    expect(l.overSince).toBe(0);
    // 300 ms later the debt is paid: the next message goes at once and ends the streak.
    expect(l.delay(300)).toBe(0);
    expect(l.settle(300)).toEqual({ ms: 300, delayed: 2 });
    expect(l.overSince).toBeUndefined();
  });

  it('stays over its rate for as long as the device keeps sending faster', () => {
    const l = new RateLimiter(10, 0);
    for (let i = 0; i < 10; i++) l.delay(0);
    for (let t = 0; t <= 5000; t += 50) l.delay(t); // 20 msg/s against 10
    expect(l.overSince).toBe(0);
    expect(l.settle(5000)).toBeUndefined();
  });
});

describe('broker rate limit over TCP', () => {
  const brokers: BrokerService[] = [];
  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
  });
  const start = async (throttleDisconnectAfter: string) => {
    const b = await brokerFor(
      hallConfig({
        limits: {
          maxPacketBytes: 4096,
          maxMessagesPerSecond: 20,
          maxConnections: 50,
          throttleDisconnectAfter,
        },
      }),
    );
    brokers.push(b);
    return b;
  };

  it('slows a device draining 60 queued messages at 20 msg/s: all arrive, it stays connected', async () => {
    const broker = await start('1h');
    const svc = await connect(broker.url!, 'svc-test');
    const got = await collect(svc, 'hall/demo/counter/w07/sign');
    const ctl = await connect(broker.url!, 'ctl-w07');
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        ctl.publishAsync('hall/demo/counter/w07/sign', `{"sign":"none","seq":${i}}`, { qos: 1 }),
      ),
    );
    await until(() => got.length === 60, 20_000, 'all 60 messages');
    // 20 go at once (the burst), the other 40 at 20 a second.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(got.map((m) => JSON.parse(m.payload).seq)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(ctl.connected).toBe(true);
    expect(broker.stats.throttled).toBeGreaterThanOrEqual(35);
    expect(broker.stats.rejects.rate_limited ?? 0).toBe(0);
    await Promise.all([svc.endAsync(), ctl.endAsync()]);
  });

  it('disconnects a device that stays over its rate for longer than throttleDisconnectAfter', async () => {
    const broker = await start('1s');
    const ctl = await connect(broker.url!, 'ctl-w07');
    const gone = closed(ctl);
    const flood = setInterval(() => {
      for (let i = 0; i < 10; i++) ctl.publish('hall/demo/counter/w07/sign', '{"sign":"none"}', { qos: 0 });
    }, 50); // 200 msg/s against 20
    await gone;
    clearInterval(flood);
    expect(broker.stats.rejects.rate_limited).toBe(1);
    expect(broker.stats.throttled).toBeGreaterThan(0);
    ctl.end(true);
  });
});
