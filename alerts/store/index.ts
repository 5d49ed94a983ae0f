// The alert store: one SQLite file under dataDir (WAL, synchronous=FULL so a committed alert
// or outbox row survives a power cut, not only a process crash). Changes from the engine may be
// queued for a group commit (group-commit.ts): one fsync for all that changed within a few ms.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EngineParts, EngineSnapshot } from '../../core/engine/types.ts';
import { AlertsTable } from './alerts-table.ts';
import { ApprovalsTable } from './approvals-table.ts';
import { ChannelsTable } from './channels-table.ts';
import { EnginePartsTable, type PartsWritten } from './engine-parts-table.ts';
import { type CommitHook, GroupCommit } from './group-commit.ts';
import { migrate } from './migrations.ts';
import { OutboxTable } from './outbox-table.ts';
import { RegistryTables } from './registry-tables.ts';
import { ReportRunsTable } from './report-runs-table.ts';

export type { AlertRow } from './alerts-table.ts';
export type { ChannelHold } from './channels-table.ts';
export type { PartsWritten } from './engine-parts-table.ts';
export type { CommitHook } from './group-commit.ts';
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
  /**
   * Runs fn in one transaction: the alert change, its audit entry and its outbox rows commit
   * together. Whatever is queued for the group commit commits first.
   */
  tx<T>(fn: () => T): T;
  /**
   * Queues work for the group commit (one transaction for all queued within groupCommitMs; at once
   * when it is 0); `after` gets work's result once committed, to publish and notify.
   */
  later<T>(work: () => T, after?: (r: T) => void): void;
  /** A group commit within groupCommitMs even when nothing is queued (the commit hooks have news). */
  commitSoon(): void;
  /** Commits what is queued and runs the hooks now. */
  flush(): void;
  /** Changes queued for the next group commit. */
  readonly pending: number;
  /** Runs inside every group commit, after the queued work (the runner writes the engine's parts). */
  onCommit(hook: CommitHook): void;
  readonly commits: { commits: number; pieces: number };
  /** Writes the engine's parts (call inside a transaction; `full` replaces what is stored). */
  saveParts(p: EngineParts, savedAt: number, full: boolean): PartsWritten;
  readonly partsWritten: PartsWritten;
  /** The stored engine snapshot (reassembled from its parts, or a pre-v5 whole one). */
  loadSnapshot(): EngineSnapshot | undefined;
  pragma(name: string): unknown;
  close(): void;
}

export interface StoreOptions {
  /** Group commit window (default 0: every change commits at once, alone). The service uses 5 ms. */
  groupCommitMs?: number;
  /** A group this large commits without waiting (default 500). */
  groupCommitMax?: number;
  /** Where a failed queued change is reported (default console.error; the service passes its logger). */
  onError?: (err: unknown, what: string) => void;
}

export function openStore(file: string, o: StoreOptions = {}): AlertStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const schemaVersion = migrate(db);
  const parts = new EnginePartsTable(db);
  const group = new GroupCommit(db, {
    delayMs: o.groupCommitMs ?? 0,
    maxBatch: o.groupCommitMax ?? 500,
    onError: o.onError ?? ((err, what) => console.error(what, err)),
  });
  return {
    file,
    schemaVersion,
    alerts: new AlertsTable(db),
    outbox: new OutboxTable(db),
    channels: new ChannelsTable(db),
    registry: new RegistryTables(db),
    approvals: new ApprovalsTable(db),
    reportRuns: new ReportRunsTable(db),
    tx: (fn) => group.tx(fn),
    later: (work, after) => group.later(work, after),
    commitSoon: () => group.soon(),
    flush: () => group.flush(),
    get pending() {
      return group.pending;
    },
    onCommit: (hook) => group.onCommit(hook),
    commits: group.stats,
    saveParts: (p, savedAt, full) => parts.save(p, savedAt, full),
    partsWritten: parts.totals,
    loadSnapshot: () => parts.load(),
    pragma: (name) => db.pragma(name, { simple: true }),
    close: () => {
      if (!db.open) return;
      group.close();
      db.close();
    },
  };
}
