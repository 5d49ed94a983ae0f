// The simulator against the real broker with the example hall: every simulated controller logs
// in with its demo credentials and publishes only what its ACL allows; one controller goes over a
// socat pty through the firmware bridge, as a real serial line would.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import type { BrokerService } from '../../broker/index.ts';
import { createCalendar } from '../../core/calendar/index.ts';
import { systemClock } from '../../core/clock.ts';
import type { Config } from '../../core/config/schema.ts';
import { type Bridge, startBridge } from '../../firmware-bridge/index.ts';
import { createLogger } from '../../runtime/logger.ts';
import {
  mqttSink,
  passwordTemplate,
  type Simulator,
  serialSink,
  startSimulator,
} from '../../simulator/index.ts';
import { brokerFor, collect, connect, until } from '../broker/helpers.ts';
import { startSocat, stopSocat } from '../firmware-bridge/helpers.ts';

describe('simulated hall on the real broker', () => {
  const example = loadConfig('config/hallwatch.example.yaml');
  // Limits raised: at 600× a controller's heartbeats alone come ~20 a second, bursting after a stall.
  const config: Config = {
    ...example,
    mqtt: {
      ...example.mqtt,
      listen: { host: '127.0.0.1', port: 0 },
      limits: { ...example.mqtt.limits, maxMessagesPerSecond: 5_000 },
      // No data dir of its own: keep the broker in memory (nothing to restart here).
      persistence: { kind: 'memory', fsync: true },
    },
  };
  const calendar = createCalendar(config);
  // 08:35 on the latest working day that is over: recent enough for the 7-day ts window.
  const start = (() => {
    for (let t = Date.now() - 3 * 3_600_000; ; t -= 86_400_000) {
      const date = calendar.localDate(t);
      const at = calendar.startOfDay(date) + (8 * 60 + 35) * 60_000;
      if (at < Date.now() - 3 * 3_600_000 && calendar.sessionsOn('cz-main', null, date).length > 0) return at;
    }
  })();
  let dir: string;
  let broker: BrokerService;
  let socat: ChildProcess;
  let bridge: Bridge;
  let svc: MqttClient;
  let sim: Simulator;
  let got: { topic: string; payload: string; retain: boolean }[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hw-sim-'));
    broker = await brokerFor(config);
    svc = await connect(broker.url!, 'svc-hallwatch');
    got = await collect(svc, 'hall/cz-main/#');
    socat = await startSocat(join(dir, 'bridge'), join(dir, 'controller'));
    const logger = createLogger(process.env.DEBUG_SIM ? 'info' : 'silent');
    bridge = startBridge({
      config,
      controller: 'ctl-w07',
      serialPath: join(dir, 'bridge'),
      url: broker.url!,
      password: 'demo-ctl-w07',
      clock: systemClock,
      logger,
    });
    const mqtt = mqttSink({ url: broker.url!, password: passwordTemplate('demo-{username}'), logger });
    sim = await startSimulator({
      config,
      seed: 3,
      start,
      speed: 600, // 08:35 → 09:20 in 4.5 s
      sink: serialSink(new Map([['ctl-w07', join(dir, 'controller')]]), mqtt, logger),
      logger,
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await bridge?.stop();
    if (socat) await stopSocat(socat);
    await svc?.endAsync();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every controller logs in and publishes its counter; nothing is refused', async () => {
    await until(() => sim.clock.now() > start + 45 * 60_000, 20_000, 'simulated 09:20');
    if (process.env.DEBUG_SIM)
      console.log(
        JSON.stringify(bridge.stats()),
        JSON.stringify(broker.stats.snapshot()),
        sim.stats(),
        [...new Set(got.map((m) => m.topic.split('/').slice(2, 4).join('/')))].join(' '),
      );
    await until(
      () =>
        new Set(got.filter((m) => m.topic.includes('/seat/')).map((m) => m.topic.split('/')[3])).size === 24,
      30_000,
      'seats of all 24 counters',
    );
    const online = new Set(
      got
        .filter((m) => m.topic.endsWith('/status') && m.payload === 'online')
        .map((m) => m.topic.split('/')[3]),
    );
    expect(online.size).toBe(25); // 24 counter controllers and the hall controller
    expect(got.some((m) => m.topic === 'hall/cz-main/equipment/queue')).toBe(true);
    expect(got.some((m) => m.topic === 'hall/cz-main/env/env3')).toBe(true);
    expect(broker.stats.rejects).toEqual({});
  });

  it('device ts is the simulated time and never ahead of the real clock', async () => {
    const stamped = got
      .filter((m) => m.payload.startsWith('{'))
      .map((m) => JSON.parse(m.payload).ts as number);
    expect(stamped.length).toBeGreaterThan(100);
    expect(Math.max(...stamped)).toBeLessThanOrEqual(Date.now());
    expect(Math.min(...stamped)).toBeGreaterThanOrEqual(start - 2 * 86_400_000);
    // Seat changes follow the simulated morning (the first ones are the state at the start).
    const seats = () =>
      got.filter((m) => m.topic.includes('/seat/')).map((m) => JSON.parse(m.payload).ts as number);
    await until(() => Math.max(...seats()) > start + 30 * 60_000, 20_000, 'seat changes after 09:05');
    expect(Math.max(...seats())).toBeLessThan(start + 4 * 3_600_000);
  });

  it("w07's events arrive through the serial line and the bridge without a bad frame", () => {
    const w07 = got.filter((m) => m.topic.startsWith('hall/cz-main/counter/w07/'));
    expect(w07.length).toBeGreaterThan(0);
    const stats = bridge.stats();
    expect(stats.frames).toBeGreaterThan(0);
    expect(stats.badFrames).toEqual({});
    expect(stats.published).toBeGreaterThanOrEqual(w07.filter((m) => !m.retain).length);
  });
});
