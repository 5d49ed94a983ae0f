// R9: the whole spool replayed twice (a restored backup of it, after it was already drained): the
// number of points in InfluxDB does not change — every point carries its device time, so a replay
// overwrites itself.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { productEnvs } from '../helpers/product.ts';
import { allAcked, allStored, controllers, HALL, ingestHealth, waitUntil } from './harness.ts';

const envs = productEnvs();
afterAll(() => envs.cleanup());

describe('R9 replaying the spool', () => {
  it('R9 the whole spool replayed twice: the point count in InfluxDB is unchanged', async () => {
    const env = await envs.make();
    const product = await env.start({ readyTimeoutMs: 180_000 });
    const cs = await controllers(env, 3, Date.now() - 3_600_000);
    await env.influxd!.stop();
    for (let i = 0; i < 200; i++) for (const c of cs) c.publishOne();
    await Promise.all(cs.map((c) => c.settled()));
    await waitUntil('everything spooled', async () => (await ingestHealth(env)).details.pendingBatches === 0);
    await product.kill('SIGKILL');
    const spool = join(env.dir, 'data/ingest/spool');
    const backup = join(env.dir, 'spool-backup');
    cpSync(spool, backup, { recursive: true });
    await env.influxd!.restart();

    const count = async () => {
      const r = await env.influxd!.query(
        `SELECT count(occupied) FROM seat WHERE hall = '${HALL}'`,
        env.database,
      );
      return r.results[0]?.series?.[0]?.values[0]?.[1] as number;
    };
    const drained = () =>
      waitUntil(
        'spool drained',
        async () => ((await ingestHealth(env)).details.spoolDepth as { points: number }).points === 0,
        120_000,
      );
    await product.restart();
    await drained();
    await allStored(env, allAcked(cs));
    const first = await count();
    expect(first).toBe(600);
    for (let replay = 1; replay <= 2; replay++) {
      await product.kill('SIGKILL');
      rmSync(spool, { recursive: true, force: true });
      cpSync(backup, spool, { recursive: true });
      await product.restart();
      await product.waitForLog((l) => /spool holds points/.test(String(l.msg)), 30_000, 'the replay');
      await drained();
      expect(await count()).toBe(first);
    }
    await Promise.all(cs.map((c) => c.end()));
  }, 300_000);
});
