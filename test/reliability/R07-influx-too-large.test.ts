// R7: InfluxDB (or its proxy) answers 413 to a body over its limit: the batch is split, and every
// point is stored; nothing is dead-lettered for size.
import { afterAll, describe, expect, it } from 'vitest';
import { allAcked, allStored, controllers, deadLetters, proxiedEnvs } from './harness.ts';

const LIMIT = 4_000; // bytes: about 40 seat lines
const products = proxiedEnvs();
afterAll(() => products.cleanup());

describe('R7 body too large', () => {
  it(`R7 413 for every body over ${LIMIT} bytes: batches split, every accepted point stored`, async () => {
    // Large batches: a flush only every 2 s.
    const { env, proxy } = await products.make({ ingest: { flushInterval: '2s' } });
    proxy.setFault((r) =>
      r.path.startsWith('/write') && Buffer.byteLength(r.body) > LIMIT
        ? { status: 413, body: '{"error":"Request Entity Too Large"}' }
        : undefined,
    );
    await env.start({ readyTimeoutMs: 180_000 });
    const cs = await controllers(env, 4, Date.now() - 3_600_000);
    for (let i = 0; i < 150; i++) for (const c of cs) c.publishOne();
    await Promise.all(cs.map((c) => c.settled()));
    await allStored(env, allAcked(cs));
    expect(allAcked(cs).size).toBe(600);
    expect(proxy.requests.filter((r) => r.status === 413).length).toBeGreaterThan(0);
    expect(deadLetters(env)).toEqual([]);
    await Promise.all(cs.map((c) => c.end()));
  }, 240_000);
});
