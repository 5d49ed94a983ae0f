// S6: oversized packets (TCP and WebSocket), topics deeper than the limit and malformed packets
// against the product as `npm start` runs it: the sender is disconnected and counted, the broker
// stays up with its memory near the baseline, and legitimate traffic keeps flowing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../../runtime/ports.ts';
import { productPassword } from '../helpers/product.ts';
import {
  closedWithin,
  connectPacket,
  flowed,
  legitimateFlow,
  type Product,
  rawSocket,
  rejects,
  startProduct,
} from './attack.ts';

/** A QoS 0 PUBLISH with a remaining length header of `size` (only the header is sent when `headerOnly`). */
function publishHeader(size: number): Buffer {
  const len: number[] = [];
  let x = size;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    len.push(b);
  } while (x > 0);
  return Buffer.from([0x30, ...len]);
}

describe('S06 malformed and oversized input', () => {
  let p: Product;
  let wsPort: number;
  beforeAll(async () => {
    wsPort = await freePort();
    p = await startProduct({ mqtt: { websocket: { host: '127.0.0.1', port: wsPort, path: '/mqtt' } } });
  }, 120_000);
  afterAll(async () => {
    await p?.env.cleanup();
  });

  const loggedIn = async () => {
    const s = await rawSocket(p, '127.0.0.3');
    s.write(
      connectPacket('hall-cz-main', { username: 'hall-cz-main', password: productPassword('hall-cz-main') }),
    );
    await new Promise<void>((resolve) => s.once('data', () => resolve()));
    return s;
  };

  it('closes a connection announcing a 100 MB PUBLISH at its header, and one with a 20-level topic', async () => {
    const flow = await legitimateFlow(p);
    const before = (await rejects(p.env)).packet_too_large ?? 0;
    const big = await loggedIn();
    big.write(publishHeader(100 * 1024 * 1024));
    expect(await closedWithin(big, 10_000)).toBe(true);
    const deep = await loggedIn();
    const topic = Buffer.from(Array.from({ length: 20 }, (_, i) => `l${i}`).join('/'));
    const body = Buffer.concat([
      Buffer.from([topic.length >> 8, topic.length & 0xff]),
      topic,
      Buffer.from('x'),
    ]);
    deep.write(Buffer.concat([publishHeader(body.length), body]));
    expect(await closedWithin(deep, 10_000)).toBe(true);
    const report = await flow.stop();
    expect((await rejects(p.env)).packet_too_large).toBe(before + 1);
    expect(flowed(report)).toEqual([]);
  }, 60_000);

  it('closes connections sending garbage, a bad remaining length or a second CONNECT', async () => {
    const flow = await legitimateFlow(p);
    for (const bytes of [
      Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
      Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      Buffer.from([0xf0, 0x00]),
    ]) {
      const s = await rawSocket(p, '127.0.0.3');
      s.write(bytes);
      expect(await closedWithin(s, 15_000), bytes.toString('hex')).toBe(true);
    }
    const twice = await loggedIn();
    twice.write(
      connectPacket('hall-cz-main', { username: 'hall-cz-main', password: productPassword('hall-cz-main') }),
    );
    expect(await closedWithin(twice, 10_000)).toBe(true);
    expect(flowed(await flow.stop())).toEqual([]);
  }, 60_000);

  it('refuses a WebSocket frame over maxPacketBytes before buffering it (ws maxPayload)', async () => {
    const flow = await legitimateFlow(p);
    const before = (await rejects(p.env)).packet_too_large ?? 0;
    const ws = new WebSocket(`ws://127.0.0.1:${wsPort}/mqtt`, 'mqtt');
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => {});
    ws.send(Buffer.alloc(1024 * 1024, 0x30));
    expect(await closed).toBe(1009); // "message too big"
    for (let i = 0; (await rejects(p.env)).packet_too_large !== before + 1 && i < 50; i++)
      await new Promise((r) => setTimeout(r, 100)); // poll the health counter, the fact itself
    expect((await rejects(p.env)).packet_too_large).toBe(before + 1);
    expect(flowed(await flow.stop())).toEqual([]);
  }, 60_000);
});
