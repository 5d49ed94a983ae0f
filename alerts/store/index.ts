// The alert store: one SQLite file under dataDir (WAL, synchronous=FULL so a committed alert
// or outbox row survives a power cut, not only a process crash).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EngineSnapshot } from '../../core/engine/types.ts';
import { AlertsTable } from './alerts-table.ts';
import { ApprovalsTable } from './approvals-table.ts';
import { ChannelsTable } from './channels-table.ts';
import { migrate } from './migrations.ts';
import { OutboxTable } from './outbox-table.ts';
import { RegistryTables } from './registry-tables.ts';
import { ReportRunsTable } from './report-runs-table.ts';

export type { AlertRow } from './alerts-table.ts';
export type { ChannelHold } from './channels-table.ts';
export type { NotificationKind, OutboxItem } from './outbox-table.ts';
export type { ReportRun } from './report-runs-table.ts';

export interface AlertStore {
  readonly file: string;
  readonly schemaVersion: number;
  readonly alerts: AlertsTable;
  readonly outbox: OutboxTable;
  readonly channels: ChannelsTable;
  readonly registry: RegistryTables;
  readonly approvals: ApprovalsTable;
  readonly reportRuns: ReportRunsTable;
  /** Runs fn in one transaction: the alert change, its audit entry and its outbox rows commit together. */
  tx<T>(fn: () => T): T;
  saveSnapshot(s: EngineSnapshot, savedAt: number): void;
  loadSnapshot(): EngineSnapshot | undefined;
  pragma(name: string): unknown;
  close(): void;
}

export function openStore(file: string): AlertStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const schemaVersion = migrate(db);
  const saveStmt = db.prepare(
    `INSERT INTO engine_snapshot (id, engine_at, saved_at, data) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET engine_at = excluded.engine_at, saved_at = excluded.saved_at, data = excluded.data`,
  );
  const loadStmt = db.prepare('SELECT data FROM engine_snapshot WHERE id = 1');
  return {
    file,
    schemaVersion,
    alerts: new AlertsTable(db),
    outbox: new OutboxTable(db),
    channels: new ChannelsTable(db),
    registry: new RegistryTables(db),
    approvals: new ApprovalsTable(db),
    reportRuns: new ReportRunsTable(db),
    tx: (fn) => db.transaction(fn)(),
    saveSnapshot: (s, savedAt) => {
      saveStmt.run(s.at, savedAt, JSON.stringify(s));
    },
    loadSnapshot: () => {
      const r = loadStmt.get() as { data: string } | undefined;
      return r ? (JSON.parse(r.data) as EngineSnapshot) : undefined;
    },
    pragma: (name) => db.pragma(name, { simple: true }),
    close: () => {
      if (db.open) db.close();
    },
  };
}
