// R6: InfluxDB answers 401/403 (a revoked token or password): points are kept in the spool, not
// dropped or dead-lettered, and delivered once the credentials work again.
import { afterAll, describe, expect, it } from 'vitest';
import {
  allAcked,
  allStored,
  controllers,
  deadLetters,
  ingestHealth,
  proxiedEnvs,
  scaled,
  waitUntil,
} from './harness.ts';

const FAULT_MS = scaled('R06_FAULT_S', 8, 300) * 1000;
const products = proxiedEnvs();
afterAll(() => products.cleanup());

describe('R6 InfluxDB refuses the credentials', () => {
  for (const status of [401, 403])
    it(`R6 ${status} for ${FAULT_MS / 1000} s: every accepted point kept, none dead-lettered, all stored once fixed`, async () => {
      const { env, proxy } = await products.shared();
      proxy.requests.length = 0;
      const cs = await controllers(env, 2, Date.now() - 3_600_000 - status * 10_000);
      for (const c of cs) c.stream(15);
      proxy.setFault((r) =>
        r.path.startsWith('/write')
          ? { status, body: JSON.stringify({ error: status === 401 ? 'authorization failed' : 'forbidden' }) }
          : undefined,
      );
      await waitUntil(
        'ingest sees InfluxDB down',
        async () => (await ingestHealth(env)).details.influx === 'down',
      );
      await new Promise((r) => setTimeout(r, FAULT_MS));
      const h = await ingestHealth(env);
      expect((h.details.spoolDepth as { points: number }).points).toBeGreaterThan(0);
      proxy.setFault(undefined); // the token is fixed
      for (const c of cs) c.stop();
      await Promise.all(cs.map((c) => c.settled()));
      const ms = await allStored(env, allAcked(cs));
      expect(deadLetters(env)).toEqual([]);
      expect(proxy.requests.some((r) => r.status === status)).toBe(true);
      console.info(`R6 ${status}: ${allAcked(cs).size} accepted, all stored ${ms} ms after the fix`);
      await Promise.all(cs.map((c) => c.end()));
    }, 300_000);
});
