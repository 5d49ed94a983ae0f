// Moves spooled batches into InfluxDB, in spool order, alongside live traffic. Each worker holds
// one read batch and retries it with back-off until it is stored: while InfluxDB is down, these
// retries are the probes that notice it is back.
// A batch that failed `retryLimit` times is split to find a poison point — one InfluxDB keeps
// failing with a retryable error while it stores the others. Such a point is dead-lettered
// (`influx_retry_exhausted`) only once some write succeeded after the batch began failing; if
// none did, InfluxDB itself is down and the whole batch waits (nothing is dead-lettered).
import type { Logger } from '../../runtime/logger.ts';
import type { Spool } from '../spool/spool.ts';
import { WriteError } from '../writers/types.ts';
import { type StoreDeps, store } from './store.ts';
import { RefusingError } from './write-all.ts';

export interface DrainDeps extends StoreDeps {
  spool: Spool;
  logger: Logger;
  workers: number;
  batchPoints: number;
  retryLimit: number;
}

export class Drain {
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly running: Promise<void>[] = [];
  private progress: NodeJS.Timeout | undefined;
  private lastLogged = 0;

  constructor(private readonly d: DrainDeps) {}

  start(): void {
    for (let i = 0; i < this.d.workers; i++) this.running.push(this.work());
    this.progress = setInterval(() => this.logProgress(), 5000);
    this.progress.unref();
  }

  /** New data in the spool. */
  notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async idle(ms: number): Promise<void> {
    await new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      const prev = this.wake;
      this.wake = () => {
        clearTimeout(t);
        prev?.();
        r();
      };
    });
  }

  private async work(): Promise<void> {
    let backoff = 250;
    while (!this.stopped) {
      const b = this.d.spool.read(this.d.batchPoints);
      if (!b) {
        await this.idle(1000);
        continue;
      }
      let failures = 0;
      let okBefore = this.d.state.okWrites;
      while (!this.stopped) {
        try {
          await store(this.d, b.lines);
          this.d.stats.drained += b.points;
          await this.d.spool.commit(b);
          backoff = 250;
          break;
        } catch (e) {
          const err = e instanceof WriteError ? e : new WriteError('retry', String(e));
          if (++failures >= this.d.retryLimit && !(err instanceof RefusingError)) {
            if (await this.isolate(b.lines, okBefore, err)) {
              this.d.stats.drained += b.points;
              await this.d.spool.commit(b);
              break;
            }
            failures = 0;
            okBefore = this.d.state.okWrites;
          }
          await this.pause(backoff, err);
          backoff = Math.min(backoff * 2, 1000);
        }
      }
    }
  }

  private pause(backoff: number, err: WriteError): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.max(backoff, err.retryAfterMs ?? 0)));
  }

  /** Tries lines up to retryLimit times; the last error, or null once stored. */
  private async attempts(lines: readonly string[]): Promise<WriteError | null> {
    let last: WriteError | null = null;
    for (let i = 0, backoff = 250; i < this.d.retryLimit && !this.stopped; i++) {
      try {
        await store(this.d, lines, { probe: true });
        return null;
      } catch (e) {
        last = e instanceof WriteError ? e : new WriteError('retry', String(e));
        if (last instanceof RefusingError) return last;
        await this.pause(backoff, last);
        backoff = Math.min(backoff * 2, 1000);
      }
    }
    return last ?? new WriteError('retry', 'stopped');
  }

  /**
   * Lines that failed retryLimit times: halves them until the failing point is alone. True when
   * every line is stored or dead-lettered; false when nothing was stored since `okBefore`
   * (InfluxDB is down, not a poison point) or the ingest is stopping.
   */
  private async isolate(lines: readonly string[], okBefore: number, err: WriteError): Promise<boolean> {
    const alive = () => this.d.state.okWrites > okBefore;
    if (this.stopped || err instanceof RefusingError) return false;
    if (lines.length === 1) {
      if (!alive()) return false;
      this.d.logger.error(
        { line: lines[0]!.slice(0, 300), err: err.message, attempts: this.d.retryLimit },
        'InfluxDB keeps failing one point while it stores the others: dead-lettered',
      );
      this.d.rejectLine(lines[0]!, err.message, 'influx_retry_exhausted');
      return true;
    }
    const mid = lines.length >> 1;
    const halves = [lines.slice(0, mid), lines.slice(mid)];
    const failed: [readonly string[], WriteError][] = [];
    for (const h of halves) {
      const e = await this.attempts(h);
      if (e) failed.push([h, e]);
    }
    if (failed.length && !alive()) return false;
    for (const [h, e] of failed) if (!(await this.isolate(h, okBefore, e))) return false;
    return true;
  }

  private logProgress(): void {
    const depth = this.d.spool.depth();
    if (!depth.points && !this.lastLogged) return;
    this.lastLogged = depth.points;
    this.d.logger.info(
      {
        spoolPoints: depth.points,
        spoolBytes: depth.bytes,
        drained: this.d.stats.drained,
        influxUp: this.d.state.up,
      },
      depth.points ? 'spool draining' : 'spool drained',
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.progress);
    this.notify();
    // A worker in the middle of a write finishes it; uncommitted batches are read again next start.
    await Promise.race([Promise.all(this.running), new Promise((r) => setTimeout(r, 3000))]);
  }
}
