// Moves spooled batches into InfluxDB, in spool order, alongside live traffic. Each worker holds
// one read batch and retries it with back-off until it is stored: while InfluxDB is down, these
// retries are the probes that notice it is back.
import type { Logger } from '../../runtime/logger.ts';
import type { Spool } from '../spool/spool.ts';
import type { IngestStats } from '../stats.ts';
import { WriteError, type Writer } from '../writers/types.ts';
import type { InfluxState } from './influx-state.ts';
import { writeAll } from './write-all.ts';

export interface DrainDeps {
  writer: Writer;
  spool: Spool;
  state: InfluxState;
  stats: IngestStats;
  logger: Logger;
  workers: number;
  batchPoints: number;
  rejectLine: (line: string, detail: string) => void;
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
      while (!this.stopped) {
        try {
          const t0 = performance.now();
          const r = await writeAll(this.d.writer, b.lines);
          this.d.stats.latency(performance.now() - t0);
          this.d.state.markUp();
          this.d.stats.written += r.stored;
          this.d.stats.drained += b.points;
          for (const x of r.rejected) this.d.rejectLine(x.line, x.detail);
          await this.d.spool.commit(b);
          backoff = 250;
          break;
        } catch (e) {
          const err = e instanceof WriteError ? e : new WriteError('retry', String(e));
          this.d.state.markDown(err);
          await new Promise((r) => setTimeout(r, Math.max(backoff, err.retryAfterMs ?? 0)));
          backoff = Math.min(backoff * 2, 1000);
        }
      }
    }
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
