// Live events for /api/stream: numbered, kept in a bounded ring so a client that reconnects with
// Last-Event-ID gets exactly what it missed. Ids carry the process's boot id, so an id from before
// a restart is recognised as unknown and the client is told to reload instead of silently skipping.

export interface StreamEvent {
  id: string;
  seq: number;
  event: 'state' | 'alert' | 'equipment' | 'env';
  hall: string;
  /** The JSON text sent as `data:`. */
  data: string;
}

export type Replay = { kind: 'events'; events: StreamEvent[] } | { kind: 'reset'; reason: string };

export class EventHub {
  private seq = 0;
  private readonly ring: (StreamEvent | undefined)[];
  private readonly listeners = new Set<(e: StreamEvent) => void>();

  constructor(
    readonly capacity = 1_000,
    readonly bootId: string = Date.now().toString(36),
  ) {
    this.ring = new Array(capacity);
  }

  get lastId(): string {
    return `${this.bootId}.${this.seq}`;
  }

  get size(): number {
    return Math.min(this.seq, this.capacity);
  }

  publish(event: StreamEvent['event'], hall: string, payload: unknown): StreamEvent {
    const seq = ++this.seq;
    const e: StreamEvent = { id: `${this.bootId}.${seq}`, seq, event, hall, data: JSON.stringify(payload) };
    this.ring[seq % this.capacity] = e;
    for (const l of this.listeners) l(e);
    return e;
  }

  subscribe(listener: (e: StreamEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `lastId`, or a reset when they are no longer (or never were) in the ring. */
  since(lastId: string): Replay {
    const m = /^([0-9a-z]+)\.(\d+)$/.exec(lastId);
    if (!m || m[1] !== this.bootId) return { kind: 'reset', reason: 'unknown_id' };
    const after = Number(m[2]);
    if (after > this.seq) return { kind: 'reset', reason: 'unknown_id' };
    const oldest = Math.max(1, this.seq - this.capacity + 1);
    if (after + 1 < oldest) return { kind: 'reset', reason: 'too_old' };
    const events: StreamEvent[] = [];
    for (let s = after + 1; s <= this.seq; s++) events.push(this.ring[s % this.capacity]!);
    return { kind: 'events', events };
  }
}

/** One SSE frame. */
export function frame(e: StreamEvent): string {
  return `id: ${e.id}\nevent: ${e.event}\ndata: ${e.data}\n\n`;
}
