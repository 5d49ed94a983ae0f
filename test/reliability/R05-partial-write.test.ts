// R5: one point with a field-type conflict in a 5,000-point batch (InfluxDB 1.x: 400 "partial
// write"): 4,999 stored, the one in the dead-letter file with its reason, later batches not
// blocked, no endless retry.

import { afterAll, describe, expect, it } from 'vitest';
import { productEnvs } from '../helpers/product.ts';
import { allAcked, allStored, controllers, deadLetters, HALL, ingestHealth, waitUntil } from './harness.ts';

const envs = productEnvs();
afterAll(() => envs.cleanup());

describe('R5 partial write', () => {
  it('R5 a field-type conflict in a 5,000-point batch: 4,999 stored, 1 dead-lettered with its reason, later batches flow', async () => {
    // One batch of 5,000: sealed by size, not by time.
    const env = await envs.make({ overrides: { ingest: { batchSize: 5000, flushInterval: '20s' } } });
    await env.start({ readyTimeoutMs: 180_000 });
    // The `sign` field already holds integers in this shard: a string sign conflicts.
    const t0 = Date.now() - 3_600_000;
    const w = await fetch(`${env.influxd!.url}/write?db=${env.database}&precision=ms`, {
      method: 'POST',
      body: `sign,counter=w09,hall=${HALL} sign=1i ${t0 - 10}`,
    });
    expect(w.status).toBe(204);
    const cs = await controllers(env, 10, t0);
    for (let i = 0; i < 4999; i++) cs[i % 10]!.publishOne();
    await cs[9]!.publishOwn('sign', { sign: 'away', ts: t0 + 5 });
    await Promise.all(cs.map((c) => c.settled()));
    await allStored(env, allAcked(cs), 120_000);
    expect(allAcked(cs).size).toBe(4999);
    const dl = await (async () => {
      await waitUntil('dead letter', () => deadLetters(env).length > 0);
      return deadLetters(env);
    })();
    expect(dl).toEqual([
      expect.objectContaining({ reason: 'influx_rejected', detail: expect.stringMatching(/conflict/) }),
    ]);
    expect(dl[0]!.line).toContain('sign,counter=w10');
    // Later batches are not blocked, and the bad point is not retried.
    for (const c of cs) await c.end();
    const more = await controllers(env, 1, t0 + 100_000);
    for (let i = 0; i < 20; i++) more[0]!.publishOne();
    await more[0]!.settled();
    const env2 = env;
    await waitUntil(
      'flush of the later batch',
      async () => {
        const h = await ingestHealth(env2);
        return (h.details.written as number) >= 4999 + 20;
      },
      90_000,
    );
    await allStored(env, allAcked(more), 90_000);
    expect(deadLetters(env)).toHaveLength(1);
    expect((await ingestHealth(env)).details.rejected).toMatchObject({ influx_rejected: 1 });
    await Promise.all(more.map((c) => c.end()));
  }, 300_000);
});
