// Releases broker acks in the order the messages arrived (MQTT 3.1.1 §4.6), each batch only
// once it is durable (in InfluxDB or in the spool).
import type { Batch } from './batcher.ts';

export class AckQueue<A> {
  private readonly queue: { batch: Batch<A>; durable: boolean }[] = [];

  constructor(private readonly send: (acks: A[]) => void) {}

  push(batch: Batch<A>): void {
    this.queue.push({ batch, durable: false });
  }

  durable(batch: Batch<A>): void {
    const e = this.queue.find((x) => x.batch === batch);
    if (e) e.durable = true;
    const out: A[] = [];
    while (this.queue[0]?.durable) {
      const { acks } = this.queue.shift()!.batch;
      for (const a of acks) out.push(a);
    }
    if (out.length) this.send(out);
  }

  /** Batches sealed and not yet durable. */
  get pending(): number {
    return this.queue.length;
  }
}
