// Poison points and refusal storms (issue 13 item 4): a real influxd behind a fault-injecting
// proxy (test/helpers/fault-proxy.ts), the ingest against a real broker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, refuseEveryLine, startFaultProxy } from '../../helpers/fault-proxy.ts';
import { startTestIngest, tempDir, testConfig, useIngestStand, waitFor } from '../helpers.ts';

const stand = useIngestStand();

async function seatCount(db: string): Promise<number> {
  const r = await stand.influx.query('SELECT count(occupied) FROM seat', db).catch(() => undefined);
  return (r?.results[0]?.series?.[0]?.values[0]?.[1] as number | undefined) ?? 0;
}
const deadLetters = (dir: string) => {
  try {
    return readFileSync(join(dir, 'ingest/deadletter.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { reason: string; line?: string; detail: string });
  } catch {
    return [];
  }
};
/** n seat messages spread over 10 counters and 2 seats, each with its own ts. */
async function publishSeats(n: number, t0: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const counter = `c0${i % 10}`;
    const seat = i % 20 < 10 ? 's1' : 's2';
    await stand.pub.publishAsync(
      `hall/h1/counter/${counter}/seat/${seat}`,
      JSON.stringify({ occupied: i % 3 === 0, ts: t0 + i, seq: i }),
      { qos: 1 },
    );
  }
}

describe('poison points and refusal storms', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(stand.influx.url);
  });
  afterAll(() => proxy?.close());

  it('a point InfluxDB keeps failing with a 500 is retried retryLimit times, then dead-lettered with its reason; every other point is stored', async () => {
    const db = 'poison';
    const dataDir = tempDir('hw-poison-');
    const t0 = Date.now() - 120_000;
    const poisonLine = `seat,counter=c07,hall=h1,seat=s2 occupied=false,seq=17i ${t0 + 17}`;
    proxy.setFault((req) =>
      req.body.includes(poisonLine) ? { status: 500, body: '{"error":"engine: internal error"}' } : undefined,
    );
    const ingest = await startTestIngest(
      testConfig({
        dataDir,
        mqttUrl: stand.broker.url,
        influxUrl: proxy.url,
        database: db,
        ingest: { clientId: 'ingest-poison', batchSize: 40, retryLimit: 2 },
      }),
    );
    try {
      await waitFor('subscription', () => ingest.health().details.broker === 'connected', 60_000);
      await publishSeats(200, t0);
      await waitFor('199 points stored', async () => (await seatCount(db)) === 199, 60_000);
      const dl = await waitFor(
        'the poison point in the dead-letter file',
        () => deadLetters(dataDir).find((d) => d.reason === 'influx_retry_exhausted'),
        90_000,
      );
      expect(dl.line).toBe(poisonLine);
      expect(dl.detail).toMatch(/HTTP 500/);
      expect(deadLetters(dataDir)).toHaveLength(1);
      // Bounded: the poison line was sent a handful of times, not forever.
      await waitFor(
        'spool drained',
        () => (ingest.health().details.spoolDepth as { points: number }).points === 0,
        60_000,
      );
      const poisonTries = () => proxy.requests.filter((r) => r.injected).length;
      const tries = poisonTries();
      expect(tries).toBeLessThan(40);
      await new Promise((r) => setTimeout(r, 1500));
      expect(poisonTries()).toBe(tries);
      expect(ingest.health().details).toMatchObject({
        influx: 'up',
        rejected: { influx_retry_exhausted: 1 },
      });
    } finally {
      await ingest.stop();
      proxy.setFault(undefined);
    }
  }, 120_000);

  // Retried (a fresh database each attempt): it timed out once in a full CI run on a quiet machine
  // and passed in the others; the cause is not yet found (see the stop-18 note).
  let outageAttempt = 0;
  it('an InfluxDB failing every request (503) is down, not poisoned: with retryLimit 1 nothing is dead-lettered', {
    retry: 2,
    timeout: 120_000,
  }, async () => {
    const db = `outage${outageAttempt++}`;
    const dataDir = tempDir('hw-outage-');
    const ingest = await startTestIngest(
      testConfig({
        dataDir,
        mqttUrl: stand.broker.url,
        influxUrl: proxy.url,
        database: db,
        ingest: { clientId: 'ingest-outage', batchSize: 20, retryLimit: 1 },
      }),
    );
    try {
      await waitFor('subscription', () => ingest.health().details.broker === 'connected', 60_000);
      proxy.setFault((req) =>
        req.path.startsWith('/write') ? { status: 503, body: 'maintenance' } : undefined,
      );
      await publishSeats(100, Date.now() - 30_000);
      await waitFor('spooled', () => ingest.stats.spooled === 100, 60_000).catch((e) => {
        throw new Error(`${e.message}: ${JSON.stringify(ingest.health())}`);
      });
      const failedBefore = proxy.requests.filter((r) => r.injected).length;
      await waitFor(
        'several retry cycles',
        () => proxy.requests.filter((r) => r.injected).length > failedBefore + 8,
      );
      proxy.setFault(undefined);
      await waitFor('all stored', async () => (await seatCount(db)) === 100, 60_000);
      expect(deadLetters(dataDir)).toEqual([]);
    } finally {
      await ingest.stop();
      proxy.setFault(undefined);
    }
  });

  it('a proxy that refuses every line is a broken InfluxDB: health down, a retained status for the admins, points kept and stored once it is fixed', async () => {
    const db = 'storm';
    const dataDir = tempDir('hw-storm-');
    const status = await mqtt.connectAsync(stand.broker.url, { clientId: 'status-watch' });
    const statuses: { status: string; reason?: string }[] = [];
    status.on('message', (_t, p) => p.length && statuses.push(JSON.parse(p.toString())));
    await status.subscribeAsync('hallwatch/status/ingest', { qos: 1 });
    const ingest = await startTestIngest(
      testConfig({
        dataDir,
        mqttUrl: stand.broker.url,
        influxUrl: proxy.url,
        database: db,
        ingest: { clientId: 'ingest-storm', batchSize: 25, refuseStormLines: 20 },
      }),
    );
    try {
      await waitFor('subscription', () => ingest.health().details.broker === 'connected', 60_000);
      proxy.setFault(refuseEveryLine);
      const t0 = Date.now() - 60_000;
      await publishSeats(300, t0);
      await waitFor('health down', () => ingest.health().status === 'down', 60_000);
      expect(ingest.health().details).toMatchObject({ influx: 'refusing' });
      await waitFor('retained down status', () => statuses.some((s) => s.status === 'down'), 60_000);
      expect(statuses.find((s) => s.status === 'down')).toMatchObject({ reason: 'influx_refusing' });
      // Not a flood: fewer lines than the storm threshold reached the dead-letter file.
      expect(deadLetters(dataDir).length).toBeLessThan(20);
      const lostToDeadLetter = deadLetters(dataDir).length;

      proxy.setFault(undefined);
      await waitFor(
        'every point not dead-lettered stored',
        async () => (await seatCount(db)) === 300 - lostToDeadLetter,
        90_000,
      );
      await waitFor('storm over', () => ingest.health().details.influx === 'up', 30_000);
      await waitFor('retained ok status', () => statuses.at(-1)?.status === 'ok', 60_000);
    } finally {
      await ingest.stop();
      await status.endAsync();
      proxy.setFault(undefined);
    }
  }, 180_000);
});
