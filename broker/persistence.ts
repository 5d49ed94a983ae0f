// Session/retained storage and the message bus. `file` (the default): aedes' memory store with
// every change journaled under mqtt.persistence.dir, one broker process. `redis`: for several
// broker processes that must deliver each other's messages (both pieces must be shared,
// aedes#531). `memory`: nothing survives a restart (tests, benchmarks). With `file` and `redis`
// every QoS 1/2 message is journaled before its PUBACK (durable/inbound.ts).
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AedesOptions } from 'aedes';
import type { Config } from '../core/config/schema.ts';
import { FilePersistence } from './durable/file-persistence.ts';
import { InboundLog } from './durable/inbound.ts';
import { Journal } from './durable/journal.ts';

const require = createRequire(import.meta.url);

/** Segment bytes after which the broker journal is compacted into a snapshot. */
const COMPACT_BYTES = 64 * 1024 * 1024;

export interface Storage {
  options: Pick<AedesOptions, 'persistence' | 'mq'>;
  /** Journals QoS 1/2 messages before their PUBACK; absent with memory persistence. */
  inbound?: InboundLog;
  journal?: Journal;
  dir?: string;
  close(): Promise<void>;
  kind: 'file' | 'memory' | 'redis';
}

export class StorageLockedError extends Error {}

/** ioredis options from `redis://[:password@]host:port[/db]`. */
export function redisOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  if (u.protocol !== 'redis:') throw new Error(`mqtt.persistence.redisUrl: not a redis:// URL: ${url}`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    db,
    // Fail fast at start instead of queueing commands forever against a wrong address.
    maxRetriesPerRequest: 3,
    // ioredis' ready check sends INFO, which Redis refuses on a connection that is already in
    // subscriber mode (mqemitter-redis' subscriber reconnecting): an uncaught error, seen in tests.
    enableReadyCheck: false,
  };
}

/** One broker process per journal directory: a second one would interleave its records. */
function lock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'LOCK');
  let other: number | undefined;
  try {
    other = Number(readFileSync(file, 'utf8'));
  } catch {
    // no lock
  }
  if (other && other !== process.pid) {
    let alive = false;
    try {
      process.kill(other, 0);
      alive = true;
    } catch {
      // a crashed broker's lock
    }
    if (alive)
      throw new StorageLockedError(
        `mqtt.persistence.dir ${dir} is in use by process ${other}: each broker process needs its own directory`,
      );
  }
  const fd = openSync(file, 'w');
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return () => rmSync(file, { force: true });
}

export async function createStorage(
  persistence: Config['mqtt']['persistence'],
  dataDir: string,
  onCorrupt?: (info: { file: string; offset: number; lostBytes: number }) => void,
  /** The largest queue a session may hold (limits.maxQueued*): all of it is delivered on reconnect. */
  maxQueued = 1000,
): Promise<Storage> {
  if (persistence.kind === 'memory') return { options: {}, kind: 'memory', close: async () => {} };
  const dir = persistence.dir ?? join(dataDir, 'broker');
  const unlock = lock(dir);
  const journal = new Journal({
    dir,
    fsync: persistence.fsync,
    compactBytes: COMPACT_BYTES,
    ...(onCorrupt ? { onCorrupt } : {}),
  });
  const inbound = new InboundLog(journal);
  if (persistence.kind === 'file') {
    // The journal is replayed when aedes calls persistence.setup().
    const p = new FilePersistence(journal, (r) => inbound.apply(r));
    return {
      kind: 'file',
      options: { persistence: p },
      inbound,
      journal,
      dir,
      close: async () => {
        await journal.close();
        unlock();
      },
    };
  }
  await journal.open((r) => inbound.apply(r));
  const opts = redisOptions(persistence.redisUrl ?? 'redis://127.0.0.1:6379');
  const redisPersistence = require('aedes-persistence-redis') as (
    o: object,
  ) => AedesOptions['persistence'] & {
    destroy(): Promise<void>;
  };
  const redisEmitter = require('mqemitter-redis') as (o: object) => AedesOptions['mq'] & {
    close(cb: () => void): void;
  };
  // aedes-persistence-redis hands a reconnecting session only its first `maxSessionDelivery`
  // (default 1,000) queued messages; the rest stayed in Redis until the next reconnect — seen as
  // PUBACKed points missing when the ingest came back to a queue of 1,014 (R10). Deliver the whole
  // queue the broker lets a session keep.
  const p = redisPersistence({ ...opts, maxSessionDelivery: maxQueued });
  const mq = redisEmitter(opts);
  return {
    kind: 'redis',
    options: { persistence: p, mq },
    inbound,
    journal,
    dir,
    close: async () => {
      await p.destroy().catch(() => {});
      // aedes.close() already closes the emitter; closing twice is a no-op there.
      await new Promise<void>((resolve) => mq.close(() => resolve()));
      await journal.close();
      unlock();
    },
  };
}
