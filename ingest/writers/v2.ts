// InfluxDB 1.8+/2.x/3.x (and anything speaking /api/v2/write) through @influxdata/influxdb-client.
// The client's own buffer and retries are switched off: one write() is one request, and the
// delivery stage decides what a failure means (spool, split, dead-letter), as for v1.
import { HttpError, InfluxDB, setLogger, type WriteApi } from '@influxdata/influxdb-client';
import { classifyStatus, WriteError, type Writer } from './types.ts';

export interface V2Options {
  url: string;
  org: string;
  bucket: string;
  token?: string;
  timeoutMs: number;
}

// The client logs every failed write to the console; failures are ours to report.
setLogger({ error: () => {}, warn: () => {} });

export function createV2Writer(o: V2Options): Writer {
  const client = new InfluxDB({ url: o.url, timeout: o.timeoutMs, ...(o.token ? { token: o.token } : {}) });
  const api: WriteApi = client.getWriteApi(o.org, o.bucket, 'ms', {
    batchSize: 1_000_000,
    maxBatchBytes: 1e9,
    flushInterval: 0,
    maxRetries: 0,
    maxBufferLines: 1,
    gzipThreshold: Number.MAX_SAFE_INTEGER,
    // A rejection here becomes the result of flush() instead of a console log and retry.
    writeFailed: (error: Error) => Promise.reject(error),
  });
  return {
    api: 'v2',
    target: `${o.url}/${o.bucket}`,
    async ensureSchema() {
      // Buckets are created by the InfluxDB admin (tokens for writing usually cannot create them).
    },
    async write(lines) {
      // writeRecords + flush run synchronously up to the request, so concurrent calls never mix lines.
      api.writeRecords(lines as string[]);
      try {
        await api.flush();
      } catch (e) {
        if (e instanceof HttpError)
          throw classifyStatus(
            e.statusCode,
            e.body ?? e.message,
            e.headers?.['retry-after'] as string | undefined,
          );
        throw new WriteError('retry', (e as Error).message);
      }
    },
    async close() {
      await api.close().catch(() => {});
    },
  };
}
