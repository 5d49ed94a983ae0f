// Delivers the outbox: one worker per channel, so a channel that keeps failing waits on its own
// backoff and never holds up the others. At least once: a row is marked sent only after the far
// end accepted it; a crash in between resends it with the same idempotency key.
import type { Logger } from '../../runtime/logger.ts';
import type { AlertStore, OutboxItem } from '../store/index.ts';
import type { ChannelHealth } from '../types.ts';
import { DeliveryError, type Notification, type Notifier } from './types.ts';

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  giveUpAfterMs: number;
}

export interface DispatcherOptions {
  store: AlertStore;
  notifiers: Notifier[];
  retry: RetryPolicy;
  now: () => number;
  logger: Logger;
  /** Per channel: wait this long after the oldest pending item to fold later ones into a digest. */
  digestWindowMs?: Record<string, number>;
  timeoutMs?: Record<string, number>;
  /** Called after a batch is accepted by the far end (latency metrics, audit). */
  onDelivered?: (channelId: string, items: OutboxItem<Notification>[], at: number) => void;
}

/** Exponential backoff with ±20 % jitter, capped. */
export function backoffMs(attempt: number, p: RetryPolicy, rand = Math.random): number {
  const base = Math.min(p.maxMs, p.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * rand()));
}

class ChannelWorker {
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly sentTimes: number[] = [];
  private stopped = false;
  private readonly abort = new AbortController();
  readonly health: ChannelHealth;

  constructor(
    private readonly n: Notifier,
    private readonly o: DispatcherOptions,
  ) {
    this.health = { id: n.id, type: n.type, status: 'idle', pending: 0, consecutiveFailures: 0, sent: 0 };
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), Math.max(0, delayMs));
    this.timer.unref?.();
  }

  /** Milliseconds until the rate limit allows another message (0 = now). */
  private rateWait(now: number): number {
    const limit = this.n.ratePerMinute;
    while (this.sentTimes.length && this.sentTimes[0]! <= now - 60_000) this.sentTimes.shift();
    if (!limit || this.sentTimes.length < limit) return 0;
    return this.sentTimes[0]! + 60_000 - now;
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.timer = undefined;
    try {
      for (;;) {
        this.again = false;
        const now = this.o.now();
        const wait = this.rateWait(now);
        if (wait > 0) {
          // Rate-limited: whatever piles up meanwhile goes out as one digest.
          this.schedule(wait);
          return;
        }
        const items = this.o.store.outbox.due(this.n.id, now, this.n.maxBatch) as OutboxItem<Notification>[];
        if (!items.length) {
          const next = this.o.store.outbox.nextDueAt(this.n.id);
          if (next !== null) this.schedule(next - now);
          if (!this.again) return;
          continue;
        }
        const window = this.o.digestWindowMs?.[this.n.id] ?? 0;
        if (window > 0 && items.length < this.n.maxBatch && items[0]!.createdAt + window > now) {
          this.schedule(items[0]!.createdAt + window - now);
          return;
        }
        const ok = await this.deliver(items);
        if (!ok) return;
      }
    } finally {
      this.running = false;
      if (this.again && !this.timer) this.schedule(0);
    }
  }

  private async deliver(items: OutboxItem<Notification>[]): Promise<boolean> {
    const timeout = AbortSignal.timeout(this.o.timeoutMs?.[this.n.id] ?? 10_000);
    const signal = AbortSignal.any([timeout, this.abort.signal]);
    try {
      await this.n.send(
        items.map((i) => i.payload),
        signal,
      );
    } catch (e) {
      if (this.stopped) return false;
      const err = e instanceof DeliveryError ? e : new DeliveryError((e as Error).message);
      const now = this.o.now();
      const attempts = Math.max(...items.map((i) => i.attempts)) + 1;
      const delay = Math.max(err.retryAfterMs ?? 0, backoffMs(attempts, this.o.retry));
      const dead = items.every((i) => now - i.createdAt >= this.o.retry.giveUpAfterMs);
      this.o.store.outbox.markFailed(
        items.map((i) => i.id),
        err.message,
        now + delay,
        dead,
      );
      this.health.consecutiveFailures++;
      this.health.lastError = err.message;
      if (this.health.consecutiveFailures >= 3) this.health.status = 'failing';
      const log = {
        channel: this.n.id,
        attempts,
        retryInMs: delay,
        err: err.message,
        keys: items.map((i) => i.key),
      };
      if (dead) this.o.logger.error(log, 'notification dead-lettered after giveUpAfter');
      else if (this.health.consecutiveFailures <= 3 || this.health.consecutiveFailures % 20 === 0)
        this.o.logger.warn(log, 'notification delivery failed; will retry');
      this.schedule(delay);
      return false;
    }
    const at = this.o.now();
    this.o.store.outbox.markSent(
      items.map((i) => i.id),
      at,
    );
    this.sentTimes.push(at);
    this.health.status = 'ok';
    this.health.consecutiveFailures = 0;
    this.health.lastSuccessAt = at;
    this.health.sent += items.length;
    delete this.health.lastError;
    this.o.onDelivered?.(this.n.id, items, at);
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    while (this.running) await new Promise((r) => setTimeout(r, 10));
    await this.n.close?.();
  }
}

export class Dispatcher {
  private readonly workers = new Map<string, ChannelWorker>();
  constructor(private readonly o: DispatcherOptions) {
    for (const n of o.notifiers) this.workers.set(n.id, new ChannelWorker(n, o));
  }

  /** Wakes the channels that have new outbox rows (all when none named). */
  kick(channelIds?: Iterable<string>): void {
    if (!channelIds) for (const w of this.workers.values()) w.kick();
    else for (const id of channelIds) this.workers.get(id)?.kick();
  }

  has(channelId: string): boolean {
    return this.workers.has(channelId);
  }

  health(): ChannelHealth[] {
    const counts = this.o.store.outbox.counts();
    return [...this.workers.values()].map((w) => ({
      ...w.health,
      pending: counts[w.health.id]?.pending ?? 0,
    }));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }
}
