// Delivers the outbox: one worker per channel, so a channel that keeps failing waits on its own
// backoff and never holds up the others. Per channel, rows go out strictly in the order they were
// queued: a failed batch holds the whole channel (a newer alert cannot overtake it, and a resolve
// never arrives before its open). At least once: a row is marked sent only after the far end
// accepted it; a crash in between resends it with the same idempotency key. The channel's rate
// window and hold are in SQLite, so a restart neither floods a robot nor forgets a platform block.
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
  /** A channel refused for good (signature, keyword, removed robot): tell the admins elsewhere. */
  onPermanentError?: (channelId: string, err: DeliveryError, at: number) => void;
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
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly longestWindow: number;
  readonly health: ChannelHealth;

  constructor(
    private readonly n: Notifier,
    private readonly o: DispatcherOptions,
  ) {
    this.health = {
      id: n.id,
      type: n.type,
      status: 'idle',
      pending: 0,
      consecutiveFailures: 0,
      sent: 0,
      failures: 0,
    };
    this.longestWindow = Math.max(0, ...n.rates.map((r) => r.windowMs));
    const hold = o.store.channels.hold(n.id);
    if (hold) {
      this.health.consecutiveFailures = hold.failures;
      this.health.lastError = hold.reason;
      if (hold.failures >= 3) this.health.status = 'failing';
    }
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

  /** Milliseconds until every rate window of the platform allows another message (0 = now). */
  private rateWait(now: number): number {
    let wait = 0;
    for (const w of this.n.rates) {
      const sends = this.o.store.channels.sendsAfter(this.n.id, now - w.windowMs);
      if (sends.length >= w.max) wait = Math.max(wait, sends[sends.length - w.max]! + w.windowMs - now);
    }
    return wait;
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.timer = undefined;
    try {
      for (;;) {
        this.again = false;
        if (this.stopped || this.health.status === 'broken') return;
        const now = this.o.now();
        const hold = this.o.store.channels.hold(this.n.id);
        if (hold && hold.until > now) {
          // Backoff or a platform block: every sender waits, a new alert included.
          this.schedule(hold.until - now);
          return;
        }
        const wait = this.rateWait(now);
        if (wait > 0) {
          // Rate-limited: whatever piles up meanwhile goes out as one digest.
          this.schedule(wait);
          return;
        }
        const items = this.o.store.outbox.head(this.n.id, this.n.maxBatch) as OutboxItem<Notification>[];
        if (!items.length) {
          if (!this.again) return;
          continue;
        }
        // A report (日报/月报) is a message of its own: never folded into an alert digest.
        const reportAt = items.findIndex((i) => i.kind === 'report');
        const batch = reportAt === 0 ? items.slice(0, 1) : reportAt > 0 ? items.slice(0, reportAt) : items;
        const window = this.o.digestWindowMs?.[this.n.id] ?? 0;
        if (
          window > 0 &&
          reportAt < 0 &&
          items.length < this.n.maxBatch &&
          items[0]!.createdAt + window > now
        ) {
          this.schedule(items[0]!.createdAt + window - now);
          return;
        }
        // The platform's byte budget decides how many go in this message; the rest wait their turn.
        const fit = this.n.fit ? this.n.fit(batch.map((i) => i.payload)) : batch.length;
        const ok = await this.deliver(batch.slice(0, Math.max(1, fit)));
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
    let messages: number;
    try {
      messages = await this.n.send(
        items.map((i) => i.payload),
        signal,
      );
    } catch (e) {
      if (this.stopped && this.abort.signal.aborted) return false;
      this.failed(items, e instanceof DeliveryError ? e : new DeliveryError((e as Error).message));
      return false;
    }
    const at = this.o.now();
    const s = this.o.store;
    s.tx(() => {
      s.outbox.markSent(
        items.map((i) => i.id),
        at,
      );
      s.channels.sent(this.n.id, at, messages);
      s.channels.release(this.n.id);
      s.channels.prune(at - Math.max(this.longestWindow, 60_000));
    });
    this.health.status = 'ok';
    this.health.consecutiveFailures = 0;
    this.health.lastSuccessAt = at;
    this.health.sent += items.length;
    delete this.health.lastError;
    this.o.onDelivered?.(this.n.id, items, at);
    return true;
  }

  private failed(items: OutboxItem<Notification>[], err: DeliveryError): void {
    const now = this.o.now();
    const s = this.o.store;
    const ids = items.map((i) => i.id);
    this.health.lastError = err.message;
    this.health.failures++;
    const keys = items.map((i) => i.key);
    if (err.permanent) {
      // Retrying cannot help until someone fixes the robot or the configuration: stop this
      // channel (rows stay queued for after the fix and a restart) and tell the admins elsewhere.
      s.outbox.markFailed(ids, err.message, now, false);
      this.health.status = 'broken';
      this.health.consecutiveFailures++;
      this.o.logger.error(
        { channel: this.n.id, code: err.code, err: err.message, keys },
        'channel refused for good; not retrying until the configuration is fixed',
      );
      this.o.onPermanentError?.(this.n.id, err, now);
      return;
    }
    const failures = (s.channels.hold(this.n.id)?.failures ?? 0) + 1;
    const delay = Math.max(err.retryAfterMs ?? 0, backoffMs(failures, this.o.retry));
    const expired = items.filter((i) => now - i.createdAt >= this.o.retry.giveUpAfterMs).map((i) => i.id);
    s.tx(() => {
      s.outbox.markFailed(
        ids.filter((id) => !expired.includes(id)),
        err.message,
        now + delay,
        false,
      );
      if (expired.length) s.outbox.markFailed(expired, err.message, now, true);
      s.channels.setHold(this.n.id, { until: now + delay, failures, reason: err.message });
    });
    this.health.consecutiveFailures = failures;
    if (failures >= 3) this.health.status = 'failing';
    const log = { channel: this.n.id, failures, retryInMs: delay, err: err.message, keys };
    if (expired.length)
      this.o.logger.error(
        { ...log, expired: expired.length },
        'notification dead-lettered after giveUpAfter',
      );
    else if (failures <= 3 || failures % 20 === 0)
      this.o.logger.warn(log, 'notification delivery failed; channel held');
    this.schedule(delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // Let a message in flight finish (briefly): aborting one the platform already accepted
    // would send it again after the restart.
    const deadline = Date.now() + 2000;
    while (this.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
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
