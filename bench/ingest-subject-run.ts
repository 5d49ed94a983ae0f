// The subject proper (loaded by bench/ingest-subject.ts once the session is open): a
// configuration for the benchmark's id grid (halls h00–h09 × counters w000–w099 × seats s1–s2)
// and the real ingest service — the same validation (known ids, ts bounds, dedupe) and
// durability (persistent session, fsynced spool) as production.
// mqttUrl `embedded:PORT` starts HallWatch's own broker on PORT in the same process (as
// `npm start -- --only broker,ingest`), anonymous and with the per-client rate limit lifted;
// BROKER_PERSISTENCE=memory|file picks its persistence (bench:durability runs both).

import { systemClock } from '../core/clock.ts';
import { configSchema } from '../core/config/schema.ts';
import { startIngest } from '../ingest/index.ts';
import { createLogger } from '../runtime/logger.ts';
import { mqttEndpointOf } from '../runtime/service.ts';

export const SUBJECT_CLIENT_ID = 'hallwatch-ingest-bench';
const [mqttUrl = '', influxUrl = '', db = '', dataDir = ''] = process.argv.slice(2);
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const embeddedPort = mqttUrl.startsWith('embedded:') ? Number(mqttUrl.slice(9)) : undefined;
const config = configSchema.parse({
  dataDir,
  mqtt: embeddedPort
    ? {
        listen: { host: '127.0.0.1', port: embeddedPort },
        allowAnonymous: true,
        limits: { maxPacketBytes: 16_384, maxMessagesPerSecond: 1_000_000, maxConnections: 5_000 },
        // The product's default (file: journaled, PUBACK after fsync) unless the bench compares.
        persistence: { kind: (process.env.BROKER_PERSISTENCE ?? 'file') as 'file' | 'memory' },
      }
    : { url: mqttUrl },
  influx: { url: influxUrl, api: 'v1', database: db },
  ingest: {
    clientId: SUBJECT_CLIENT_ID,
    ...(process.env.INGEST_BATCH_SIZE ? { batchSize: Number(process.env.INGEST_BATCH_SIZE) } : {}),
    ...(process.env.INGEST_FLUSH ? { flushInterval: process.env.INGEST_FLUSH } : {}),
    ...(process.env.INGEST_IN_FLIGHT ? { maxInFlight: Number(process.env.INGEST_IN_FLIGHT) } : {}),
  },
  halls: Array.from({ length: 10 }, (_, h) => ({
    id: `h${pad(h, 2)}`,
    name: `基准大厅${h}`,
    calendar: 'none',
    sessions: { 'mon-sun': ['00:00-24:00'] },
    counters: Array.from({ length: 100 }, (_, c) => ({
      id: `w${pad(c, 3)}`,
      name: `${c}号窗口`,
      seats: ['s1', 's2'],
    })),
  })),
});
const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
const ctx = { config, logger, clock: systemClock, mqtt: mqttEndpointOf(config), services: new Map() };
const broker = embeddedPort ? await (await import('../broker/index.ts')).startBroker(ctx) : undefined;
const ingest = await startIngest(ctx);
const shutdown = async () => {
  await ingest.stop();
  await broker?.stop();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
if (process.env.INGEST_HEALTH_EVERY_MS)
  setInterval(
    () => logger.info(ingest.health(), 'health'),
    Number(process.env.INGEST_HEALTH_EVERY_MS),
  ).unref();
