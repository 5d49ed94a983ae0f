// Sealed batches → InfluxDB, or → the spool when InfluxDB is down or fails; then the batch's
// broker acks are released. At most maxInFlight batches are being delivered at once.
import type { Logger } from '../../runtime/logger.ts';
import type { Batch } from '../batcher/batcher.ts';
import type { DeadLetterFile } from '../deadletter/deadletter.ts';
import { type Spool, SpoolFullError } from '../spool/spool.ts';
import { type StoreDeps, store } from './store.ts';

export interface LiveDeps<A> extends StoreDeps {
  spool: Spool;
  deadLetter: DeadLetterFile;
  logger: Logger;
  maxInFlight: number;
  /** The batch is in InfluxDB or the spool (or had nothing to store). */
  onDurable: (b: Batch<A>) => void;
  /** Something was appended to the spool (wakes the drain). */
  onSpooled: () => void;
  onSpoolFull: (full: boolean, err?: Error) => void;
}

export class LiveDelivery<A> {
  private readonly queue: Batch<A>[] = [];
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly d: LiveDeps<A>) {}

  submit(b: Batch<A>): void {
    this.queue.push(b);
    this.pump();
  }

  get busy(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves when every submitted batch is durable. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    while (this.queue.length && this.inFlight < this.d.maxInFlight) {
      const b = this.queue.shift()!;
      this.inFlight++;
      this.deliver(b).then(
        () => this.finish(b),
        (e: Error) => {
          // deliver() only ends once the batch is durable; reaching here is a bug worth a loud log.
          this.d.logger.error({ err: e.message, batch: b.id }, 'batch delivery failed unexpectedly');
          this.inFlight--;
          this.queue.unshift(b);
          setTimeout(() => this.pump(), 1000);
        },
      );
    }
  }

  private finish(b: Batch<A>): void {
    this.inFlight--;
    this.d.onDurable(b);
    if (!this.busy) for (const w of this.idleWaiters.splice(0)) w();
    this.pump();
  }

  private async deliver(b: Batch<A>): Promise<void> {
    if (!b.lines.length) return;
    for (let attempt = 0; ; attempt++) {
      if (this.d.state.up && !this.d.state.refusing) {
        try {
          await store(this.d, b.lines);
          this.d.onSpoolFull(false); // InfluxDB takes writes again: a full spool no longer holds anything back
          return;
        } catch {
          // store() marked InfluxDB down (or refusing): the batch goes to the spool.
        }
      }
      try {
        await this.d.spool.append(b.lines);
        this.d.stats.spooled += b.lines.length;
        this.d.onSpoolFull(false);
        this.d.onSpooled();
        return;
      } catch (e) {
        if (!(e instanceof SpoolFullError)) throw e;
        // Neither InfluxDB nor the disk takes the batch: hold it (unacknowledged, so the broker
        // keeps the messages) and try both again; consumption pauses meanwhile (backpressure).
        this.d.onSpoolFull(true, e);
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * (attempt + 1))));
      }
    }
  }
}
