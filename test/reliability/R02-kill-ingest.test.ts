// R2: kill -9 of the process that runs the ingest, mid-batch, again and again (3 times in CI, 20 in
// `npm run soak`). Criterion: stored ⊇ accepted, and duplicates only as same-key overwrites — the
// number of points InfluxDB holds equals the number of distinct messages accepted.
import { afterAll, describe, expect, it } from 'vitest';
import { productEnvs } from '../helpers/product.ts';
import { allAcked, allStored, controllers, HALL, scaled } from './harness.ts';

const KILLS = scaled('R02_KILLS', 3, 20);
const envs = productEnvs();
afterAll(() => envs.cleanup());

describe('R2 kill -9 of the ingest mid-batch', () => {
  it(
    `R2 ${KILLS} × kill -9 while devices stream: every accepted point stored once`,
    async () => {
      const env = await envs.make();
      const product = await env.start({ readyTimeoutMs: 180_000 });
      const cs = await controllers(env, 5, Date.now() - 3_600_000);
      for (const c of cs) c.stream(15);
      const recoveries: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 1000 + Math.random() * 2000));
        await product.kill('SIGKILL');
        const t = Date.now();
        await product.restart();
        recoveries.push(Date.now() - t);
      }
      await new Promise((r) => setTimeout(r, 1000));
      for (const c of cs) c.stop();
      await Promise.all(cs.map((c) => c.settled(180_000)));
      const accepted = allAcked(cs);
      expect(accepted.size).toBe(cs.reduce((n, c) => n + c.sent, 0));
      await allStored(env, accepted);
      const r = await env.influxd!.query(
        `SELECT count(occupied) FROM seat WHERE hall = '${HALL}'`,
        env.database,
      );
      expect(r.results[0]?.series?.[0]?.values[0]?.[1]).toBe(accepted.size);
      console.info(
        `R2: ${KILLS} kills, ${accepted.size} accepted and stored once each; restart to ready ${recoveries.join(', ')} ms`,
      );
      await Promise.all(cs.map((c) => c.end()));
    },
    180_000 + KILLS * 150_000,
  );
});
