// The ingest's counters (ingest/stats.ts) and spool depth as Prometheus metrics, with the
// InfluxDB write latency as a histogram observed on every write request.
import {
  type CounterRows,
  Histogram,
  LATENCY_BUCKETS,
  pulledCounters,
  pulledGauge,
  Registry,
} from '../runtime/metrics.ts';
import type { IngestStats } from './stats.ts';

export interface IngestGauges {
  spool: () => { points: number; bytes: number; lostPoints: number };
  influxUp: () => boolean;
  pendingBatches: () => number;
}

export function ingestMetrics(stats: IngestStats, g: IngestGauges): Registry {
  const r = new Registry();
  const latency = new Histogram({
    name: 'hallwatch_ingest_influx_write_duration_seconds',
    help: 'Duration of one successful InfluxDB write request (live and drain)',
    buckets: LATENCY_BUCKETS,
    registers: [r],
  });
  stats.onLatency = (ms) => latency.observe(ms / 1000);
  const counters: CounterRows = [
    ['messages_received_total', 'Device messages the ingest read from MQTT', () => stats.received],
    ['points_written_total', 'Points InfluxDB confirmed (live and drained)', () => stats.written],
    [
      'points_spooled_total',
      'Points appended to the spool while InfluxDB was not taking them',
      () => stats.spooled,
    ],
    ['points_drained_total', 'Points the drain moved from the spool into InfluxDB', () => stats.drained],
    [
      'duplicates_total',
      'Device messages dropped as duplicates (same device and seq)',
      () => stats.duplicates,
    ],
    [
      'rejects_total',
      'Messages and lines rejected, by reason (dead-lettered)',
      () => stats.rejected,
      'reason',
    ],
  ];
  pulledCounters(r, 'hallwatch_ingest_', counters);
  pulledGauge(r, {
    name: 'hallwatch_ingest_spool_points',
    help: 'Points waiting in the spool',
    read: () => g.spool().points,
  });
  pulledGauge(r, {
    name: 'hallwatch_ingest_spool_bytes',
    help: 'Bytes of spool segments waiting to be drained',
    read: () => g.spool().bytes,
  });
  pulledGauge(r, {
    name: 'hallwatch_ingest_spool_lost_points',
    help: 'Points lost to spool damage since start (corrupt records)',
    read: () => g.spool().lostPoints,
  });
  pulledGauge(r, {
    name: 'hallwatch_ingest_influx_up',
    help: '1 while InfluxDB takes writes, else 0',
    read: () => (g.influxUp() ? 1 : 0),
  });
  pulledGauge(r, {
    name: 'hallwatch_ingest_pending_batches',
    help: 'Batches read from MQTT and not yet acknowledged (stored or spooled)',
    read: g.pendingBatches,
  });
  return r;
}
