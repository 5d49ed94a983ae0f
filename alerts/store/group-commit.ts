// Group commit: store work queued within a few milliseconds (alert changes with their audit and
// outbox rows, the engine's changed snapshot parts) commits in one transaction, so a burst of
// alerts costs one fsync instead of one each. What others may see (publishing the alert, waking
// the dispatcher) runs after the commit. Each queued piece runs in its own savepoint: one that
// throws rolls back alone.
import type Database from 'better-sqlite3';

/** Runs inside every group transaction after the queued work (the engine's changed parts). */
export interface CommitHook {
  write(): void;
  /** The group transaction did not commit: what write() took must be written again next time. */
  failed(): void;
}

interface Queued {
  work: () => unknown;
  after: ((r: unknown) => void) | undefined;
}

export interface GroupCommitOptions {
  /** Longest a queued piece waits for its commit; 0 = every piece commits at once, alone. */
  delayMs: number;
  /** A group this large commits at once. */
  maxBatch: number;
  onError: (err: unknown, what: string) => void;
}

export class GroupCommit {
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly hooks: CommitHook[] = [];
  readonly stats = { commits: 0, pieces: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly o: GroupCommitOptions,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  onCommit(hook: CommitHook): void {
    this.hooks.push(hook);
  }

  /** Queues `work` for the next group transaction; `after` gets its result once committed. */
  later<T>(work: () => T, after?: (r: T) => void): void {
    const q = { work, after: after as ((r: unknown) => void) | undefined };
    if (this.o.delayMs <= 0 && !this.flushing) {
      const r = this.tx(work);
      q.after?.(r);
      return;
    }
    this.queue.push(q);
    if (this.queue.length >= this.o.maxBatch && !this.flushing) this.flush();
    else this.soon();
  }

  /** A group transaction within delayMs even if nothing is queued (the hooks have news). */
  soon(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => this.flush(), Math.max(this.o.delayMs, 0));
  }

  /** Runs fn in a transaction of its own after committing what is queued (inside a group: a savepoint). */
  tx<T>(fn: () => T): T {
    if (!this.flushing && this.queue.length) this.flush();
    return this.db.transaction(fn)();
  }

  /** Commits everything queued, then the hooks, in one transaction; then runs the afters. */
  flush(): void {
    if (this.flushing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    const done: { q: Queued; r: unknown }[] = [];
    this.flushing = true;
    try {
      this.db.transaction(() => {
        for (const q of batch)
          try {
            done.push({ q, r: this.db.transaction(q.work)() });
          } catch (err) {
            this.o.onError(err, 'a queued store change failed and was rolled back');
          }
        // A hook that fails (the snapshot) must not take the alerts down with it: its own savepoint.
        for (const h of this.hooks)
          try {
            this.db.transaction(() => h.write())();
          } catch (err) {
            h.failed();
            this.o.onError(err, 'a commit hook failed and was rolled back; the alert changes commit');
          }
      })();
      this.stats.commits++;
      this.stats.pieces += batch.length;
    } catch (err) {
      for (const h of this.hooks) h.failed();
      this.o.onError(err, `a group commit of ${batch.length} changes failed`);
      return;
    } finally {
      this.flushing = false;
      if (this.queue.length) this.soon(); // queued while this group was committing
    }
    for (const { q, r } of done)
      try {
        q.after?.(r);
      } catch (err) {
        this.o.onError(err, 'announcing a committed change failed');
      }
  }

  /** Stops the timer after a last flush (shutdown). */
  close(): void {
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
