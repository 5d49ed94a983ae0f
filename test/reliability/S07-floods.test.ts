// S7 and the resource floods of issue 14 against the product as `npm start` runs it: sockets that
// never log in (closed at connectTimeout, capped per source address), one device credential
// opening many sessions (capped per device), and an offline session's queue (bounded, drops
// counted). Legitimate devices still connect and the supervisor's API calls still answer.
import type net from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productPassword } from '../helpers/product.ts';
import {
  closedWithin,
  connackOf,
  connectPacket,
  flowed,
  legitimateFlow,
  login,
  type Product,
  rawSocket,
  rejects,
  startProduct,
} from './attack.ts';

describe('S07 floods', () => {
  let p: Product;
  beforeAll(async () => {
    p = await startProduct({
      mqtt: {
        limits: {
          maxConnectionsPerAddress: 50,
          connectTimeout: '2s',
          maxConnectionsPerDevice: 4,
          maxQueuedPerSession: 20,
          maxQueuedPerServiceSession: 20,
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await p?.env.cleanup();
  });

  it('caps sockets without CONNECT per address and closes them at connectTimeout; devices still connect', async () => {
    const flow = await legitimateFlow(p);
    const before = await rejects(p.env);
    const opened: net.Socket[] = [];
    const closedEarly: Promise<boolean>[] = [];
    for (let i = 0; i < 300; i++) {
      const s = await rawSocket(p, '127.0.0.4').catch(() => undefined);
      if (!s) continue;
      opened.push(s);
      closedEarly.push(closedWithin(s, 1_000));
    }
    // A device from another address logs in during the flood.
    const dev = await login(p.env.mqttUrl, 'ctl-w04');
    expect(dev.connected).toBe(true);
    await dev.endAsync(true);
    // Beyond 50 the broker closed the socket at once (the ones it held free up at connectTimeout).
    expect((await Promise.all(closedEarly)).filter(Boolean).length).toBeGreaterThanOrEqual(200);
    const all = await Promise.all(opened.map((s) => closedWithin(s, 15_000)));
    expect(all.every(Boolean)).toBe(true);
    const report = await flow.stop();
    const after = await rejects(p.env);
    expect((after.max_per_address ?? 0) - (before.max_per_address ?? 0)).toBeGreaterThanOrEqual(200);
    expect((after.connect_timeout ?? 0) - (before.connect_timeout ?? 0)).toBeGreaterThanOrEqual(40);
    expect(flowed(report)).toEqual([]);
  }, 90_000);

  it('refuses a fifth session of one device credential (rc 3); its own reconnect still takes over', async () => {
    const codes: number[] = [];
    const held: net.Socket[] = [];
    for (let i = 1; i <= 6; i++) {
      const s = await rawSocket(p);
      held.push(s);
      s.write(connectPacket(`ctl-w05:${i}`, { username: 'ctl-w05', password: productPassword('ctl-w05') }));
      codes.push(await new Promise<number>((resolve) => s.once('data', (d: Buffer) => resolve(d[3]!))));
    }
    expect(codes).toEqual([0, 0, 0, 0, 3, 3]);
    expect(
      await connackOf(
        p,
        connectPacket('ctl-w05:2', { username: 'ctl-w05', password: productPassword('ctl-w05') }),
      ),
    ).toBe(0);
    for (const s of held) s.destroy();
    expect((await rejects(p.env)).max_per_device).toBe(2);
  }, 60_000);

  it("bounds an offline session's queue: the newest messages beyond it are dropped and counted", async () => {
    const before = (await rejects(p.env)).queue_full ?? 0;
    const opts = { clientId: 'offline-queue', clean: false };
    const sub = await login(p.env.mqttUrl, 'svc-hallwatch', opts);
    await sub.subscribeAsync('hall/cz-main/env/env3', { qos: 1 });
    await sub.endAsync();
    const hall = await login(p.env.mqttUrl, 'hall-cz-main');
    for (let i = 0; i < 50; i++)
      await hall.publishAsync('hall/cz-main/env/env3', JSON.stringify({ lux: i }), { qos: 1 });
    await hall.endAsync();
    // At least the offline session's 30: this test lowers the service bound to 20 for every
    // service session, so the product's own ingest/alerts sessions may drop too when they lag.
    // That this session kept exactly the oldest 20 is checked below.
    expect((await rejects(p.env)).queue_full).toBeGreaterThanOrEqual(before + 30);
    // Listen before CONNACK: the queued messages may arrive in the same read as the CONNACK.
    const got: number[] = [];
    const back = mqtt.connect(p.env.mqttUrl, {
      ...opts,
      username: 'svc-hallwatch',
      password: productPassword('svc-hallwatch'),
      reconnectPeriod: 0,
    });
    back.on('message', (_t, m) => got.push((JSON.parse(m.toString()) as { lux: number }).lux));
    const end = Date.now() + 10_000;
    while (got.length < 20 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await back.endAsync(true);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i)); // the oldest 20, in order
  }, 60_000);
});
