// Never a point lost: a 20k-point stream through an influxd outage, and through kill -9 of the
// ingest process (also while it is spooling). Every point published (PUBACKed by the broker)
// must be in InfluxDB afterwards, counted and compared.
// INGEST_TEST_OUTAGE_S sets the outage length (default 30 s, as in the issue; CI may use 10).
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  sleep,
  spawnIngestChild,
  startTestIngest,
  tempDir,
  testConfig,
  useIngestStand,
  waitFor,
} from './helpers.ts';

const OUTAGE_MS = Number(process.env.INGEST_TEST_OUTAGE_S ?? 30) * 1000;
const TOTAL = 20_000;

const stand = useIngestStand();

async function count(db: string): Promise<number> {
  const r = await stand.influx.query('SELECT count(occupied) FROM seat', db);
  return (r.results[0]?.series?.[0]?.values[0]?.[1] as number) ?? 0;
}

/**
 * Publishes TOTAL seat messages (QoS 1, 200 in flight) over `durationMs`, one distinct point each,
 * calling `at(fraction)` hooks as the stream passes them. Resolves when the broker has PUBACKed all.
 */
async function stream(durationMs: number, hooks: [number, () => Promise<void>][]): Promise<void> {
  const T0 = Date.now() - 3_600_000;
  const started = Date.now();
  const pending = [...hooks].sort((a, b) => a[0] - b[0]);
  const hookRuns: Promise<void>[] = [];
  for (let i = 0; i < TOTAL; i += 200) {
    while (pending.length && i >= pending[0]![0] * TOTAL) hookRuns.push(pending.shift()![1]());
    const chunk = [];
    for (let j = i; j < Math.min(TOTAL, i + 200); j++) {
      const topic = `hall/h1/counter/c${String(j % 10).padStart(2, '0')}/seat/s${j % 20 < 10 ? 1 : 2}`;
      chunk.push(
        stand.pub.publishAsync(topic, JSON.stringify({ occupied: j % 3 === 0, ts: T0 + j, seq: j }), {
          qos: 1,
        }),
      );
    }
    await Promise.all(chunk);
    const due = started + (durationMs * (i + 200)) / TOTAL;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  await Promise.all(hookRuns);
}

describe('durability', () => {
  it(
    `influxd stopped for ${OUTAGE_MS / 1000} s in the middle of a ${TOTAL}-point stream: every point is stored afterwards`,
    async () => {
      const db = 'outage';
      const ingest = await startTestIngest(
        testConfig({
          dataDir: tempDir('hw-outage-'),
          mqttUrl: stand.broker.url,
          influxUrl: stand.influx.url,
          database: db,
          ingest: { clientId: 'ingest-outage' },
        }),
      );
      try {
        await stand.broker.subscribed('ingest-outage');
        let during: Record<string, unknown> = {};
        await stream(OUTAGE_MS + 8000, [
          [
            0.15,
            async () => {
              await stand.influx.stop();
              await sleep(OUTAGE_MS - 1000);
              during = ingest.health().details;
              await sleep(1000);
              await stand.influx.restart();
            },
          ],
        ]);
        expect(during).toMatchObject({ influx: 'down' });
        expect((during.spoolDepth as { points: number }).points).toBeGreaterThan(0);
        await waitFor('every point stored', async () => (await count(db)) === TOTAL, 60_000);
        expect(await count(db)).toBe(TOTAL);
        const d = ingest.health().details;
        expect(d).toMatchObject({ received: TOTAL, written: TOTAL, influx: 'up', rejectedTotal: 0 });
        expect(d.spooled).toBeGreaterThan(0);
        expect(d.drained).toBe(d.spooled);
        expect((d.spoolDepth as { points: number }).points).toBe(0);
        expect(ingest.health().status).toBe('ok');
      } finally {
        await ingest.stop();
      }
    },
    OUTAGE_MS + 120_000,
  );

  async function killAndRestart(
    child: ChildProcess,
    config: Parameters<typeof spawnIngestChild>[0],
  ): Promise<ChildProcess> {
    child.kill('SIGKILL');
    await new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r),
    );
    // The new process takes over the persistent session once the broker has seen the old one go.
    await stand.broker.gone(config.ingest.clientId!);
    return spawnIngestChild(config);
  }

  it(`the ingest process kill -9'd mid-stream and restarted: every point is stored`, async () => {
    const db = 'crash';
    const config = testConfig({
      dataDir: tempDir('hw-crash-'),
      mqttUrl: stand.broker.url,
      influxUrl: stand.influx.url,
      database: db,
      ingest: { clientId: 'ingest-crash' },
    });
    let child = spawnIngestChild(config);
    try {
      // the persistent session exists once the child has subscribed: its first point lands
      await stand.broker.subscribed(config.ingest.clientId!);
      await stream(10_000, [
        [
          0.3,
          async () => {
            child = await killAndRestart(child, config);
          },
        ],
        [
          0.7,
          async () => {
            child = await killAndRestart(child, config);
          },
        ],
      ]);
      await waitFor('every point stored', async () => (await count(db)) === TOTAL, 60_000);
      expect(await count(db)).toBe(TOTAL);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);

  it('kill -9 while points wait in the spool (influxd down): the restarted ingest drains them', async () => {
    const db = 'crashspool';
    const config = testConfig({
      dataDir: tempDir('hw-crash-'),
      mqttUrl: stand.broker.url,
      influxUrl: stand.influx.url,
      database: db,
      ingest: { clientId: 'ingest-crashspool' },
    });
    let child = spawnIngestChild(config);
    try {
      await stand.broker.subscribed(config.ingest.clientId!);
      await stream(10_000, [
        [0.2, () => stand.influx.stop()],
        [
          0.5,
          async () => {
            child = await killAndRestart(child, config);
          },
        ],
        [0.8, () => stand.influx.restart()],
      ]);
      await waitFor('every point stored', async () => (await count(db)) === TOTAL, 60_000);
      expect(await count(db)).toBe(TOTAL);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
