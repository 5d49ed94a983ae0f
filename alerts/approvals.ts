// Approved leave and closures (R24) on the alerts side: checked against the configuration,
// committed with their audit entry, applied to the live engine at once through the one input path
// (core/engine/drive.ts), and published retained on hall/{h}/approvals/{id} for the ingest, so
// replay and the statistics see each one exactly as the engine did. Withdrawals are the same.
import { randomUUID } from 'node:crypto';
import type { ServiceCalendar } from '../core/calendar/types.ts';
import type { Config } from '../core/config/schema.ts';
import { approvalsFromConfig } from '../core/engine/approvals.ts';
import { approvalInputs, type EngineInput } from '../core/engine/drive.ts';
import type { ApprovalKind, ApprovalRecord } from '../core/protocol/approval.ts';
import type { OutgoingMessage } from '../core/protocol/encode.ts';
import { formatTopic } from '../core/protocol/topics.ts';
import type { AlertStore } from './store/index.ts';
import type { ClosureInput, LeaveInput, ListedApproval } from './types.ts';
import { checkClosure, checkLeave } from './validate.ts';

export interface ApprovalsDeps {
  config: Config;
  store: AlertStore;
  now: () => number;
  /** The live engine's input path (EngineRunner.handle) and a snapshot right after. */
  feed: (input: EngineInput) => void;
  snapshot: () => void;
  publish: (m: OutgoingMessage) => void;
  /** Leave and closures listed in the configuration (the engine applies them itself at start). */
  fromConfig?: ApprovalRecord[];
}

/**
 * The leave and closures listed in the configuration as the API lists them (`enteredAt` 0: known
 * from the start), with the ids and instants the engine gives them (core/engine/approvals.ts).
 */
export function configApprovals(
  config: Pick<Config, 'leave' | 'closures'>,
  calendar: Pick<ServiceCalendar, 'startOfDay'>,
): ApprovalRecord[] {
  const { leave, closures } = approvalsFromConfig(config, calendar);
  return [
    ...leave.map((l): ApprovalRecord => ({ kind: 'leave', ...l, enteredAt: 0 })),
    ...closures.map((c): ApprovalRecord => ({ kind: 'closure', ...c, enteredAt: 0 })),
  ];
}

/** The retained message that carries an approval to the ingest. */
export function approvalMessage(a: ApprovalRecord): OutgoingMessage {
  return {
    topic: formatTopic({ kind: 'approval', hall: a.hall, approvalId: a.id }),
    payload: JSON.stringify(a),
    qos: 1,
    retain: true,
  };
}

export class Approvals {
  /** The last entry instant handed out (-1: not read from the store yet). */
  private lastAt = -1;
  constructor(private readonly d: ApprovalsDeps) {}

  /**
   * Now, but never the instant of an earlier entry or withdrawal: the `approval` point's time is
   * its entry, so two approvals entered in one millisecond (a script posting a week of leave) would
   * otherwise share one point and one of them vanish from replay and the statistics.
   */
  private instant(): number {
    if (this.lastAt < 0)
      for (const a of this.d.store.approvals.list({ all: true }))
        this.lastAt = Math.max(this.lastAt, a.enteredAt);
    this.lastAt = Math.max(this.d.now(), this.lastAt + 1);
    return this.lastAt;
  }

  /** At start, before the first tick: every stored approval and withdrawal again, in time order (idempotent). */
  restore(): void {
    const inputs = this.d.store.approvals
      .list({ all: true })
      .flatMap(approvalInputs)
      .sort((a, b) => a.ts - b.ts);
    for (const i of inputs) this.d.feed(i);
  }

  list(kind: ApprovalKind, hall?: string): ListedApproval[] {
    const fromConfig = (this.d.fromConfig ?? [])
      .filter((a) => a.kind === kind && (!hall || a.hall === hall))
      .map((a): ListedApproval => ({ ...a, source: 'config' }));
    const entered = this.d.store.approvals
      .list({ kind, ...(hall ? { hall } : {}) })
      .map((a): ListedApproval => ({ ...a, source: 'api' }));
    return [...fromConfig, ...entered].sort((a, b) => a.from - b.from || a.enteredAt - b.enteredAt);
  }

  addLeave(input: LeaveInput, by: string): ApprovalRecord {
    const i = checkLeave(this.d.config, input);
    return this.add(
      { kind: 'leave', hall: i.hall, staff: i.staff, from: i.from, to: i.to, reason: i.reason },
      by,
    );
  }

  addClosure(input: ClosureInput, by: string): ApprovalRecord {
    const i = checkClosure(this.d.config, input);
    return this.add(
      {
        kind: 'closure',
        hall: i.hall,
        ...(i.counter ? { counter: i.counter } : {}),
        from: i.from,
        to: i.to,
        reason: i.reason,
      },
      by,
    );
  }

  private add(a: Omit<ApprovalRecord, 'id' | 'approvedBy' | 'enteredAt'>, by: string): ApprovalRecord {
    const now = this.instant();
    const rec: ApprovalRecord = { ...a, id: `${a.kind}-${randomUUID()}`, approvedBy: by, enteredAt: now };
    const s = this.d.store;
    s.tx(() => {
      s.approvals.add(rec);
      s.registry.audit(now, by, `${a.kind}_added`, undefined, rec);
    });
    this.apply(rec);
    return rec;
  }

  remove(kind: ApprovalKind, id: string, by: string): boolean {
    const s = this.d.store;
    const existing = s.approvals.get(id);
    if (!existing || existing.kind !== kind) return false;
    const now = Math.max(this.d.now(), existing.enteredAt);
    const removed = s.tx(() => {
      const r = s.approvals.remove(id, by, now);
      if (r) s.registry.audit(now, by, `${kind}_removed`, undefined, { id, removedAt: now });
      return r;
    });
    if (!removed) return false;
    this.apply(removed);
    return true;
  }

  /** Feeds the change to the engine (only the newest input: the set, or the withdrawal) and publishes it. */
  private apply(rec: ApprovalRecord): void {
    const inputs = approvalInputs(rec);
    this.d.feed(inputs[inputs.length - 1]!);
    this.d.snapshot();
    this.d.publish(approvalMessage(rec));
  }
}
