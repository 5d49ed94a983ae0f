// Session/retained storage and the message bus: in memory for one broker, Redis for several
// broker processes that must deliver each other's messages (both pieces must be shared, aedes#531).
import { createRequire } from 'node:module';
import type { AedesOptions } from 'aedes';
import type { Config } from '../core/config/schema.ts';

const require = createRequire(import.meta.url);

export interface Storage {
  options: Pick<AedesOptions, 'persistence' | 'mq'>;
  close(): Promise<void>;
  kind: 'memory' | 'redis';
}

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
  };
}

export function createStorage(persistence: Config['mqtt']['persistence']): Storage {
  if (persistence.kind === 'memory') return { options: {}, kind: 'memory', close: async () => {} };
  const opts = redisOptions(persistence.redisUrl ?? 'redis://127.0.0.1:6379');
  const redisPersistence = require('aedes-persistence-redis') as (
    o: object,
  ) => AedesOptions['persistence'] & {
    destroy(): Promise<void>;
  };
  const redisEmitter = require('mqemitter-redis') as (o: object) => AedesOptions['mq'] & {
    close(cb: () => void): void;
  };
  const p = redisPersistence(opts);
  const mq = redisEmitter(opts);
  return {
    kind: 'redis',
    options: { persistence: p, mq },
    close: async () => {
      await p.destroy().catch(() => {});
      // aedes.close() already closes the emitter; closing twice is a no-op there.
      await new Promise<void>((resolve) => mq.close(() => resolve()));
    },
  };
}
