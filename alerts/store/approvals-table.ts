// Approved leave and closures (R24) entered through the API. A withdrawal marks the row, never
// deletes it: replay must see each approval exactly as the live engine did (entered, withdrawn).
import type Database from 'better-sqlite3';
import type { ApprovalKind, ApprovalRecord } from '../../core/protocol/approval.ts';

interface Row {
  id: string;
  kind: ApprovalKind;
  hall: string;
  staff: string | null;
  counter: string | null;
  from_ms: number;
  to_ms: number;
  reason: string;
  approved_by: string;
  entered_at: number;
  removed_at: number | null;
  removed_by: string | null;
}

const recordOf = (r: Row): ApprovalRecord => ({
  kind: r.kind,
  id: r.id,
  hall: r.hall,
  ...(r.staff !== null ? { staff: r.staff } : {}),
  ...(r.counter !== null ? { counter: r.counter } : {}),
  from: r.from_ms,
  to: r.to_ms,
  reason: r.reason,
  approvedBy: r.approved_by,
  enteredAt: r.entered_at,
  ...(r.removed_at !== null ? { removedAt: r.removed_at } : {}),
  ...(r.removed_by !== null ? { removedBy: r.removed_by } : {}),
});

export class ApprovalsTable {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly removeStmt;
  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO approvals (id, kind, hall, staff, counter, from_ms, to_ms, reason, approved_by, entered_at)
       VALUES (@id, @kind, @hall, @staff, @counter, @from, @to, @reason, @approvedBy, @enteredAt)`,
    );
    this.getStmt = db.prepare('SELECT * FROM approvals WHERE id = ?');
    this.removeStmt = db.prepare(
      'UPDATE approvals SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL',
    );
  }

  add(a: ApprovalRecord): void {
    this.insertStmt.run({ staff: null, counter: null, ...a });
  }

  get(id: string): ApprovalRecord | undefined {
    const r = this.getStmt.get(id) as Row | undefined;
    return r ? recordOf(r) : undefined;
  }

  /** Marks it withdrawn; the withdrawn record, or undefined when there is no such live approval. */
  remove(id: string, by: string, at: number): ApprovalRecord | undefined {
    if (this.removeStmt.run(at, by, id).changes !== 1) return undefined;
    return this.get(id);
  }

  /** Live (not withdrawn) approvals of one kind, by start; every one ever entered with `all`. */
  list(f: { kind?: ApprovalKind; hall?: string; all?: boolean } = {}): ApprovalRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.kind) where.push('kind = ?') && args.push(f.kind);
    if (f.hall) where.push('hall = ?') && args.push(f.hall);
    if (!f.all) where.push('removed_at IS NULL');
    const sql = `SELECT * FROM approvals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY from_ms, entered_at`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(recordOf);
  }
}
