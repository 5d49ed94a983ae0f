// Maintenance silences registered by supervisors, plus the append-only audit log.

import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AlertType } from '../../core/protocol/payloads.ts';
import type { AuditEntry, Silence, SilenceInput } from '../types.ts';
import { type Prepared, preparedCache } from './statements.ts';

interface SilenceRow {
  id: string;
  hall: string;
  counter: string | null;
  equipment: string | null;
  types: string | null;
  from_ms: number;
  to_ms: number;
  reason: string;
  created_by: string;
  created_at: number;
}

const silenceOf = (r: SilenceRow): Silence => ({
  id: r.id,
  hall: r.hall,
  ...(r.counter ? { counter: r.counter } : {}),
  ...(r.equipment ? { equipment: r.equipment } : {}),
  ...(r.types ? { types: JSON.parse(r.types) as AlertType[] } : {}),
  from: r.from_ms,
  to: r.to_ms,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export class RegistryTables {
  private readonly sql: Prepared;
  constructor(private readonly db: Database.Database) {
    this.sql = preparedCache(db);
  }

  silences(hall?: string): Silence[] {
    const rows = this.sql(
      `SELECT * FROM silences WHERE removed_at IS NULL ${hall ? 'AND hall = ?' : ''} ORDER BY from_ms`,
    ).all(...(hall ? [hall] : [])) as SilenceRow[];
    return rows.map(silenceOf);
  }

  addSilence(i: SilenceInput, by: string, now: number): Silence {
    const s: Silence = { ...i, id: `sil-${randomUUID()}`, createdBy: by, createdAt: now };
    this.sql(
      `INSERT INTO silences (id, hall, counter, equipment, types, from_ms, to_ms, reason, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      s.id,
      s.hall,
      s.counter ?? null,
      s.equipment ?? null,
      s.types ? JSON.stringify(s.types) : null,
      s.from,
      s.to,
      s.reason,
      by,
      now,
    );
    return s;
  }

  removeSilence(id: string, by: string, now: number): boolean {
    return (
      this.sql('UPDATE silences SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL').run(
        now,
        by,
        id,
      ).changes === 1
    );
  }

  audit(at: number, actor: string, action: string, alertId: string | undefined, details: object = {}): void {
    this.sql('INSERT INTO audit_log (at, actor, action, alert_id, details) VALUES (?, ?, ?, ?, ?)').run(
      at,
      actor,
      action,
      alertId ?? null,
      JSON.stringify(details),
    );
  }

  auditLog(filter: { alertId?: string; limit?: number } = {}): AuditEntry[] {
    const limit = Math.min(Math.max(filter.limit ?? 500, 1), 5000);
    // Not cached: the limit is part of the text.
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log ${filter.alertId ? 'WHERE alert_id = ?' : ''} ORDER BY seq DESC LIMIT ${limit}`,
      )
      .all(...(filter.alertId ? [filter.alertId] : [])) as {
      seq: number;
      at: number;
      actor: string;
      action: string;
      alert_id: string | null;
      details: string;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      ...(r.alert_id ? { alertId: r.alert_id } : {}),
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
