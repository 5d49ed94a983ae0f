// Versioned schema of the alert store. Append a migration; never edit one that has shipped.
// PRAGMA user_version records how far a database file has been migrated.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'alerts, notes, append-only audit log, outbox, silences, absences, engine snapshot',
    sql: `
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        hall TEXT NOT NULL,
        counter TEXT,
        equipment TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        opened_at INTEGER NOT NULL,
        acknowledged_at INTEGER,
        acknowledged_by TEXT,
        resolved_at INTEGER,
        resolved_by TEXT,
        resolve_reason TEXT,
        message TEXT NOT NULL,
        details TEXT NOT NULL,
        engine TEXT NOT NULL,
        escalated_at INTEGER,
        last_notified_at INTEGER,
        repeat_count INTEGER NOT NULL DEFAULT 0,
        silenced_by TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX alerts_opened ON alerts (opened_at DESC);
      CREATE INDEX alerts_hall_status ON alerts (hall, status);
      CREATE INDEX alerts_live ON alerts (status) WHERE status != 'resolved';

      CREATE TABLE alert_notes (
        alert_id TEXT NOT NULL REFERENCES alerts (id),
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        action TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX alert_notes_alert ON alert_notes (alert_id);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        alert_id TEXT,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_alert ON audit_log (alert_id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        channel_id TEXT NOT NULL,
        alert_id TEXT,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        last_error TEXT
      );
      CREATE INDEX outbox_due ON outbox (channel_id, status, next_attempt_at);

      CREATE TABLE silences (
        id TEXT PRIMARY KEY,
        hall TEXT NOT NULL,
        counter TEXT,
        equipment TEXT,
        types TEXT,
        from_ms INTEGER NOT NULL,
        to_ms INTEGER NOT NULL,
        reason TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        removed_at INTEGER,
        removed_by TEXT
      );

      CREATE TABLE absences (
        id TEXT PRIMARY KEY,
        hall TEXT NOT NULL,
        counter TEXT NOT NULL,
        staff TEXT,
        from_ms INTEGER NOT NULL,
        to_ms INTEGER NOT NULL,
        reason TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        removed_at INTEGER,
        removed_by TEXT
      );

      CREATE TABLE engine_snapshot (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        engine_at INTEGER NOT NULL,
        saved_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'channel rate windows and holds survive a restart',
    sql: `
      CREATE TABLE channel_sends (
        channel_id TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX channel_sends_at ON channel_sends (channel_id, at);

      CREATE TABLE channel_holds (
        channel_id TEXT PRIMARY KEY,
        until INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        reason TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description:
      'approved leave and closures (R24) replace approved absences: an absence naming staff becomes leave, one without becomes a closure of its counter',
    sql: `
      CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('leave', 'closure')),
        hall TEXT NOT NULL,
        staff TEXT,
        counter TEXT,
        from_ms INTEGER NOT NULL,
        to_ms INTEGER NOT NULL,
        reason TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        entered_at INTEGER NOT NULL,
        removed_at INTEGER,
        removed_by TEXT
      );
      CREATE INDEX approvals_hall ON approvals (hall, kind);
      INSERT INTO approvals (id, kind, hall, staff, counter, from_ms, to_ms, reason, approved_by, entered_at,
          removed_at, removed_by)
        SELECT id, CASE WHEN staff IS NULL THEN 'closure' ELSE 'leave' END, hall, staff,
          CASE WHEN staff IS NULL THEN counter ELSE NULL END, from_ms, to_ms, reason, approved_by, created_at,
          removed_at, removed_by
        FROM absences;
      DROP TABLE absences;
    `,
  },
  {
    version: 4,
    description:
      'scheduled reports (日报/月报): what was decided for each report and since when the schedule runs',
    sql: `
      CREATE TABLE report_runs (
        report_key TEXT PRIMARY KEY,
        outcome TEXT NOT NULL CHECK (outcome IN ('queued', 'skipped')),
        due_at INTEGER NOT NULL,
        done_at INTEGER NOT NULL,
        note TEXT
      );
      CREATE TABLE report_schedule (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        since INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    description:
      'the engine snapshot in parts (a row per counter, schedule, equipment, device, open alert…); the v1 engine_snapshot blob is read once and replaced at the first save',
    sql: `
      CREATE TABLE engine_parts (
        key TEXT PRIMARY KEY,
        data TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE engine_parts_meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL,
        engine_at INTEGER NOT NULL,
        saved_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
    `,
  },
];

/** Applies every migration newer than the file's user_version, each in its own transaction. */
export function migrate(db: Database.Database, migrations: Migration[] = MIGRATIONS): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest)
    throw new Error(
      `alert store schema v${current} is newer than this program (v${latest}): upgrade HallWatch`,
    );
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    current = m.version;
  }
  return current;
}
