// R10: kill -9 of the broker while a persistent QoS 1 subscriber is offline. The layout is the
// two-process one (`--only broker` + `--only ingest`); the ingest (the persistent subscriber,
// clean: false) is killed, 6 controllers keep streaming until 1,200 messages (soak 20,000) are
// PUBACKed for nobody online — more than aedes-persistence-redis once handed a reconnecting
// session (1,001: the rest stayed in Redis) — with a broker kill -9 and restart half-way, then the
// ingest comes back. Criterion: every message the broker PUBACKed is delivered at least once —
// every accepted point is in InfluxDB (count check) — with the broker's sessions and queues in
// its journal (`file`, the default) and in Redis (`redis`, redis-server on a free port). And
// `npm start` itself on Redis (all services in one process): it starts (the alerts service's
// SUBSCRIBE of nine topics once never got its SUBACK there), and starts again after each kill -9
// under a live stream (it once died of "connack timeout": a PUBLISH before the CONNACK), and
// nothing accepted is lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { productEnvs } from '../helpers/product.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { allAcked, allStored, budget, controllers, HALL, scaled, storedSeats, waitUntil } from './harness.ts';

/** Messages PUBACKed while the ingest is away (soak: 20,000 ≈ 4 min at 90 msg/s). */
const QUEUE = scaled('R10_QUEUE', 1200, 20_000);
/** How long 6 controllers at 15 msg/s take to build it, with room for a loaded machine. */
const QUEUE_MS = 3 * (QUEUE / 90) * 1000 + 60_000;
/** kill -9 of `npm start` on Redis (soak: 20). */
const KILLS = scaled('R10_KILLS', 3, 20);
const envs = productEnvs();
const redises: { redis: TestRedis; dir: string }[] = [];
afterAll(async () => {
  await envs.cleanup();
  for (const r of redises.splice(0)) {
    await r.redis.stop();
    rmSync(r.dir, { recursive: true, force: true });
  }
});

async function persistence(kind: 'file' | 'redis') {
  if (kind === 'file') return { kind };
  const dir = mkdtempSync(join(tmpdir(), 'hw-r10-redis-'));
  const redis = await startRedis(dir);
  redises.push({ redis, dir });
  return { kind, redisUrl: redis.url };
}

describe('R10 broker kill -9 while a persistent subscriber is offline', () => {
  for (const kind of ['file', 'redis'] as const)
    it(
      `R10 mqtt.persistence.kind ${kind}: every message PUBACKed while the ingest was away reaches InfluxDB`,
      async () => {
        const env = await envs.make({ overrides: { mqtt: { persistence: await persistence(kind) } } });
        const broker = await env.start({ only: ['broker'], readyTimeoutMs: 180_000 });
        await broker.waitForLog((l) => l.persistence === kind, 5000, `broker on ${kind} persistence`);
        const ingest = await env.start({ only: ['ingest'], readyTimeoutMs: 180_000 });
        const cs = await controllers(env, 6, Date.now() - 3_600_000);
        for (const c of cs) c.stream(15);
        await waitUntil('points flowing into InfluxDB', async () => (await storedSeats(env)).size > 30);

        await ingest.kill('SIGKILL'); // the persistent subscriber goes offline, mid-batch
        const before = allAcked(cs).size;
        const away = () => allAcked(cs).size - before;
        await waitUntil('half the queue built', () => away() >= QUEUE / 2, QUEUE_MS);
        await broker.kill('SIGKILL');
        await broker.restart();
        // A queue deeper than aedes-persistence-redis delivers by default on reconnect (1,001).
        await waitUntil('the queue built', () => away() >= QUEUE, QUEUE_MS);
        const whileAway = away();
        const back = Date.now();
        await ingest.restart();
        for (const c of cs) c.stop();
        await Promise.all(cs.map((c) => c.settled(180_000)));
        const accepted = allAcked(cs);
        expect(accepted.size).toBe(cs.reduce((n, c) => n + c.sent, 0));
        await allStored(env, accepted);
        const recoveryMs = Date.now() - back;
        const r = await env.influxd!.query(
          `SELECT count(occupied) FROM seat WHERE hall = '${HALL}'`,
          env.database,
        );
        expect(r.results[0]?.series?.[0]?.values[0]?.[1]).toBe(accepted.size);
        console.info(
          `R10 ${kind}: ${accepted.size} accepted (${whileAway} while the ingest was away, across the broker's kill -9), all stored ${recoveryMs} ms after the ingest came back`,
        );
        await Promise.all(cs.map((c) => c.end()));
      },
      budget(QUEUE_MS),
    );

  it(
    `R10 npm start on mqtt.persistence.kind redis: starts, and starts again after each of ${KILLS} kill -9 mid-stream; nothing accepted lost`,
    async () => {
      const env = await envs.make({ overrides: { mqtt: { persistence: await persistence('redis') } } });
      const all = await env.start({ readyTimeoutMs: 180_000 }); // every service logged "started"
      const cs = await controllers(env, 3, Date.now() - 3_600_000);
      for (const c of cs) c.stream(15);
      const restarts: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        // Killed while the stream flows into InfluxDB, so the restart restores live sessions under load
        // (the alerts service's start once failed there: a PUBLISH before its CONNACK).
        const target = allAcked(cs).size + 60;
        await waitUntil(
          'points flowing into InfluxDB',
          async () => (await storedSeats(env)).size >= target - 60 && allAcked(cs).size >= target,
        );
        await all.kill('SIGKILL');
        const t = Date.now();
        await all.restart();
        restarts.push(Date.now() - t);
      }
      for (const c of cs) c.stop();
      await Promise.all(cs.map((c) => c.settled(180_000)));
      const accepted = allAcked(cs);
      expect(accepted.size).toBe(cs.reduce((n, c) => n + c.sent, 0));
      const ms = await allStored(env, accepted);
      console.info(
        `R10 redis all-in-one: ${KILLS} kills, ${accepted.size} accepted, all stored ${ms} ms after the stop; restart to ready ${restarts.join(', ')} ms`,
      );
      await Promise.all(cs.map((c) => c.end()));
    },
    180_000 + KILLS * 60_000,
  );
});
