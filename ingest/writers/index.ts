// Picks the writer for config.influx.api.
import type { InfluxConfig, IngestConfig } from '../../core/config/schema.ts';
import type { Writer } from './types.ts';
import { createV1Writer, influxDuration } from './v1.ts';

export * from './types.ts';

/** Async so that each process loads only the client library it uses (start-up time matters: see docs/ingest.md). */
export async function createWriter(influx: InfluxConfig, ingest: IngestConfig): Promise<Writer> {
  const timeoutMs = ingest.writeTimeout;
  if (influx.api === 'v2') {
    const { createV2Writer } = await import('./v2.ts');
    return createV2Writer({
      url: influx.url,
      org: influx.org ?? '',
      bucket: influx.bucket ?? influx.database,
      ...(influx.token ? { token: influx.token } : {}),
      timeoutMs,
    });
  }
  return createV1Writer({
    url: influx.url,
    database: influx.database,
    ...(influx.retentionPolicy ? { retentionPolicy: influx.retentionPolicy } : {}),
    ...(influx.retentionDuration ? { retentionDuration: influxDuration(influx.retentionDuration) } : {}),
    ...(influx.username ? { username: influx.username } : {}),
    ...(influx.password ? { password: influx.password } : {}),
    timeoutMs,
    // live writes plus the spool drain
    maxSockets: ingest.maxInFlight * 2,
  });
}
