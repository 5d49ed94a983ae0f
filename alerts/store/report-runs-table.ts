// What the report schedule decided for each 日报/月报 (queued or skipped), and since when it runs:
// a report due before the first start is never sent, one due while the service was down is sent
// late, and none is decided twice. The outbox rows' idempotency keys stop a second send per channel.
import type Database from 'better-sqlite3';

export interface ReportRun {
  key: string;
  outcome: 'queued' | 'skipped';
  dueAt: number;
  doneAt: number;
  note?: string;
}

export class ReportRunsTable {
  private readonly getStmt;
  private readonly putStmt;
  constructor(private readonly db: Database.Database) {
    this.getStmt = db.prepare('SELECT * FROM report_runs WHERE report_key = ?');
    this.putStmt = db.prepare(
      'INSERT OR IGNORE INTO report_runs (report_key, outcome, due_at, done_at, note) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** When the schedule first ran in this store (set on the first call). */
  since(now: number): number {
    this.db.prepare('INSERT OR IGNORE INTO report_schedule (id, since) VALUES (1, ?)').run(now);
    return (this.db.prepare('SELECT since FROM report_schedule WHERE id = 1').get() as { since: number })
      .since;
  }

  get(key: string): ReportRun | undefined {
    const r = this.getStmt.get(key) as
      | {
          report_key: string;
          outcome: ReportRun['outcome'];
          due_at: number;
          done_at: number;
          note: string | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      key: r.report_key,
      outcome: r.outcome,
      dueAt: r.due_at,
      doneAt: r.done_at,
      ...(r.note ? { note: r.note } : {}),
    };
  }

  /** False when the report was already decided. */
  record(run: ReportRun): boolean {
    return this.putStmt.run(run.key, run.outcome, run.dueAt, run.doneAt, run.note ?? null).changes === 1;
  }
}
