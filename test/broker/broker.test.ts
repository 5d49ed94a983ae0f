// The broker against real mqtt.js clients over TCP: authentication, ACLs, limits, sessions.
import net from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerService } from '../../broker/index.ts';
import { brokerFor, closed, collect, connect, granted, hallConfig, pw, sleep, until } from './helpers.ts';

describe('broker over TCP', () => {
  let broker: BrokerService;
  let url: string;
  const clients: MqttClient[] = [];
  const open = async (username: string, opts = {}) => {
    const c = await connect(url, username, opts);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    broker = await brokerFor(
      hallConfig({ limits: { maxPacketBytes: 4096, maxMessagesPerSecond: 20, maxConnections: 50 } }),
    );
    url = broker.url!;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('binds port 0 to a real port and reports it', () => {
    expect(broker.addresses.tcp!.port).toBeGreaterThan(0);
    expect(url).toBe(`mqtt://127.0.0.1:${broker.addresses.tcp!.port}`);
  });

  it('a counter controller publishes its seat and a service receives it (QoS 1, retained)', async () => {
    const svc = await open('svc-test');
    const got = await collect(svc, 'hall/+/counter/+/seat/+');
    const ctl = await open('ctl-w07');
    await ctl.publishAsync('hall/demo/counter/w07/seat/s1', '{"occupied":true}', { qos: 1, retain: true });
    await until(() => got.length === 1, 3000, 'seat message');
    expect(got[0]).toMatchObject({ topic: 'hall/demo/counter/w07/seat/s1', payload: '{"occupied":true}' });
    // A late subscriber gets the retained value.
    const late = await open('svc-test', { clientId: 'svc-late' });
    const again = await collect(late, 'hall/demo/counter/w07/seat/s1');
    await until(() => again.length === 1, 3000, 'retained seat');
    expect(again[0]!.retain).toBe(true);
    expect(broker.health().details).toMatchObject({ connections: 3 });
  });

  it('refuses a wrong password and counts it', async () => {
    const before = broker.stats.rejects.bad_password ?? 0;
    await expect(connect(url, 'ctl-w07', { password: 'wrong' })).rejects.toThrow(/Not authorized|bad user/i);
    await expect(connect(url, 'nobody')).rejects.toThrow();
    await expect(
      connect(url, '', { username: undefined, password: undefined, clientId: 'anon' }),
    ).rejects.toThrow();
    expect(broker.stats.rejects.bad_password).toBe(before + 1);
    expect(broker.stats.rejects.unknown_user).toBeGreaterThanOrEqual(1);
    expect(broker.stats.rejects.anonymous).toBeGreaterThanOrEqual(1);
  });

  it('throttles password guessing for one username from one address, not other devices', async () => {
    for (let i = 0; i < 5; i++)
      await expect(connect(url, 'hall-demo', { password: `guess${i}` })).rejects.toThrow(/Not authorized/i);
    await expect(connect(url, 'hall-demo', { password: 'guess5' })).rejects.toThrow(/Not authorized/i);
    // Locked for a while now, even with the right password; other devices log in as usual.
    await expect(connect(url, 'hall-demo')).rejects.toThrow(/Not authorized/i);
    expect(broker.stats.rejects.throttled).toBe(1);
    const other = await open('ctl-w12');
    expect(other.connected).toBe(true);
    await sleep(1100);
    const back = await open('hall-demo');
    expect(back.connected).toBe(true);
  });

  it("drops a controller's publish to another counter's topic, keeps it connected and counts it", async () => {
    const svc = await open('svc-test');
    const w12 = await open('ctl-w12');
    await w12.publishAsync('hall/demo/counter/w12/seat/s1', '{"occupied":true}', { qos: 1, retain: true });
    const got = await collect(svc, 'hall/demo/counter/w12/#');
    await until(() => got.length === 1, 3000, 'retained w12 seat');
    const before = broker.stats.rejects.publish_denied ?? 0;
    const w07 = await open('ctl-w07');
    // Acknowledged (as Mosquitto does for MQTT 3.1.1) but delivered to nobody and never retained.
    await w07.publishAsync('hall/demo/counter/w12/seat/s1', '{"occupied":false}', { qos: 1, retain: true });
    expect(broker.stats.rejects.publish_denied).toBe(before + 1);
    await w07.publishAsync('hall/demo/counter/w07/seat/s1', '{"occupied":true}', { qos: 1 });
    expect(w07.connected).toBe(true);
    expect(got).toHaveLength(1);
    const fresh = await open('svc-test', { clientId: 'svc-check' });
    const retained = await collect(fresh, 'hall/demo/counter/w12/seat/s1');
    await until(() => retained.length === 1, 3000, 'retained');
    expect(retained[0]!.payload).toBe('{"occupied":true}');
  });

  it('refuses device publishes to service topics, other halls, other device status and $SYS', async () => {
    const svc = await open('svc-test');
    const got = await collect(svc, '#');
    const before = broker.stats.rejects.publish_denied ?? 0;
    const c = await open('ctl-w07');
    for (const topic of [
      'hall/demo/counter/w07/state',
      'hall/other/counter/w07/sign',
      'hall/demo/device/ctl-w12/status',
      'hall/demo/equipment/queue',
      '$SYS/x',
      'anything/else',
    ])
      await c.publishAsync(topic, '{}', { qos: 1 });
    expect(broker.stats.rejects.publish_denied).toBe(before + 6);
    expect(c.connected).toBe(true);
    // A permitted publish after the refused ones: once it arrives, any leaked one would stand before it.
    await c.publishAsync('hall/demo/counter/w07/seat/s1', '{"occupied":true}', { qos: 1 });
    await until(() => got.some((m) => !m.retain), 3000, 'the permitted seat');
    expect(got.filter((m) => !m.retain).map((m) => m.topic)).toEqual(['hall/demo/counter/w07/seat/s1']);
  });

  it('lets a controller publish its env sensor and its own status; a hall device its hall equipment', async () => {
    const svc = await open('svc-test');
    const got = await collect(svc, 'hall/demo/#');
    const ctl = await open('ctl-w07');
    await ctl.publishAsync('hall/demo/env/env1', '{"lux":320}', { qos: 1 });
    await ctl.publishAsync('hall/demo/device/ctl-w07/status', 'online', { qos: 1, retain: true });
    await ctl.publishAsync('hall/demo/counter/w07/equipment/printer', '{"status":"ok"}', { qos: 1 });
    const hall = await open('hall-demo');
    await hall.publishAsync('hall/demo/equipment/queue', '{"status":"ok"}', { qos: 1 });
    await until(() => got.filter((m) => !m.retain).length >= 4, 3000, 'four messages');
    expect(ctl.connected && hall.connected).toBe(true);
  });

  it('R29 queue topic: the hall device for any counter of its hall, a controller for its own counter only', async () => {
    const svc = await open('svc-test');
    const got = await collect(svc, 'hall/+/counter/+/queue');
    const before = broker.stats.rejects.publish_denied ?? 0;
    const hall = await open('hall-demo');
    const w07 = await open('ctl-w07');
    await hall.publishAsync('hall/demo/counter/w07/queue', '{"waiting":3}', { qos: 1, retain: true });
    await hall.publishAsync('hall/demo/counter/w12/queue', '{"waiting":1}', { qos: 1, retain: true });
    await w07.publishAsync('hall/demo/counter/w07/queue', '{"waiting":4}', { qos: 1, retain: true });
    // Refused: another hall (from the hall device and the controller), another counter's queue.
    await hall.publishAsync('hall/other/counter/w07/queue', '{"waiting":9}', { qos: 1, retain: true });
    await w07.publishAsync('hall/other/counter/w07/queue', '{"waiting":9}', { qos: 1, retain: true });
    await w07.publishAsync('hall/demo/counter/w12/queue', '{"waiting":9}', { qos: 1, retain: true });
    // A permitted message after the refused ones: once it is here, a refused one would have been too.
    await w07.publishAsync('hall/demo/counter/w07/queue', '{"waiting":5}', { qos: 1, retain: true });
    await until(() => got.some((m) => m.payload === '{"waiting":5}'), 3000, 'the last queue message');
    expect(broker.stats.rejects.publish_denied).toBe(before + 3);
    expect(hall.connected && w07.connected).toBe(true);
    expect(got.map((m) => [m.topic, m.payload])).toEqual([
      ['hall/demo/counter/w07/queue', '{"waiting":3}'],
      ['hall/demo/counter/w12/queue', '{"waiting":1}'],
      ['hall/demo/counter/w07/queue', '{"waiting":4}'],
      ['hall/demo/counter/w07/queue', '{"waiting":5}'],
    ]);
    // The refused publish to w12 (after the allowed one) was not retained either.
    const late = await open('svc-test', { clientId: 'svc-queue' });
    const retained = await collect(late, 'hall/demo/counter/w12/queue');
    await until(() => retained.length === 1, 3000, 'retained w12 queue');
    expect(retained[0]!.payload).toBe('{"waiting":1}');
  });

  it("refuses a device's '#' subscription but grants its own command topics", async () => {
    const ctl = await open('ctl-w07');
    expect(await granted(ctl, '#')).toEqual([128]);
    expect(await granted(ctl, 'hall/demo/device/ctl-w12/cmd/#')).toEqual([128]);
    expect(await granted(ctl, 'hall/demo/device/ctl-w07/cmd/#')).toEqual([1]);
    const got: string[] = [];
    ctl.on('message', (t) => got.push(t));
    const svc = await open('svc-test');
    await svc.publishAsync('hall/demo/counter/w12/seat/s2', '{"occupied":true}', { qos: 1 });
    await svc.publishAsync('hall/demo/device/ctl-w07/cmd/reboot', '{}', { qos: 1 });
    // One publisher, in order: had the seat reached the controller, it would stand before the command.
    await until(() => got.length >= 1, 3000, 'command');
    expect(got).toEqual(['hall/demo/device/ctl-w07/cmd/reboot']);
    expect(broker.stats.rejects.subscribe_denied).toBeGreaterThanOrEqual(2);
  });

  it('disconnects a client that sends a packet over maxPacketBytes', async () => {
    const before = broker.stats.rejects.packet_too_large ?? 0;
    const ctl = await open('ctl-w07');
    const gone = closed(ctl);
    ctl.publish('hall/demo/counter/w07/sign', JSON.stringify({ sign: 'away', pad: 'x'.repeat(10_000) }), {
      qos: 1,
    });
    await gone;
    expect(broker.stats.rejects.packet_too_large).toBe(before + 1);
  });

  it('disconnects a client publishing to a topic deeper than 16 levels, and stays up', async () => {
    const svc = await open('svc-test');
    const gone = closed(svc);
    svc.publish(`hall/${'x/'.repeat(20)}y`, '{}', { qos: 1 });
    await gone;
    const again = await open('svc-test', { clientId: 'svc-after-deep' });
    expect(again.connected).toBe(true);
  });

  it("refuses a device using another device's client id (no session takeover)", async () => {
    const w12 = await open('ctl-w12');
    await expect(connect(url, 'ctl-w07', { clientId: 'ctl-w12' })).rejects.toThrow(/Identifier rejected/i);
    await expect(connect(url, 'svc-test', { clientId: 'a/b' })).rejects.toThrow(/Identifier rejected/i);
    // A PUBACK after both refusals: the broker still holds w12's connection.
    await w12.publishAsync('hall/demo/counter/w12/seat/s1', '{"occupied":true}', { qos: 1 });
    expect(w12.connected).toBe(true);
    expect(broker.stats.rejects.bad_client_id).toBeGreaterThanOrEqual(2);
  });

  it('refuses a last will on a topic the device may not publish', async () => {
    await expect(
      connect(url, 'ctl-w07', {
        will: {
          topic: 'hall/demo/device/ctl-w12/status',
          payload: Buffer.from('offline'),
          qos: 1,
          retain: true,
        },
      }),
    ).rejects.toThrow(/Not authorized/i);
  });

  it("publishes a controller's last will when its connection drops", async () => {
    const svc = await open('svc-test');
    const got = await collect(svc, 'hall/demo/device/+/status');
    const ctl = await open('ctl-w12', {
      will: {
        topic: 'hall/demo/device/ctl-w12/status',
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    });
    (ctl.stream as net.Socket).destroy(); // not a clean DISCONNECT: the will fires
    await until(() => got.some((m) => m.payload === 'offline'), 3000, 'last will');
  });

  it('keeps QoS 1 messages for an offline persistent session', async () => {
    const sub = await connect(url, 'svc-test', { clientId: 'svc-persist', clean: false });
    await sub.subscribeAsync('hall/demo/counter/w07/badge', { qos: 1 });
    await sub.endAsync();
    const ctl = await open('ctl-w07');
    await ctl.publishAsync('hall/demo/counter/w07/badge', '{"staff":"E1","action":"in"}', { qos: 1 });
    const got: string[] = [];
    const back = mqtt.connect(url, {
      username: 'svc-test',
      password: pw('svc-test'),
      clientId: 'svc-persist',
      clean: false,
      reconnectPeriod: 0,
    });
    back.on('message', (_t, p) => got.push(p.toString()));
    clients.push(back);
    await until(() => got.length === 1, 3000, 'queued message');
    expect(got[0]).toContain('E1');
  });
});

describe('connection limit', () => {
  it('closes connections beyond maxConnections and counts them', async () => {
    const broker = await brokerFor(
      hallConfig({ limits: { maxPacketBytes: 4096, maxMessagesPerSecond: 20, maxConnections: 2 } }),
    );
    try {
      const a = await connect(broker.url!, 'ctl-w07');
      const b = await connect(broker.url!, 'ctl-w12');
      await expect(connect(broker.url!, 'svc-test')).rejects.toThrow();
      expect(broker.stats.rejects.max_connections).toBe(1);
      await a.endAsync(true);
      await b.endAsync(true);
      // A raw socket that never sends CONNECT also occupies a slot until it closes.
      const port = broker.addresses.tcp!.port;
      const s = net.connect(port, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      s.destroy();
    } finally {
      await broker.stop();
    }
  });
});
