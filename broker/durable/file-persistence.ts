// aedes' in-memory persistence with every change journaled, so sessions (subscriptions and the
// queued QoS 1 messages of persistent clients such as the ingest), retained messages and QoS 2
// state survive a restart or a kill -9. Reads stay in memory; restart replays the journal.
// Subscription changes are fsynced before aedes answers SUBACK; the rest is written with the next
// group commit: a lost queue entry is covered by its inbound record (inbound.ts), a lost
// "delivered" mark only causes a redelivery. Wills are not kept (as with memory persistence).
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { Journal, JournalRecord } from './journal.ts';

const require = createRequire(import.meta.url);

type Client = { id: string };
type Sub = { topic: string; qos: number; [k: string]: unknown };
interface StoredPacket {
  cmd?: string;
  brokerId?: string;
  brokerCounter?: number;
  topic: string;
  payload: Buffer | string;
  qos?: number;
  retain?: boolean;
  dup?: boolean;
  messageId?: number;
  clientId?: string;
}
type Wire = Omit<StoredPacket, 'payload'> & { payload: string };

interface MemoryPersistence {
  setup(broker: unknown): Promise<void>;
  storeRetained(p: StoredPacket): Promise<void>;
  addSubscriptions(c: Client, subs: Sub[]): Promise<void>;
  removeSubscriptions(c: Client, topics: string[]): Promise<void>;
  subscriptionsByClient(c: Client): Promise<Sub[]>;
  cleanSubscriptions(c: Client): Promise<void>;
  outgoingEnqueue(sub: { clientId: string }, p: StoredPacket): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], p: StoredPacket): Promise<void>;
  outgoingUpdate(c: Client, p: StoredPacket): Promise<void>;
  outgoingClearMessageId(c: Client, p: { messageId?: number }): Promise<StoredPacket | undefined>;
  outgoingStream(c: Client): Readable;
  createRetainedStream(pattern: string): Readable;
  incomingStorePacket(c: Client, p: StoredPacket): Promise<void>;
  incomingDelPacket(c: Client, p: { messageId?: number }): Promise<void>;
  cleanIncoming(c: Client): Promise<void>;
  destroy(): Promise<void>;
}
const Memory = require('aedes-persistence/asyncPersistence.js') as new () => MemoryPersistence;

const FIELDS = [
  'cmd',
  'brokerId',
  'brokerCounter',
  'topic',
  'qos',
  'retain',
  'dup',
  'messageId',
  'clientId',
] as const;

function toWire(p: StoredPacket): Wire {
  const w: Record<string, unknown> = {};
  for (const f of FIELDS) if (p[f] !== undefined) w[f] = p[f];
  const payload = p.payload ?? Buffer.alloc(0);
  w.payload = (typeof payload === 'string' ? Buffer.from(payload) : payload).toString('base64');
  return w as Wire;
}

const fromWire = (w: Wire): StoredPacket => ({ ...w, payload: Buffer.from(w.payload, 'base64') });
const ignore = () => {};

export class FilePersistence extends Memory {
  private replaying = false;
  /** Shadows of what the memory store cannot list, for snapshots. */
  private readonly retained = new Map<string, Wire>();
  private readonly clients = new Set<string>();
  private readonly incoming = new Map<string, Map<number, Wire>>();

  constructor(
    private readonly journal: Journal,
    /** Replays records of other journal parts (the inbound log). */
    private readonly applyOther: (r: JournalRecord) => boolean,
  ) {
    super();
    journal.onCompact(() => this.capture());
  }

  override async setup(broker: unknown): Promise<void> {
    await super.setup(broker);
    this.replaying = true;
    try {
      await this.journal.open((r) => {
        if (!this.applyOther(r)) this.apply(r);
      });
    } finally {
      this.replaying = false;
    }
    // Packet ids belonged to connections that are gone; aedes gives queued packets new ones when
    // their client reconnects. Left in place, a live packet that reuses one would *replace* the
    // restored packet in the queue (aedes-persistence outgoingUpdate matches other brokers' packets
    // by id alone) and that message would be lost.
    for (const id of this.clients)
      for (const p of (await this.outgoingStream({ id }).toArray()) as StoredPacket[]) delete p.messageId;
  }

  override async destroy(): Promise<void> {
    await super.destroy();
    await this.journal.close();
  }

  private log(rec: JournalRecord, sync = false): Promise<void> | undefined {
    if (this.replaying) return;
    if (sync) return this.journal.append(rec, true);
    this.journal.append(rec);
    return;
  }

  private apply(r: JournalRecord): void {
    const c = { id: r.c as string };
    switch (r.op) {
      case 'retain':
        void this.storeRetained(fromWire(r.p as Wire));
        break;
      case 'subs':
        void this.addSubscriptions(c, r.subs as Sub[]);
        break;
      case 'unsubs':
        void this.removeSubscriptions(c, r.topics as string[]);
        break;
      case 'cleansubs':
        void this.cleanSubscriptions(c);
        break;
      case 'enq':
        void this.outgoingEnqueueCombi(
          (r.to as string[]).map((clientId) => ({ clientId })),
          fromWire(r.p as Wire),
        );
        break;
      case 'upd':
        this.outgoingUpdate(c, fromWire(r.p as Wire)).catch(ignore);
        break;
      case 'clear':
        void this.outgoingClearMessageId(c, { messageId: r.m as number });
        break;
      case 'inc':
        void this.incomingStorePacket(c, fromWire(r.p as Wire));
        break;
      case 'incdel':
        this.incomingDelPacket(c, { messageId: r.m as number }).catch(ignore);
        break;
      case 'cleaninc':
        void this.cleanIncoming(c);
        break;
    }
  }

  override async storeRetained(p: StoredPacket): Promise<void> {
    await super.storeRetained(p);
    const w = toWire(p);
    if ((p.payload?.length ?? 0) === 0) this.retained.delete(p.topic);
    else this.retained.set(p.topic, w);
    this.log({ op: 'retain', p: w });
  }

  override async addSubscriptions(c: Client, subs: Sub[]): Promise<void> {
    await super.addSubscriptions(c, subs);
    this.clients.add(c.id);
    await this.log({ op: 'subs', c: c.id, subs: subs.map((s) => ({ ...s })) }, true);
  }

  override async removeSubscriptions(c: Client, topics: string[]): Promise<void> {
    await super.removeSubscriptions(c, topics);
    await this.log({ op: 'unsubs', c: c.id, topics }, true);
  }

  override async cleanSubscriptions(c: Client): Promise<void> {
    await super.cleanSubscriptions(c);
    await this.log({ op: 'cleansubs', c: c.id }, true);
  }

  override async outgoingEnqueue(sub: { clientId: string }, p: StoredPacket): Promise<void> {
    return this.outgoingEnqueueCombi([sub], p);
  }

  override async outgoingEnqueueCombi(subs: { clientId: string }[], p: StoredPacket): Promise<void> {
    if (!subs.length) return;
    // Recorded before the await, so the record is queued in the same turn as the state change
    // (a snapshot taken between them would otherwise miss or double it).
    for (const s of subs) this.clients.add(s.clientId);
    this.log({ op: 'enq', to: subs.map((s) => s.clientId), p: toWire(p) });
    await super.outgoingEnqueueCombi(subs, p);
  }

  override async outgoingUpdate(c: Client, p: StoredPacket): Promise<void> {
    const r = super.outgoingUpdate(c, p);
    this.log({ op: 'upd', c: c.id, p: toWire(p) });
    return r;
  }

  override async outgoingClearMessageId(
    c: Client,
    p: { messageId?: number },
  ): Promise<StoredPacket | undefined> {
    const r = super.outgoingClearMessageId(c, p);
    this.log({ op: 'clear', c: c.id, m: p.messageId });
    return r;
  }

  override async incomingStorePacket(c: Client, p: StoredPacket): Promise<void> {
    const r = super.incomingStorePacket(c, p);
    const w = toWire(p);
    const m = this.incoming.get(c.id) ?? new Map<number, Wire>();
    m.set(p.messageId ?? 0, w);
    this.incoming.set(c.id, m);
    this.log({ op: 'inc', c: c.id, p: w });
    return r;
  }

  override async incomingDelPacket(c: Client, p: { messageId?: number }): Promise<void> {
    const r = super.incomingDelPacket(c, p);
    this.incoming.get(c.id)?.delete(p.messageId ?? 0);
    this.log({ op: 'incdel', c: c.id, m: p.messageId });
    return r;
  }

  override async cleanIncoming(c: Client): Promise<void> {
    const r = super.cleanIncoming(c);
    this.incoming.delete(c.id);
    this.log({ op: 'cleaninc', c: c.id });
    return r;
  }

  /** Records that rebuild the current state; every read below happens synchronously now. */
  private capture(): Promise<JournalRecord[]> {
    const out: JournalRecord[] = [];
    for (const p of this.retained.values()) out.push({ op: 'retain', p });
    for (const [c, m] of this.incoming) for (const p of m.values()) out.push({ op: 'inc', c, p });
    const perClient = [...this.clients].map((id) => ({
      id,
      subs: this.subscriptionsByClient({ id }),
      // outgoingStream copies the queue now; its packets are serialised now too.
      queue: (this.outgoingStream({ id }) as Readable & { readableLength: number }).toArray(),
    }));
    return (async () => {
      for (const { id, subs, queue } of perClient) {
        const s = await subs;
        const q = (await queue) as StoredPacket[];
        if (!s.length && !q.length) {
          this.clients.delete(id);
          continue;
        }
        if (s.length) out.push({ op: 'subs', c: id, subs: s });
        for (const p of q) {
          out.push({ op: 'enq', to: [id], p: toWire(p) });
          if (p.messageId !== undefined) out.push({ op: 'upd', c: id, p: toWire(p) });
        }
      }
      return out;
    })();
  }
}
