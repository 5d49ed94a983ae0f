// R8: InfluxDB (or its proxy) answers 429 / 503 with Retry-After: no write request goes out
// before the Retry-After has passed, and no point is lost.
import { afterAll, describe, expect, it } from 'vitest';
import { allAcked, allStored, controllers, deadLetters, proxiedEnvs, scaled } from './harness.ts';

const RETRY_AFTER_S = 3;
const FAULT_MS = scaled('R08_FAULT_S', 10, 120) * 1000;
const products = proxiedEnvs();
afterAll(() => products.cleanup());

describe('R8 rate limited by InfluxDB', () => {
  for (const status of [429, 503])
    it(`R8 ${status} with Retry-After: ${RETRY_AFTER_S}: no write before it has passed, zero loss`, async () => {
      const { env, proxy } = await products.shared();
      proxy.requests.length = 0;
      const cs = await controllers(env, 2, Date.now() - 3_600_000 - status * 10_000);
      for (const c of cs) c.stream(15);
      await new Promise((r) => setTimeout(r, 1000));
      proxy.setFault((r) =>
        r.path.startsWith('/write')
          ? { status, body: '{"error":"slow down"}', headers: { 'retry-after': String(RETRY_AFTER_S) } }
          : undefined,
      );
      await new Promise((r) => setTimeout(r, FAULT_MS));
      proxy.setFault(undefined);
      for (const c of cs) c.stop();
      await Promise.all(cs.map((c) => c.settled()));
      await allStored(env, allAcked(cs));
      expect(deadLetters(env)).toEqual([]);

      // Every write that arrived after a refusal (beyond requests already in flight then) came
      // at least Retry-After later.
      const writes = proxy.requests.filter((r) => r.path.startsWith('/write'));
      const refusals = writes.filter((r) => r.status === status);
      expect(refusals.length).toBeGreaterThan(0);
      const early = writes.filter((w) => {
        const before = refusals.filter((x) => x.at < w.at - 300).at(-1);
        return before && w.at < before.at + RETRY_AFTER_S * 1000 - 50;
      });
      expect(early).toEqual([]);
      // A refusal roughly every Retry-After (a few writers may each be told at once), not a hammering.
      expect(refusals.length).toBeLessThan(4 * Math.ceil(FAULT_MS / (RETRY_AFTER_S * 1000)) + 4);
      await Promise.all(cs.map((c) => c.end()));
    }, 300_000);
});
