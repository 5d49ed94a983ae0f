// One interface for every InfluxDB flavour; the delivery stage (retry, spool, isolation of bad
// lines) is written once against it, like Telegraf's output models.

/**
 * - `retry`: nothing is known to be stored (network, 5xx, timeout, 401/403, 429): keep the batch.
 * - `rejected`: the server refused some lines for good (1.x 400 partial write / unable to parse,
 *   2.x 400/422): the good lines of the batch may be stored; split to find the bad ones.
 * - `too_large`: 413: split the batch, nothing is wrong with its lines.
 * - `no_database`: 404 database/bucket not found: create it (1.x) and retry.
 */
export type WriteFailureKind = 'retry' | 'rejected' | 'too_large' | 'no_database';

export class WriteError extends Error {
  constructor(
    readonly kind: WriteFailureKind,
    message: string,
    readonly status?: number,
    /** Server's Retry-After, when it gave one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface Writer {
  readonly api: 'v1' | 'v2';
  /** Where it writes, for logs ("http://…/db"). */
  readonly target: string;
  /** Creates the database and retention policy when missing (1.x); no-op where not possible. */
  ensureSchema(): Promise<void>;
  /** Resolves when every line is stored; rejects with WriteError otherwise. Lines are ms-precision. */
  write(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export function classifyStatus(status: number, body: string, retryAfter?: string | null): WriteError {
  const msg = `HTTP ${status}: ${body.slice(0, 500)}`;
  const after = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  if (status === 413) return new WriteError('too_large', msg, status);
  if (status === 404 && /database not found|bucket .*not found/i.test(body))
    return new WriteError('no_database', msg, status);
  if (status === 400 || status === 422) return new WriteError('rejected', msg, status);
  return new WriteError('retry', msg, status, after);
}
