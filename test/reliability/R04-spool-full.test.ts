// R4: the spool reaches its cap while InfluxDB is down. Policy (docs/ingest.md): the ingest stops
// taking new messages (backpressure) and the broker keeps them; nothing accepted is dropped. The
// process stays up, health is down with spoolFull, an error is logged; everything is stored later.
import { afterAll, describe, expect, it } from 'vitest';
import { productEnvs } from '../helpers/product.ts';
import { allAcked, allStored, controllers, health, ingestHealth, waitUntil } from './harness.ts';

const envs = productEnvs();
afterAll(() => envs.cleanup());

describe('R4 spool full', () => {
  it('R4 spool cap reached during an outage: process up, health down, SPOOL FULL logged, nothing accepted dropped', async () => {
    const env = await envs.make({
      overrides: { ingest: { spoolMaxBytes: 1_000_000, spoolSegmentBytes: 65_536 } },
    });
    const product = await env.start({ readyTimeoutMs: 180_000 });
    const cs = await controllers(env, 10, Date.now() - 3_600_000);
    await env.influxd!.stop();
    for (const c of cs) c.stream(60);
    await waitUntil('spool full', async () => (await ingestHealth(env)).details.spoolFull === true, 120_000);
    await product.waitForLog((l) => /SPOOL FULL/.test(String(l.msg)), 10_000, 'the SPOOL FULL error');
    expect((await ingestHealth(env)).status).toBe('down');
    expect((await health(env)).status).toBe('down');
    await new Promise((r) => setTimeout(r, 3000)); // devices keep sending into a full spool
    for (const c of cs) c.stop();
    expect(product.exited()).toBe(false);

    await env.influxd!.restart();
    await Promise.all(cs.map((c) => c.settled(240_000)));
    const accepted = allAcked(cs);
    const ms = await allStored(env, accepted, 240_000);
    const h = await ingestHealth(env);
    expect(h.details.spoolFull).toBe(false);
    expect(h.details.spoolDepth).toMatchObject({ lostPoints: 0 });
    expect(h.details.deadLetterDropped).toBe(0);
    console.info(`R4: ${accepted.size} accepted, all stored ${ms} ms after InfluxDB returned`);
    await Promise.all(cs.map((c) => c.end()));
  }, 400_000);
});
