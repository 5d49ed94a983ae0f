// R24 approved leave and closures as ENGINE INPUTS. They go through RuleEngine.handle exactly like
// device events, so a replay that feeds the same inputs at the same instants reproduces the live
// engine to the second.
//
// How to feed them:
// - config `leave` / `closures` (CONTRACT §7): createEngine applies them itself at start
//   (approvalsFromConfig); they count from their `from` (known in advance).
// - live (API): engine.handle({ kind: 'leave', hall, ts: enteredAt, leave }) to set or replace,
//   engine.handle({ kind: 'leave_removed', hall, ts: removedAt, id }) to remove; the same with
//   `closure` / `closure_removed`. `ts` is when it was entered (the audit time): nothing is applied
//   before it, so an alert that opened before a leave/closure was entered is never silenced.
// - replay: store these inputs with their `ts` and feed them in `ts` order with the device events.
// Setting an id again replaces it, so a store may re-feed everything at start (idempotent).
import type { ServiceCalendar, ServiceSession } from '../calendar/types.ts';
import type { Config } from '../config/schema.ts';
import { HALL_ID, STAFF_ID } from '../ids.ts';
import type { DeviceEvent } from '../protocol/events.ts';

/** A person's approved leave (请假): the person is not available (R23); the counter stays watched. */
export interface Leave {
  id: string;
  hall: string;
  staff: string;
  /** Epoch ms, whole minutes; [from, to). */
  from: number;
  to: number;
  reason: string;
  approvedBy: string;
}

/** An approved closure of one counter, or of the whole hall when `counter` is absent. */
export interface Closure {
  id: string;
  hall: string;
  counter?: string;
  /** Epoch ms, whole minutes; [from, to). */
  from: number;
  to: number;
  reason: string;
  approvedBy: string;
}

interface ApprovalBase {
  hall: string;
  /** When the approval was entered or removed (epoch ms): the engine applies it from here. */
  ts: number;
}
export type ApprovalEvent =
  | (ApprovalBase & { kind: 'leave'; leave: Leave })
  | (ApprovalBase & { kind: 'leave_removed'; id: string })
  | (ApprovalBase & { kind: 'closure'; closure: Closure })
  | (ApprovalBase & { kind: 'closure_removed'; id: string });

/** R29 queue length at a counter (decoded `hall/{hall}/counter/{counter}/queue`). */
export type { QueueEvent } from '../protocol/events.ts';

/** Everything RuleEngine.handle accepts: device events and approvals, one input path. */
export type EngineInput = DeviceEvent | ApprovalEvent;

export const APPROVAL_KINDS: ReadonlySet<string> = new Set([
  'leave',
  'leave_removed',
  'closure',
  'closure_removed',
]);
export const isApproval = (e: EngineInput): e is ApprovalEvent => APPROVAL_KINDS.has(e.kind);

const MINUTE = 60_000;

/** What is wrong with a leave or closure (empty when valid): minute precision, to after from, ids. */
export function approvalProblems(a: Leave | Closure): string[] {
  const out: string[] = [];
  if (!a.id || a.id.length > 64) out.push('id: 1 to 64 characters');
  if (!HALL_ID.test(a.hall)) out.push('hall: invalid hall id');
  if ('staff' in a && !STAFF_ID.test(a.staff)) out.push('staff: invalid staff id');
  if ('counter' in a && a.counter !== undefined && !HALL_ID.test(a.counter))
    out.push('counter: invalid counter id');
  for (const k of ['from', 'to'] as const)
    if (!Number.isSafeInteger(a[k]) || a[k] % MINUTE !== 0)
      out.push(`${k}: must be an instant in whole minutes`);
  if (a.to <= a.from) out.push('to: must be after from');
  if (!a.approvedBy) out.push('approvedBy: required');
  return out;
}

/** A time window [start, end) in epoch ms. */
export interface TimeWindow {
  start: number;
  end: number;
}

/**
 * The time a closure actually removes from service: from when it was entered (never earlier) to
 * its end or its removal. Statistics subtract exactly these windows from the scheduled time.
 */
export function closureWindow(
  c: Pick<Closure, 'from' | 'to'>,
  enteredAt?: number,
  removedAt?: number,
): TimeWindow | null {
  const start = Math.max(c.from, enteredAt ?? c.from);
  const end = Math.min(c.to, removedAt ?? c.to);
  return end > start ? { start, end } : null;
}

/** A closure as the engine and the statistics hold it: when it was entered (absent: configured, known in advance) and withdrawn. */
export interface ClosureEntry {
  closure: Pick<Closure, 'counter' | 'from' | 'to'>;
  enteredAt?: number;
  removedAt?: number;
}

/** The effective windows of the closures that apply to a counter (its own and the hall's), or to the hall (null). */
export function closureWindowsFor(entries: Iterable<ClosureEntry>, counter: string | null): TimeWindow[] {
  const out: TimeWindow[] = [];
  for (const e of entries) {
    if (e.closure.counter !== undefined && e.closure.counter !== counter) continue;
    const w = closureWindow(e.closure, e.enteredAt, e.removedAt);
    if (w) out.push(w);
  }
  return out;
}

/**
 * Sessions minus closure windows (any order, may overlap), renumbered per local date: a session
 * cut by a closure becomes two, and the piece after the closure starts like a session (R9, R22).
 */
export function sessionsOutside(
  sessions: readonly ServiceSession[],
  windows: readonly TimeWindow[],
): ServiceSession[] {
  if (!windows.length) return [...sessions];
  const holes = [...windows].sort((a, b) => a.start - b.start);
  const out: ServiceSession[] = [];
  for (const s of sessions) {
    let cursor = s.start;
    for (const h of holes) {
      if (h.end <= cursor || h.start >= s.end) continue;
      if (h.start > cursor) out.push({ ...s, start: cursor, end: h.start });
      cursor = Math.max(cursor, h.end);
      if (cursor >= s.end) break;
    }
    if (cursor < s.end) out.push({ ...s, start: cursor, end: s.end });
  }
  let date = '';
  let index = 0;
  for (const s of out) {
    index = s.localDate === date ? index + 1 : 0;
    date = s.localDate;
    s.index = index;
  }
  return out;
}

/** A config instant: epoch ms, ISO 8601 with an offset, or local `YYYY-MM-DDTHH:MM` / `YYYY-MM-DD`. */
export function parseConfigInstant(
  v: string | number,
  wallTime: (date: string, minutes: number) => number,
): number {
  if (typeof v === 'number') return v;
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::00(?:\.0+)?)?)?$/.exec(v);
  if (local) return wallTime(local[1]!, local[2] ? Number(local[2]) * 60 + Number(local[3]) : 0);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${v}`);
  return ms;
}

/** The leave and closures listed in the configuration, as engine inputs (ids default by position). */
export function approvalsFromConfig(
  config: Pick<Config, 'leave' | 'closures'>,
  calendar: Pick<ServiceCalendar, 'startOfDay'>,
): { leave: Leave[]; closures: Closure[] } {
  const at = (v: string | number) =>
    parseConfigInstant(v, (date, minutes) => calendar.startOfDay(date) + minutes * 60_000);
  return {
    leave: config.leave.map((l, i) => ({
      id: l.id ?? `config-leave-${i}`,
      hall: l.hall,
      staff: l.staff,
      from: at(l.from),
      to: at(l.to),
      reason: l.reason,
      approvedBy: l.approvedBy,
    })),
    closures: config.closures.map((c, i) => ({
      id: c.id ?? `config-closure-${i}`,
      hall: c.hall,
      ...(c.counter ? { counter: c.counter } : {}),
      from: at(c.from),
      to: at(c.to),
      reason: c.reason,
      approvedBy: c.approvedBy,
    })),
  };
}
