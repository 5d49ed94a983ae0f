// One attempt to store lines in InfluxDB, shared by live delivery and the drain: lines refused
// for good go to the dead-letter file, the server's state (up/down, refusal storm) is updated,
// and anything that leaves the lines unstored is thrown as a WriteError (the caller keeps them).
import type { IngestStats } from '../stats.ts';
import { WriteError, type Writer } from '../writers/types.ts';
import type { InfluxState } from './influx-state.ts';
import { writeAll } from './write-all.ts';

export interface StoreDeps {
  writer: Writer;
  state: InfluxState;
  stats: IngestStats;
  rejectLine: (line: string, detail: string, reason?: RejectReason) => void;
}

export type RejectReason = 'influx_rejected' | 'influx_retry_exhausted';

/** `probe`: a failure here says something about these lines, not about InfluxDB (no down/up log). */
export async function store(
  d: StoreDeps,
  lines: readonly string[],
  o: { probe?: boolean } = {},
): Promise<void> {
  const wait = d.state.notBefore - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const t0 = performance.now();
  try {
    const r = await writeAll(d.writer, lines, d.state);
    d.stats.latency(performance.now() - t0);
    d.state.markUp(r.stored > 0);
    d.stats.written += r.stored;
    for (const x of r.rejected) d.rejectLine(x.line, x.detail);
  } catch (e) {
    const err = e instanceof WriteError ? e : new WriteError('retry', String(e));
    d.state.retryAfter(err.retryAfterMs);
    if (!o.probe) d.state.markDown(err);
    throw err;
  }
}
