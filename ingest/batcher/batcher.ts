// Cuts the stream of points into batches by size (batchSize) or age (flushInterval). A batch also
// carries the broker acks of every message it stands for — stored points, and duplicates and
// rejects that have nothing to store — so that each ack waits for the batch to be durable.
export interface Batch<A> {
  id: number;
  lines: string[];
  acks: A[];
}

export class Batcher<A> {
  private current: Batch<A>;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;

  constructor(private readonly o: { batchSize: number; flushMs: number; onSeal: (b: Batch<A>) => void }) {
    this.current = this.fresh();
  }

  private fresh(): Batch<A> {
    return { id: this.nextId++, lines: [], acks: [] };
  }

  add(line: string | null, ack: A | null): void {
    const b = this.current;
    if (line !== null) b.lines.push(line);
    if (ack !== null) b.acks.push(ack);
    if (b.lines.length >= this.o.batchSize) this.seal();
    else if (!this.timer) this.timer = setTimeout(() => this.seal(), this.o.flushMs);
  }

  seal(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const b = this.current;
    if (!b.lines.length && !b.acks.length) return;
    this.current = this.fresh();
    this.o.onSeal(b);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
