// S8 against the product as `npm start` runs it: the API without a token, with a wrong one, with
// a read-only one on a write route, an oversized body, a token-guessing flood from one address
// (throttled per address, whatever token each guess sends) and /api/health without a token
// (statuses only). The supervisor from another address and the devices keep working.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productToken } from '../helpers/product.ts';
import { ADMIN, api, flowed, legitimateFlow, type Product, startProduct } from './attack.ts';

/** A GET from a chosen loopback source address (fetch cannot pick one). */
function getFrom(p: Product, path: string, token: string, localAddress: string): Promise<number> {
  const u = new URL(`${p.env.apiUrl}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        localAddress,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('S08 API abuse', () => {
  let p: Product;
  beforeAll(async () => {
    p = await startProduct({ api: { authFailures: { max: 20, window: '1m' } } });
  }, 120_000);
  afterAll(async () => {
    await p?.env.cleanup();
  });

  it('answers 401 / 401 / 403 / 413 and shows only statuses in health without a token', async () => {
    expect((await api(p.env, '/api/halls')).status).toBe(401);
    expect((await api(p.env, '/api/halls', 'not-a-token')).status).toBe(401);
    const ro = await api(p.env, '/api/alerts/x/ack', productToken('assessor'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ro.status).toBe(403);
    const big = await api(p.env, '/api/alerts/x/ack', ADMIN, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x'.repeat(200_000) }),
    });
    expect(big.status).toBe(413);
    const anon = await api(p.env, '/api/health');
    for (const s of Object.values(anon.body.services as Record<string, object>))
      expect(Object.keys(s)).toEqual(['status']);
    expect(anon.text).not.toMatch(/\/tmp\/|http:\/\/|127\.0\.0\.1/);
    const full = await api(p.env, '/api/health', ADMIN);
    expect(full.body.services.broker.details.rejects).toBeDefined();
  });

  it('throttles 200 token guesses from one address after 20; other addresses and devices unaffected', async () => {
    const flow = await legitimateFlow(p);
    const codes: number[] = [];
    for (let round = 0; round < 20; round++)
      codes.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) => getFrom(p, '/api/halls', `guess-${round}-${i}`, '127.0.0.5')),
        )),
      );
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(20);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(180);
    // The real token from the guessing address waits as well; the supervisor elsewhere does not.
    expect(await getFrom(p, '/api/halls', productToken('supervisor'), '127.0.0.5')).toBe(429);
    expect(flowed(await flow.stop())).toEqual([]);
  }, 90_000);
});
