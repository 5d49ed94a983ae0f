// The notification outbox: a notification is committed here in the same transaction as the
// alert change that caused it, then delivered at least once by the dispatcher.

import type Database from 'better-sqlite3';
import { type Prepared, preparedCache } from './statements.ts';

/** Alert notifications, plus `report` (日报/月报) and `notice` (a channel error told to admins). */
export type NotificationKind = 'open' | 'resolve' | 'escalate' | 'repeat' | 'report' | 'notice';

export interface OutboxItem<P = unknown> {
  id: number;
  key: string;
  channelId: string;
  alertId?: string;
  kind: NotificationKind;
  payload: P;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
}

interface Row {
  id: number;
  idempotency_key: string;
  channel_id: string;
  alert_id: string | null;
  kind: NotificationKind;
  payload: string;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
}

const toItem = (r: Row): OutboxItem => ({
  id: r.id,
  key: r.idempotency_key,
  channelId: r.channel_id,
  ...(r.alert_id ? { alertId: r.alert_id } : {}),
  kind: r.kind,
  payload: JSON.parse(r.payload),
  attempts: r.attempts,
  createdAt: r.created_at,
  nextAttemptAt: r.next_attempt_at,
});

export class OutboxTable {
  private readonly insertStmt;
  private readonly headStmt;
  private readonly sql: Prepared;
  constructor(private readonly db: Database.Database) {
    this.sql = preparedCache(db);
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO outbox (idempotency_key, channel_id, alert_id, kind, payload, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.headStmt = db.prepare(
      "SELECT * FROM outbox WHERE channel_id = ? AND status = 'pending' ORDER BY id LIMIT ?",
    );
  }

  /** False when the idempotency key is already queued or sent (never sent twice). */
  enqueue(
    key: string,
    channelId: string,
    kind: NotificationKind,
    payload: unknown,
    now: number,
    alertId?: string,
  ): boolean {
    return (
      this.insertStmt.run(key, channelId, alertId ?? null, kind, JSON.stringify(payload), now, now)
        .changes === 1
    );
  }

  /** The oldest pending rows of a channel, in the order they were queued (delivery order). */
  head(channelId: string, limit: number): OutboxItem[] {
    return (this.headStmt.all(channelId, limit) as Row[]).map(toItem);
  }

  markSent(ids: number[], at: number): void {
    const stmt = this.sql(
      "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
    );
    this.db.transaction(() => {
      for (const id of ids) stmt.run(at, id);
    })();
  }

  markFailed(ids: number[], error: string, nextAttemptAt: number, dead: boolean): void {
    const stmt = this.sql(
      'UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ? WHERE id = ?',
    );
    this.db.transaction(() => {
      for (const id of ids) stmt.run(error.slice(0, 500), nextAttemptAt, dead ? 'dead' : 'pending', id);
    })();
  }

  counts(): Record<string, { pending: number; sent: number; dead: number }> {
    const rows = this.sql(
      'SELECT channel_id AS c, status AS s, COUNT(*) AS n FROM outbox GROUP BY channel_id, status',
    ).all() as { c: string; s: 'pending' | 'sent' | 'dead'; n: number }[];
    const out: Record<string, { pending: number; sent: number; dead: number }> = {};
    for (const r of rows) {
      out[r.c] ??= { pending: 0, sent: 0, dead: 0 };
      out[r.c]![r.s] = r.n;
    }
    return out;
  }

  /** Every row for one alert (tests and the audit view). */
  forAlert(alertId: string): (OutboxItem & { status: string; sentAt: number | null })[] {
    return (
      this.sql('SELECT * FROM outbox WHERE alert_id = ? ORDER BY id').all(alertId) as (Row & {
        status: string;
        sent_at: number | null;
      })[]
    ).map((r) => ({ ...toItem(r), status: r.status, sentAt: r.sent_at }));
  }
}
