// The alerts table: one row per alert with its lifecycle (open → acknowledged → resolved).

import type Database from 'better-sqlite3';
import type { EngineAlert, ResolveReason } from '../../core/engine/types.ts';
import type { AlertStatus } from '../../core/protocol/payloads.ts';
import type { AlertFilter, AlertNote, AlertRecord } from '../types.ts';
import { type Prepared, preparedCache } from './statements.ts';

interface Row {
  id: string;
  type: string;
  severity: string;
  hall: string;
  counter: string | null;
  equipment: string | null;
  status: AlertStatus;
  opened_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  resolve_reason: string | null;
  message: string;
  details: string;
  engine: string;
  escalated_at: number | null;
  last_notified_at: number | null;
  repeat_count: number;
  silenced_by: string | null;
}

/** Lifecycle bookkeeping the policy needs besides the public record. */
export interface AlertRow {
  record: AlertRecord;
  engine: EngineAlert;
  lastNotifiedAt?: number;
  repeatCount: number;
}

export function toRecord(r: Row, notes: AlertNote[] = []): AlertRecord {
  return {
    id: r.id,
    type: r.type as AlertRecord['type'],
    severity: r.severity as AlertRecord['severity'],
    hall: r.hall,
    ...(r.counter ? { counter: r.counter } : {}),
    ...(r.equipment ? { equipment: r.equipment } : {}),
    status: r.status,
    openedAt: r.opened_at,
    ...(r.acknowledged_at !== null ? { acknowledgedAt: r.acknowledged_at } : {}),
    ...(r.acknowledged_by !== null ? { acknowledgedBy: r.acknowledged_by } : {}),
    ...(r.resolved_at !== null ? { resolvedAt: r.resolved_at } : {}),
    ...(r.resolved_by !== null ? { resolvedBy: r.resolved_by } : {}),
    ...(r.resolve_reason !== null ? { resolveReason: r.resolve_reason as ResolveReason } : {}),
    message: r.message,
    details: JSON.parse(r.details) as Record<string, unknown>,
    ...(notes.length ? { notes } : {}),
    ...(r.escalated_at !== null ? { escalatedAt: r.escalated_at } : {}),
    ...(r.silenced_by !== null ? { silencedBy: r.silenced_by } : {}),
  };
}

export class AlertsTable {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly notesStmt;
  private readonly liveStmt;
  private readonly sql: Prepared;
  constructor(private readonly db: Database.Database) {
    this.sql = preparedCache(db);
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO alerts (id, type, severity, hall, counter, equipment, status, opened_at, message,
         details, engine, silenced_by, updated_at)
       VALUES (@id, @type, @severity, @hall, @counter, @equipment, 'open', @openedAt, @message, @details, @engine,
         @silencedBy, @now)`,
    );
    this.getStmt = db.prepare('SELECT * FROM alerts WHERE id = ?');
    this.notesStmt = db.prepare(
      'SELECT at, by, action, text FROM alert_notes WHERE alert_id = ? ORDER BY rowid',
    );
    this.liveStmt = db.prepare("SELECT * FROM alerts WHERE status != 'resolved' ORDER BY opened_at");
  }

  /** False when an alert with that id already exists (a restored engine re-emitting it). */
  insertOpened(a: EngineAlert, now: number, silencedBy?: string): boolean {
    const r = this.insertStmt.run({
      id: a.id,
      type: a.type,
      severity: a.severity,
      hall: a.hall,
      counter: a.counter ?? null,
      equipment: a.equipment ?? null,
      openedAt: a.openedAt,
      message: a.message,
      details: JSON.stringify(a.details ?? {}),
      engine: JSON.stringify(a),
      silencedBy: silencedBy ?? null,
      now,
    });
    return r.changes === 1;
  }

  get(id: string): AlertRecord | undefined {
    const r = this.getStmt.get(id) as Row | undefined;
    return r ? toRecord(r, this.notesStmt.all(id) as AlertNote[]) : undefined;
  }

  row(id: string): AlertRow | undefined {
    const r = this.getStmt.get(id) as Row | undefined;
    return r ? this.toAlertRow(r) : undefined;
  }

  /** Open and acknowledged alerts, oldest first. */
  live(): AlertRow[] {
    return (this.liveStmt.all() as Row[]).map((r) => this.toAlertRow(r));
  }

  private toAlertRow(r: Row): AlertRow {
    return {
      record: toRecord(r, this.notesStmt.all(r.id) as AlertNote[]),
      engine: JSON.parse(r.engine) as EngineAlert,
      ...(r.last_notified_at !== null ? { lastNotifiedAt: r.last_notified_at } : {}),
      repeatCount: r.repeat_count,
    };
  }

  list(f: AlertFilter): AlertRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      args.push(...values);
    };
    const list = (xs: readonly unknown[]) => xs.map(() => '?').join(',') || 'NULL';
    if (f.hall) add('hall = ?', f.hall);
    if (f.halls) add(`hall IN (${list(f.halls)})`, ...f.halls);
    if (f.status?.length) add(`status IN (${list(f.status)})`, ...f.status);
    if (f.type?.length) add(`type IN (${list(f.type)})`, ...f.type);
    if (f.counter) add('counter = ?', f.counter);
    if (f.from !== undefined) add('opened_at >= ?', f.from);
    if (f.to !== undefined) add('opened_at < ?', f.to);
    const limit = Math.min(Math.max(f.limit ?? 500, 1), 5000);
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY opened_at DESC, id DESC LIMIT ${limit}`;
    return (this.db.prepare(sql).all(...args) as Row[]).map((r) =>
      toRecord(r, this.notesStmt.all(r.id) as AlertNote[]),
    );
  }

  acknowledge(id: string, at: number, by: string): void {
    this.sql(
      "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, updated_at = ? WHERE id = ? AND status = 'open'",
    ).run(at, by, at, id);
  }

  /** Idempotent: an alert already resolved keeps its first resolution. */
  resolve(id: string, at: number, reason: ResolveReason, by?: string): boolean {
    const r = this.sql(
      "UPDATE alerts SET status = 'resolved', resolved_at = ?, resolve_reason = ?, resolved_by = ?, updated_at = ? WHERE id = ? AND status != 'resolved'",
    ).run(at, reason, by ?? null, at, id);
    return r.changes === 1;
  }

  /** Replaces the public details (R28 attribution changes); the engine's own view is kept as it was. */
  setDetails(id: string, details: Record<string, unknown>, at: number): void {
    this.sql('UPDATE alerts SET details = ?, updated_at = ? WHERE id = ?').run(
      JSON.stringify(details),
      at,
      id,
    );
  }

  addNote(id: string, note: AlertNote): void {
    this.sql('INSERT INTO alert_notes (alert_id, at, by, action, text) VALUES (?, ?, ?, ?, ?)').run(
      id,
      note.at,
      note.by,
      note.action,
      note.text,
    );
  }

  markEscalated(id: string, at: number): void {
    this.sql('UPDATE alerts SET escalated_at = ?, updated_at = ? WHERE id = ?').run(at, at, id);
  }

  markNotified(id: string, at: number, repeat: boolean): void {
    this.sql(
      `UPDATE alerts SET last_notified_at = ?, repeat_count = repeat_count + ?, updated_at = ? WHERE id = ?`,
    ).run(at, repeat ? 1 : 0, at, id);
  }
}
