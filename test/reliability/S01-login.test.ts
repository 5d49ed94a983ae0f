// S1: anonymous CONNECT and password guessing against the product as `npm start` runs it.
// Refused with CONNACK 5, throttled for every account alike (a device, the service account a
// process without the broker would use, names that do not exist), and the password checks run off the event
// loop: the legitimate device and the supervisor's API calls keep flowing meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productPassword } from '../helpers/product.ts';
import {
  connackOf,
  connectPacket,
  flowed,
  legitimateFlow,
  type Product,
  rejects,
  startProduct,
} from './attack.ts';

describe('S01 login attacks', () => {
  let p: Product;
  beforeAll(async () => {
    p = await startProduct();
  }, 120_000);
  afterAll(async () => {
    await p?.env.cleanup();
  });

  it('refuses anonymous CONNECT with rc 5', async () => {
    expect(await connackOf(p, connectPacket('anon-1'))).toBe(5);
    expect((await rejects(p.env)).anonymous).toBeGreaterThanOrEqual(1);
  });

  it('throttles 100 wrong passwords per account and address while devices and the API keep working', async () => {
    const flow = await legitimateFlow(p);
    const accounts = ['ctl-w02', 'svc-hallwatch', 'no-such-user', 'hall-cz-main'];
    const codes: number[] = [];
    // 100 guesses, 25 per account, 10 at a time, from another loopback address than the devices.
    for (let round = 0; round < 10; round++)
      codes.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            connackOf(
              p,
              connectPacket(`guess-${round}-${i}`, {
                username: accounts[i % 4]!,
                password: `wrong-${round}-${i}`,
              }),
              '127.0.0.2',
            ),
          ),
        )),
      );
    const report = await flow.stop();
    expect(codes.every((c) => c === 5)).toBe(true);
    const r = await rejects(p.env);
    // Only the first few tries reach a password check (5 per account, 20 per address, plus the
    // ones already in flight and one per expired back-off on a slow machine); the rest wait.
    expect(r.throttled ?? 0).toBeGreaterThanOrEqual(50);
    expect((r.bad_password ?? 0) + (r.unknown_user ?? 0)).toBeLessThanOrEqual(50);
    expect(flowed(report)).toEqual([]);
    // The right password of a throttled account from the attacker's address waits too: one more
    // guess first, so a back-off is running whatever time the burst took on this machine …
    expect(
      await connackOf(
        p,
        connectPacket('guess-last', { username: 'ctl-w02', password: 'wrong-last' }),
        '127.0.0.2',
      ),
    ).toBe(5);
    expect(
      await connackOf(
        p,
        connectPacket('ctl-w02', { username: 'ctl-w02', password: productPassword('ctl-w02') }),
        '127.0.0.2',
      ),
    ).toBe(5);
    // … while the same device from its own address logs in.
    expect(
      await connackOf(
        p,
        connectPacket('ctl-w02', { username: 'ctl-w02', password: productPassword('ctl-w02') }),
        '127.0.0.1',
      ),
    ).toBe(0);
  }, 120_000);
});
