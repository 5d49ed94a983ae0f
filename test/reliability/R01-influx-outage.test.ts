// R1: InfluxDB stopped under steady load (30 min in `npm run soak`, 20 s in CI), then restarted.
// Criterion: every accepted point stored (distinct (series, ts) == accepted), nothing lost to the
// spool, and the backlog drains at least twice as fast as points arrive.
import { afterAll, describe, expect, it } from 'vitest';
import { productEnvs } from '../helpers/product.ts';
import {
  allAcked,
  allStored,
  budget,
  controllers,
  ingestHealth,
  scaled,
  storedSeats,
  waitUntil,
} from './harness.ts';

const OUTAGE_MS = scaled('R01_OUTAGE_S', 20, 1800) * 1000;
const envs = productEnvs();
afterAll(() => envs.cleanup());

describe('R1 InfluxDB outage under steady load', () => {
  it(
    `R1 InfluxDB stopped ${OUTAGE_MS / 1000} s: every accepted point stored, spool_dropped 0, backlog drains at ≥ 2× the ingest rate`,
    async () => {
      const env = await envs.make();
      const product = await env.start({ readyTimeoutMs: 180_000 });
      const cs = await controllers(env, 3, Date.now() - 3_600_000);
      const rate = 15; // msg/s per controller, as a counter controller sends at most
      for (const c of cs) c.stream(rate);
      await waitUntil('points flowing into InfluxDB', async () => (await storedSeats(env)).size > 50);

      await env.influxd!.stop();
      const outageStart = Date.now();
      await waitUntil(
        'ingest sees InfluxDB down',
        async () => (await ingestHealth(env)).details.influx === 'down',
      );
      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - outageStart))));
      const backlog = ((await ingestHealth(env)).details.spoolDepth as { points: number }).points;
      await env.influxd!.restart();
      const back = Date.now();
      await waitUntil(
        'spool drained',
        async () => ((await ingestHealth(env)).details.spoolDepth as { points: number }).points === 0,
        Math.max(120_000, OUTAGE_MS),
        100,
      );
      const drainMs = Date.now() - back;
      for (const c of cs) c.stop();
      await Promise.all(cs.map((c) => c.settled()));

      const accepted = allAcked(cs);
      const recoveryMs = await allStored(env, accepted);
      const h = await ingestHealth(env);
      expect(h.details.spoolDepth).toMatchObject({ points: 0, lostPoints: 0, corruptFiles: 0 });
      expect(h.details.spoolFull).toBe(false);
      expect(product.exited()).toBe(false);
      // Drain rate: the backlog (points spooled during the outage) over the time it took, against
      // the arrival rate of all controllers together.
      const arrival = rate * cs.length;
      const drainRate = backlog / Math.max(drainMs / 1000, 0.001);
      console.info(
        `R1: outage ${OUTAGE_MS} ms, accepted ${accepted.size}, backlog ${backlog} points drained in ${drainMs} ms (${Math.round(drainRate)}/s vs arrival ${arrival}/s), all stored ${recoveryMs} ms after the drain`,
      );
      expect(backlog).toBeGreaterThan(arrival * (OUTAGE_MS / 1000) * 0.5);
      expect(drainRate).toBeGreaterThanOrEqual(2 * arrival);
      await Promise.all(cs.map((c) => c.end()));
    },
    budget(OUTAGE_MS),
  );
});
