// What makes a PUBACK mean "stored": aedes writes the PUBACK of a QoS 1 message *before* it hands
// the message to its persistence (lib/handlers/publish.js), and only `authorizePublish` runs
// earlier. So authorizePublish appends the message to the journal (group commit, fdatasync) and
// lets aedes go on only then; the `published` hook, called once aedes has queued it for every
// subscriber's session, marks it done. After a crash, messages with no done mark are published
// again (at-least-once; InfluxDB points overwrite themselves and the ingest drops redeliveries).
import type { Journal, JournalRecord } from './journal.ts';

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
}

interface InRecord extends JournalRecord {
  op: 'in';
  id: number;
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain: boolean;
}

export class InboundLog {
  private next = 1;
  private readonly pending = new Map<number, InRecord>();
  private readonly ids = new WeakMap<object, number>();

  constructor(private readonly journal: Journal) {
    journal.onCompact(() => [...this.pending.values()]);
  }

  /** Replays an `in`/`done` record; false for records of other parts. */
  apply(r: JournalRecord): boolean {
    if (r.op === 'in') {
      const rec = r as InRecord;
      this.pending.set(rec.id, rec);
      this.next = Math.max(this.next, rec.id + 1);
      return true;
    }
    if (r.op === 'done') {
      this.pending.delete(r.id as number);
      return true;
    }
    return false;
  }

  /** Resolves once the message is on disk; reject = do not acknowledge it. */
  accept(packet: Omit<InboundMessage, 'payload'> & { payload: Buffer | string }): Promise<void> {
    const id = this.next++;
    const rec: InRecord = {
      op: 'in',
      id,
      topic: packet.topic,
      payload: (typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload).toString(
        'base64',
      ),
      qos: packet.qos,
      retain: packet.retain,
    };
    this.pending.set(id, rec);
    this.ids.set(packet, id);
    return this.journal.append(rec, true).catch((e: Error) => {
      this.pending.delete(id);
      this.ids.delete(packet);
      throw e;
    });
  }

  /** aedes has stored the message where its subscribers' sessions find it. */
  published(packet: object): void {
    const id = this.ids.get(packet);
    if (id === undefined) return;
    this.ids.delete(packet);
    this.pending.delete(id);
    this.journal.append({ op: 'done', id });
  }

  /** Messages accepted before a crash and never marked done, to publish again (oldest first). */
  unpublished(): (InboundMessage & { cmd: 'publish'; dup: false })[] {
    return [...this.pending.values()]
      .sort((a, b) => a.id - b.id)
      .map((r) => {
        const packet = {
          cmd: 'publish' as const,
          topic: r.topic,
          payload: Buffer.from(r.payload, 'base64'),
          qos: r.qos,
          retain: r.retain,
          dup: false as const,
        };
        this.ids.set(packet, r.id);
        return packet;
      });
  }

  get size(): number {
    return this.pending.size;
  }
}
