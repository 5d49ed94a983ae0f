// Approved leave and closures (R24) as the ingest stored them (`approval` points): each with the
// instant it was entered and, when withdrawn, when. Replay feeds them to the engine at those
// instants, so it sees each one exactly as the live engine did.
import type { ServiceSession } from '../core/calendar/types.ts';
import {
  approvalsFromConfig,
  type ClosureEntry,
  closureWindowsFor,
  sessionsOutside,
} from '../core/engine/approvals.ts';
import type { ApprovalRecord } from '../core/protocol/approval.ts';
import { type InfluxClient, lit, ms, rowsOf } from './influx.ts';
import type { ReportDeps } from './uptime.ts';

/** Every approval of a hall entered before `before`, oldest first. */
export async function approvalsOf(db: InfluxClient, hall: string, before: number): Promise<ApprovalRecord[]> {
  const [series] = await db.query([
    `SELECT * FROM approval WHERE hall = ${lit(hall)} AND time < ${ms(before)} GROUP BY kind`,
  ]);
  const out: ApprovalRecord[] = [];
  for (const r of rowsOf(series ?? [])) {
    const kind = r.kind === 'leave' || r.kind === 'closure' ? r.kind : null;
    const n = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : undefined);
    const s = (k: string) => (typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined);
    const from = n('from_ms');
    const to = n('to_ms');
    const id = s('id');
    if (!kind || !id || from === undefined || to === undefined) continue;
    const staff = s('staff');
    const counter = s('counter');
    const removedAt = n('removed_at_ms');
    const removedBy = s('removed_by');
    out.push({
      kind,
      id,
      hall,
      ...(staff ? { staff } : {}),
      ...(counter ? { counter } : {}),
      from,
      to,
      reason: s('reason') ?? '',
      approvedBy: s('approved_by') ?? '',
      enteredAt: Number(r.time),
      ...(removedAt !== undefined ? { removedAt } : {}),
      ...(removedBy ? { removedBy } : {}),
    });
  }
  return out.sort((a, b) => a.enteredAt - b.enteredAt);
}

/**
 * R24: the closures of a hall that statistics remove from scheduled time, as the engine applied
 * them: the configured ones (known in advance, from their `from`) and those entered through the
 * API before `before` (from when they were entered to their end or withdrawal).
 */
export async function closuresOf(d: ReportDeps, hall: string, before: number): Promise<ClosureEntry[]> {
  const configured = approvalsFromConfig(d.config, d.calendar)
    .closures.filter((c) => c.hall === hall)
    .map((closure): ClosureEntry => ({ closure }));
  const entered = (await approvalsOf(d.db, hall, before))
    .filter((a) => a.kind === 'closure')
    .map(
      (a): ClosureEntry => ({
        closure: { ...(a.counter ? { counter: a.counter } : {}), from: a.from, to: a.to },
        enteredAt: a.enteredAt,
        ...(a.removedAt !== undefined ? { removedAt: a.removedAt } : {}),
      }),
    );
  return [...configured, ...entered];
}

/** A counter's (or, with null, the hall's) scheduled sessions overlapping [from, to), closures removed. */
export function servedSessions(
  d: Pick<ReportDeps, 'calendar'>,
  closures: readonly ClosureEntry[],
  q: { hall: string; from: number; to: number },
  counter: string | null,
): ServiceSession[] {
  const sessions = d.calendar.sessionsBetween(q.hall, counter, q.from, q.to);
  return sessionsOutside(sessions, closureWindowsFor(closures, counter));
}
