// The journaled persistence against aedes-persistence's own abstract suite (the contract every
// aedes backend must pass), then what it adds: the same state after a restart, and after
// compaction into a snapshot.
import assert from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePersistence } from '../../../broker/durable/file-persistence.ts';
import { InboundLog } from '../../../broker/durable/inbound.ts';
import { Journal } from '../../../broker/durable/journal.ts';

const require = createRequire(import.meta.url);
const abstractSuite = require('aedes-persistence/abstract.js') as (o: object) => void;

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'hw-journal-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const broker = { id: 'broker-test', counter: 0 };

function open(dir: string, compactBytes?: number) {
  const journal = new Journal({ dir, fsync: false, ...(compactBytes ? { compactBytes } : {}) });
  const inbound = new InboundLog(journal);
  const p = new FilePersistence(journal, (r) => inbound.apply(r));
  return { journal, inbound, p };
}

describe('aedes-persistence abstract suite', () => {
  abstractSuite({
    test: (name: string, fn: (t: object) => Promise<void>) =>
      it(name, () => fn({ plan() {}, diagnostic() {}, assert })),
    persistence: () => open(tempDir()).p,
    testAsync: true,
  });
});

const pkt = (topic: string, n: number, extra: object = {}) => ({
  cmd: 'publish',
  brokerId: 'b1',
  brokerCounter: n,
  topic,
  payload: Buffer.from(`{"n":${n}}`),
  qos: 1,
  retain: false,
  dup: false,
  ...extra,
});

async function state(p: FilePersistence) {
  const read = async (s: Readable) =>
    (await s.toArray()).map((x) => ({ topic: x.topic, payload: String(x.payload), messageId: x.messageId }));
  return {
    retained: await read(p.createRetainedStream('#')),
    subs: await p.subscriptionsByClient({ id: 'ingest' }),
    ingest: await read(p.outgoingStream({ id: 'ingest' })),
    alerts: await read(p.outgoingStream({ id: 'alerts' })),
  };
}

async function scenario(p: FilePersistence, inbound: InboundLog, rounds: number) {
  await p.addSubscriptions({ id: 'ingest' }, [{ topic: 'hall/#', qos: 1 }]);
  await p.addSubscriptions({ id: 'alerts' }, [{ topic: 'hall/+/counter/#', qos: 1 }]);
  for (let n = 1; n <= rounds; n++) {
    const topic = `hall/h1/counter/c${n % 5}/seat/s1`;
    const msg = { topic, payload: Buffer.from(`{"n":${n}}`), qos: 1 as const, retain: true };
    await inbound.accept(msg);
    await p.storeRetained(pkt(topic, n, { retain: true }));
    await p.outgoingEnqueueCombi([{ clientId: 'ingest' }, { clientId: 'alerts' }], pkt(topic, n));
    inbound.published(msg);
    // The ingest is sent and acknowledges all but the last three; alerts is offline.
    await p.outgoingUpdate({ id: 'ingest' }, pkt(topic, n, { messageId: n }));
    if (n <= rounds - 3) await p.outgoingClearMessageId({ id: 'ingest' }, { messageId: n });
  }
  // One message acknowledged to its device but never handed to aedes (a crash in between).
  await inbound.accept({
    topic: 'hall/h1/counter/c1/sign',
    payload: Buffer.from('{}'),
    qos: 1,
    retain: false,
  });
}

describe('FilePersistence restart', () => {
  it('rebuilds sessions, queued messages, retained values and unpublished inbound messages', async () => {
    const dir = tempDir();
    const a = open(dir);
    await a.p.setup(broker);
    await scenario(a.p, a.inbound, 40);
    const before = await state(a.p);
    await a.journal.close();

    const b = open(dir);
    await b.p.setup(broker);
    // The same queues; packet ids went with the old connections (aedes assigns new ones).
    const noIds = (q: { messageId?: number }[]) => q.map((m) => ({ ...m, messageId: undefined }));
    expect(await state(b.p)).toEqual({
      ...before,
      ingest: noIds(before.ingest),
      alerts: noIds(before.alerts),
    });
    expect(before.ingest.map((m) => m.messageId)).toEqual([38, 39, 40]);
    expect(before.alerts).toHaveLength(40);
    expect(before.retained).toHaveLength(5);
    expect(b.inbound.unpublished().map((m) => m.topic)).toEqual(['hall/h1/counter/c1/sign']);
    await b.journal.close();
  });

  it('compacts into a snapshot and rebuilds the same state from it', async () => {
    const dir = tempDir();
    const a = open(dir, 4096);
    await a.p.setup(broker);
    await scenario(a.p, a.inbound, 200);
    const before = await state(a.p);
    await a.journal.close();
    expect(a.journal.counters.compactions).toBeGreaterThan(0);
    expect(readdirSync(dir).some((f) => f.startsWith('snapshot-'))).toBe(true);

    const b = open(dir);
    await b.p.setup(broker);
    const after = await state(b.p);
    expect(after.ingest.map((m) => m.payload)).toEqual(before.ingest.map((m) => m.payload));
    expect(after.alerts).toHaveLength(200);
    expect(after.retained).toEqual(before.retained);
    expect(after.subs).toEqual(before.subs);
    expect(b.inbound.size).toBe(1);
    await b.journal.close();
  });
});
