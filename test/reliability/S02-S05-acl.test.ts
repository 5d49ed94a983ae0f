// S2–S5 against the product as `npm start` runs it: a device reading everything, forging other
// devices' (retained) values, filling the broker with retained messages under invented ids,
// taking over another device's session, and identifiers with wildcards or NUL. Each is refused
// and counted, and the legitimate device and the supervisor keep working meanwhile.
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { granted, until } from '../broker/helpers.ts';
import { productPassword } from '../helpers/product.ts';
import {
  connackOf,
  connectPacket,
  flowed,
  legitimateFlow,
  login,
  type Product,
  rejects,
  startProduct,
} from './attack.ts';

const received = (c: MqttClient) => {
  const got: { topic: string; payload: string; retain: boolean }[] = [];
  c.on('message', (topic, payload, packet) =>
    got.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  return got;
};

describe('S02–S05 ACL attacks', () => {
  let p: Product;
  const clients: MqttClient[] = [];
  const open = async (username: string, opts = {}) => {
    const c = await login(p.env.mqttUrl, username, opts);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    p = await startProduct({
      mqtt: { limits: { maxRetainedPerDevice: 8, maxRetainedBytesPerDevice: 4096 } },
    });
  }, 120_000);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  });
  afterAll(async () => {
    await p?.env.cleanup();
  });

  it("S02: a device subscribing '#' and '$SYS/#' is refused (SUBACK 0x80) and receives nothing", async () => {
    const flow = await legitimateFlow(p);
    const spy = await open('ctl-w02');
    const got = received(spy);
    for (const filter of ['#', '$SYS/#', 'hall/cz-main/#']) expect(await granted(spy, filter)).toEqual([128]);
    const report = await flow.stop();
    expect(got).toEqual([]);
    expect(flowed(report)).toEqual([]);
  }, 60_000);

  it("S03: a device forging another counter's retained seat and $SYS is dropped; the true value stays", async () => {
    const owner = await open('ctl-w01');
    await owner.publishAsync('hall/cz-main/counter/w01/seat/s1', '{"occupied":true,"seq":1}', {
      qos: 1,
      retain: true,
    });
    const flow = await legitimateFlow(p);
    const forger = await open('ctl-w02');
    const before = (await rejects(p.env)).publish_denied ?? 0;
    await forger.publishAsync('hall/cz-main/counter/w01/seat/s1', '{"occupied":false}', {
      qos: 1,
      retain: true,
    });
    await forger.publishAsync('$SYS/broker/clients', 'forged', { qos: 1, retain: true });
    expect(forger.connected).toBe(true); // dropped and counted, as Mosquitto does; not disconnected
    const report = await flow.stop();
    expect((await rejects(p.env)).publish_denied).toBe(before + 2);
    const reader = await open('svc-hallwatch', { clientId: 'reader-s03' });
    const got = received(reader);
    await reader.subscribeAsync('hall/cz-main/counter/w01/seat/s1', { qos: 1 });
    // One topic keeps one retained message: the one that arrives is the one the broker kept.
    await until(() => got.some((m) => m.retain), 5000, 'the retained seat');
    const retained = got.filter((m) => m.retain);
    expect(retained).toHaveLength(1);
    expect(retained[0]!.payload).not.toContain('"occupied":false');
    expect(flowed(report)).toEqual([]);
  }, 60_000);

  it('S03: retained messages only under configured ids, and at most the per-device budget', async () => {
    const flow = await legitimateFlow(p);
    const dev = await open('ctl-w02');
    const before = await rejects(p.env);
    // 200 invented seat and equipment ids: none is stored.
    for (let i = 0; i < 100; i++) {
      dev.publish(`hall/cz-main/counter/w02/seat/x${i}`, 'x'.repeat(1000), { qos: 0, retain: true });
      dev.publish(`hall/cz-main/counter/w02/equipment/e${i}`, 'x'.repeat(1000), { qos: 0, retain: true });
    }
    // Configured ids, but over the budget (8 messages, 4 KB): 2 KB each → the third is refused.
    await dev.publishAsync(
      'hall/cz-main/counter/w02/equipment/pc',
      JSON.stringify({ status: 'ok', detail: 'a'.repeat(2000) }),
      { qos: 1, retain: true },
    );
    await dev.publishAsync(
      'hall/cz-main/counter/w02/equipment/printer',
      JSON.stringify({ status: 'ok', detail: 'b'.repeat(1900) }),
      { qos: 1, retain: true },
    );
    await dev.publishAsync(
      'hall/cz-main/counter/w02/equipment/camera',
      JSON.stringify({ status: 'ok', detail: 'c'.repeat(2000) }),
      { qos: 1, retain: true },
    );
    const report = await flow.stop();
    const after = await rejects(p.env);
    expect((after.unknown_id ?? 0) - (before.unknown_id ?? 0)).toBe(200);
    expect((after.retained_limit ?? 0) - (before.retained_limit ?? 0)).toBe(1);
    const reader = await open('svc-hallwatch', { clientId: 'reader-s03b' });
    const got = received(reader);
    await reader.subscribeAsync(['hall/cz-main/counter/w02/seat/+', 'hall/cz-main/counter/w02/equipment/+'], {
      qos: 1,
    });
    // MQTT marks no end of the retained messages: a window to show that no invented id was kept.
    await new Promise((r) => setTimeout(r, 500));
    expect(
      got
        .filter((m) => m.retain)
        .map((m) => m.topic)
        .sort(),
    ).toEqual(['hall/cz-main/counter/w02/equipment/pc', 'hall/cz-main/counter/w02/equipment/printer']);
    expect(flowed(report)).toEqual([]);
  }, 60_000);

  it("S04: a device connecting with another device's client id is refused (rc 2); the other stays", async () => {
    const victim = await open('ctl-w03');
    const rc = await connackOf(
      p,
      connectPacket('ctl-w03', { username: 'ctl-w02', password: productPassword('ctl-w02') }),
    );
    expect(rc).toBe(2);
    // A PUBACK after the refusal: the broker still holds the victim's connection.
    await victim.publishAsync('hall/cz-main/device/ctl-w03/status', 'online', { qos: 1, retain: true });
    expect(victim.connected).toBe(true);
  });

  it('S05: usernames and client ids with + # / or NUL are refused (rc 2)', async () => {
    for (const id of ['ctl-w02+', 'ctl-w02/#', 'a/b', 'ctl-w02\0x'])
      expect(
        await connackOf(p, connectPacket(id, { username: 'ctl-w02', password: productPassword('ctl-w02') })),
        id,
      ).toBe(2);
    for (const user of ['ctl+w02', 'ctl#', 'ctl/w02', 'ctl\0w02'])
      expect(
        await connackOf(p, connectPacket('x1', { username: user, password: productPassword('ctl-w02') })),
        user,
      ).toBe(2);
    expect((await rejects(p.env)).bad_client_id).toBeGreaterThanOrEqual(8);
  });
});
