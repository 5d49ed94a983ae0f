// The ingest service: MQTT (source) → points (mapping) → batches (batcher) → InfluxDB (writers),
// with the spool for when InfluxDB cannot take them and the dead-letter file for bad input.
// A message is acknowledged to the broker only once its batch is in InfluxDB or in the spool.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { buildDirectory } from '../core/config/index.ts';
import { configSchema, type IngestConfig } from '../core/config/schema.ts';
import { ConfigError } from '../core/errors.ts';
import {
  DEVICE_TOPIC_FILTERS,
  forHalls,
  SERVICE_TOPIC_FILTERS,
  serviceStatusTopic,
} from '../core/protocol/index.ts';
import { rateLimitedLog } from '../runtime/logger.ts';
import type { Service, ServiceContext, ServiceHealth } from '../runtime/service.ts';
import { AckQueue } from './batcher/ack-queue.ts';
import { type Batch, Batcher } from './batcher/batcher.ts';
import { DeadLetterFile, payloadText } from './deadletter/deadletter.ts';
import { Drain } from './delivery/drain.ts';
import { InfluxState, type RefusingReport } from './delivery/influx-state.ts';
import { LiveDelivery } from './delivery/live.ts';
import type { RejectReason } from './delivery/store.ts';
import { AlertIndex } from './mapping/alert-index.ts';
import { createMapper } from './mapping/index.ts';
import { ingestMetrics } from './metrics.ts';
import { type AckToken, startMqttSource } from './source/mqtt.ts';
import { Spool } from './spool/spool.ts';
import { IngestStats } from './stats.ts';
import { createWriter } from './writers/index.ts';

type Handler = (topic: string, payload: Buffer, ack: AckToken | null) => undefined | Promise<void>;

export interface IngestService extends Service {
  readonly name: 'ingest';
  readonly stats: IngestStats;
}

export async function startIngest(ctx: ServiceContext): Promise<IngestService> {
  const { config, clock } = ctx;
  const influx = config.influx;
  if (!influx)
    throw new ConfigError([{ path: 'influx', message: 'the ingest service needs an influx section' }]);
  const ing = config.ingest;
  const logger = ctx.logger.child({ wing: 'ingest' });
  // A partition (docs/scaling.md) keeps its own session, spool and files.
  const part = ctx.partition;
  const dir = join(config.dataDir, part ? `ingest-${part.key}` : 'ingest');
  const stats = new IngestStats();
  const warnRejected = rateLimitedLog(logger);

  // Subscribe first: the persistent session exists at the broker from here on, so nothing
  // published while the rest starts is lost; messages wait (unacknowledged) until the pipeline is up.
  let handle: Handler | undefined;
  let pipelineReady!: () => void;
  const ready = new Promise<void>((r) => {
    pipelineReady = r;
  });
  const source = startMqttSource({
    endpoint: ctx.mqtt,
    clientId:
      (ing.clientId ?? (ing.shareGroup ? `hallwatch-ingest-${hostname()}` : 'hallwatch-ingest')) +
      (part ? `-${part.key}` : ''),
    filters: forHalls([...DEVICE_TOPIC_FILTERS, ...SERVICE_TOPIC_FILTERS], part?.halls),
    ...(ing.shareGroup ? { shareGroup: ing.shareGroup } : {}),
    logger,
    onMessage: (topic, payload, ack) =>
      handle ? handle(topic, payload, ack) : ready.then(() => handle!(topic, payload, ack)),
  });

  // If the rest cannot start (bad spool dir, …), leave nothing connected behind.
  const orStop = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      source.pause();
      await source.stop();
      throw e;
    }
  };
  const writer = await orStop(createWriter(influx, ing));
  const state = new InfluxState(logger, writer.target, {
    refuseStormLines: ing.refuseStormLines,
    onRefusing: (r) => publishStatus(r.refusing ? 'down' : 'ok', r),
  });
  // The retained status topic is how admins hear about a refusal storm (docs/ingest.md): a new
  // run starts `ok`, and says `down` again if the storm goes on.
  const publishStatus = (status: 'ok' | 'down', r?: RefusingReport) =>
    source.client.publish(
      // One retained status per partition: a healthy partition must not hide a broken one.
      serviceStatusTopic(part ? `ingest-${part.key}` : 'ingest'),
      JSON.stringify({
        service: 'ingest',
        ...(part ? { partition: part.key } : {}),
        status,
        ...(status === 'down' ? { reason: 'influx_refusing' } : {}),
        since: r?.since ?? clock.now(),
        ...(r ? { detail: r.detail } : {}),
      }),
      { qos: 1, retain: true },
      (err) => {
        if (err) logger.error({ err: err.message }, 'could not publish the ingest status');
      },
    );
  publishStatus('ok');
  let spoolFull: string | undefined;
  const spool = new Spool({
    dir: join(dir, 'spool'),
    maxBytes: ing.spoolMaxBytes,
    segmentBytes: ing.spoolSegmentBytes,
    fsync: ing.spoolFsync,
    onCorrupt: (c) =>
      c.torn
        ? logger.warn(
            c,
            'spool segment ends in a torn record (crash during its append, never acknowledged): dropped',
          )
        : logger.error(
            c,
            'SPOOL DAMAGE: a corrupt spool record was skipped, its points are lost; reading goes on at the next good record, the segment is kept as .corrupt',
          ),
  });
  await orStop(spool.open());
  const initial = spool.depth();
  if (initial.points) logger.warn(initial, 'spool holds points from an earlier run: draining them');
  // In the background: a missing database also shows as a 404 on write, which creates it then.
  void writer
    .ensureSchema()
    .catch((e: Error) =>
      logger.warn(
        { err: e.message, target: writer.target },
        'could not check/create the database now; writes will retry',
      ),
    );

  const deadLetter = new DeadLetterFile(join(dir, 'deadletter.jsonl'), ing.deadLetterMaxBytes);
  const alerts = new AlertIndex(join(dir, 'open-alerts.json'));
  const mapper = createMapper({
    limits: {
      maxPayloadBytes: ing.maxPayloadBytes,
      maxFutureMs: ing.maxFutureSkew,
      maxPastMs: ing.maxPastAge,
    },
    ...(ing.rejectUnknownIds ? { directory: buildDirectory(config) } : {}),
    alerts,
  });
  const rejectLine = (line: string, detail: string, reason: RejectReason = 'influx_rejected') => {
    stats.reject(reason);
    warnRejected(reason, { line: line.slice(0, 300), detail }, 'InfluxDB refused a point');
    deadLetter.add({ at: clock.now(), reason, detail, line });
    // The drain's rejects have no broker ack to wait for: write them out now.
    deadLetter.flushSoon();
  };

  // Backpressure: at most this many sealed batches wait for durability before reading pauses.
  const maxPending = ing.maxInFlight + ing.maxQueuedBatches;
  let readyWaiters: (() => void)[] = [];
  let acking: Promise<void> = Promise.resolve();
  const acks = new AckQueue<AckToken>((tokens) => source.ack(tokens));
  const onDurable = (b: Batch<AckToken>) => {
    acking = deadLetter.flush().then(() => {
      acks.durable(b);
      if (acks.pending < maxPending && readyWaiters.length) for (const w of readyWaiters.splice(0)) w();
    });
  };

  const drain = new Drain({
    writer,
    spool,
    state,
    stats,
    logger,
    workers: ing.maxInFlight,
    batchPoints: ing.batchSize,
    retryLimit: ing.retryLimit,
    rejectLine,
  });
  const live = new LiveDelivery<AckToken>({
    writer,
    spool,
    state,
    stats,
    deadLetter,
    logger,
    maxInFlight: ing.maxInFlight,
    onDurable,
    onSpooled: () => drain.notify(),
    onSpoolFull: (full, err) => {
      if (full && !spoolFull)
        logger.error(
          { err: err?.message },
          'SPOOL FULL: InfluxDB is not taking writes and the spool cannot grow; consumption paused, the broker keeps the messages',
        );
      if (!full && spoolFull) logger.warn('spool accepts writes again');
      spoolFull = full ? (err?.message ?? 'full') : undefined;
    },
    rejectLine,
  });
  const batcher = new Batcher<AckToken>({
    batchSize: ing.batchSize,
    flushMs: ing.flushInterval,
    onSeal: (b) => {
      acks.push(b);
      live.submit(b);
    },
  });

  handle = (topic, payload, ack) => {
    stats.received++;
    const r = mapper(topic, payload, clock.now());
    if (r.kind === 'point') batcher.add(r.line, ack);
    else {
      if (r.kind === 'duplicate') stats.duplicates++;
      else if (r.kind === 'none') stats.note(r.note);
      else {
        stats.reject(r.reason);
        warnRejected(r.reason, { topic, field: r.field, detail: r.detail }, 'message rejected');
        deadLetter.add({
          at: clock.now(),
          reason: r.reason,
          field: r.field,
          detail: r.detail,
          topic,
          ...payloadText(payload),
        });
      }
      batcher.add(null, ack);
    }
    if (acks.pending < maxPending) return undefined;
    return new Promise<void>((resolve) => readyWaiters.push(resolve));
  };
  pipelineReady();
  drain.start();

  const statsLog = setInterval(() => logger.info(details(), 'ingest counters'), 60_000);
  statsLog.unref();

  function details(): Record<string, unknown> {
    return {
      received: stats.received,
      written: stats.written,
      spooled: stats.spooled,
      drained: stats.drained,
      duplicates: stats.duplicates,
      rejected: { ...stats.rejected },
      rejectedTotal: stats.rejectedTotal(),
      deadLetterFile: deadLetter.file,
      deadLetterDropped: deadLetter.dropped,
      spoolDepth: spool.depth(),
      spoolFull: spoolFull !== undefined,
      writeLatency: stats.latencySummary(),
      influx: state.refusing ? 'refusing' : state.up ? 'up' : 'down',
      ...(state.refusing ? { influxRefusing: state.refusing } : {}),
      influxSince: state.since,
      ...(state.lastError && !state.up ? { influxError: state.lastError } : {}),
      broker: source.connected() ? 'connected' : 'disconnected',
      pendingBatches: acks.pending,
      notes: { ...stats.notes },
    };
  }

  let stopped = false;
  return {
    name: 'ingest',
    stats,
    metrics: ingestMetrics(stats, {
      spool: () => spool.depth(),
      influxUp: () => state.up && !state.refusing,
      pendingBatches: () => acks.pending,
    }),
    health(): ServiceHealth {
      const d = details();
      const depth = spool.depth();
      const damaged = depth.corruptFiles > 0 || depth.lostPoints > 0;
      const status =
        (spoolFull && !state.up) || state.refusing
          ? 'down'
          : spoolFull || damaged || !state.up || !source.connected()
            ? 'degraded'
            : 'ok';
      return { status, details: d };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(statsLog);
      // Graceful: stop reading, make everything read durable, acknowledge it, then disconnect.
      source.pause();
      batcher.seal();
      batcher.stop();
      const limit = ing.writeTimeout * 2 + 5000;
      await Promise.race([live.idle(), new Promise((r) => setTimeout(r, limit))]);
      await deadLetter.flush();
      await acking;
      await source.stop();
      await drain.stop();
      await spool.close();
      alerts.flush();
      await writer.close();
      readyWaiters = [];
      logger.info(details(), 'ingest stopped');
    },
  };
}
