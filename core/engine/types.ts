// The rule engine's inputs and outputs (DOMAIN §2). Pure: the engine takes decoded device
// events and clock ticks and returns what happened; adapters publish, store and notify.
import type { EquipmentStatus, Sign } from '../protocol/events.ts';
import type { AlertType, CounterState, EnvMetric, Severity } from '../protocol/payloads.ts';

export type ResolveReason =
  | 'staff_returned' // R4/R5/R6: someone is on post again
  | 'session_end' // R13
  | 'retracted' // R15: a late event proves the condition was false at openedAt (not counted)
  | 'superseded' // R10: readiness window ended, R9/R11 take over
  | 'ready' // R10: staff on post and equipment ok
  | 'arrived' // R9: first arrival after a late opening
  | 'repaired' // R11: equipment back to ok
  | 'back_online' // R12
  | 'in_band' // R16: environment back inside the band (with hysteresis)
  | 'paused' // R8: 暂停服务 board raised
  | 'sign_cleared' // R21: the 暂停服务 board came down
  | 'covered' // R26: official holiday data (or overrides) now cover the year
  | 'unknown' // R12: the counter's data became unknown; presence rules stand down
  | 'manual'; // resolved by hand through the API

/** An alert as the engine sees it; the alerts service adds lifecycle (ack, notes) around it. */
export interface EngineAlert {
  /** Stable: a deterministic function of (type, hall, subject, openedAt), ≤ 64 chars of [A-Za-z0-9_-]. */
  id: string;
  type: AlertType;
  severity: Severity;
  hall: string;
  counter?: string;
  equipment?: string;
  device?: string;
  sensor?: string;
  metric?: EnvMetric;
  openedAt: number;
  /** Simplified Chinese, naming hall, counter, staff roles and how long. */
  message: string;
  details: Record<string, unknown>;
  /**
   * R7/R17: who an interruption is attributed to, when known. Interruption alerts also carry
   * `details.responsible` {staff, basis} (R28, CONTRACT §7).
   */
  responsible?: { staff: string; role: 'a' | 'b' | 'staff' };
  /** Staff to notify besides the supervisor (A and B for an unattended single-staff counter). */
  notify?: string[];
}

export interface ResolvedAlert extends EngineAlert {
  resolvedAt: number;
  reason: ResolveReason;
}

/** A closed interval of one counter state, inside one session and one local day. */
export interface StateInterval {
  hall: string;
  counter: string;
  state: Exclude<CounterState, 'closed'>;
  start: number;
  end: number;
  /** Local date (YYYY-MM-DD) the interval lies in. */
  localDate: string;
  /** Start of the session the interval lies in. */
  sessionStart: number;
  /** Staff attributed (badge, roster), when known. */
  staff?: string;
  role?: 'a' | 'b' | 'staff';
  /** For away/unattended intervals: part of an absence that ran to session end within awayLimit (R18). */
  earlyLeave?: boolean;
  /** R23: staffed, but fewer on post than min(minStaff, available). */
  understaffed?: boolean;
}

/** R23: a rostered person's first badge-in after T+openingGrace (迟到, for the staff report). */
export interface LateArrival {
  hall: string;
  counter: string;
  staff: string;
  sessionStart: number;
  /** The badge-in instant. */
  at: number;
  lateSeconds: number;
}

export interface CounterStateChange {
  hall: string;
  counter: string;
  state: CounterState;
  since: number;
  staffOnPost: number;
  sign: Sign;
  /** Seat → occupied, for the board. */
  seats: Record<string, boolean>;
  /** Staff badged in, for the board. */
  staff: string[];
  /** Deadline of a running away/unsigned countdown (epoch ms), for the board's countdown. */
  deadline?: number;
  /** R30: the sign's 去向 note and expected return (epoch ms), while a sign is up. */
  note?: string;
  returnBy?: number;
  /** R29: citizens waiting at the counter (queue system), when reported and > 0. */
  waiting?: number;
  /**
   * R14 board hint, never an alert: `lower_sign` = someone is on post but the 临时离开 board is
   * still up (收起提示牌).
   */
  hint?: 'lower_sign';
}

export interface EquipmentView {
  hall: string;
  counter?: string;
  equipment: string;
  status: EquipmentStatus | 'unknown';
  code?: string;
  since: number;
}

export type EngineOutput =
  | { kind: 'state'; change: CounterStateChange }
  | { kind: 'alert_opened'; alert: EngineAlert }
  | { kind: 'alert_resolved'; alert: ResolvedAlert }
  | { kind: 'interval'; interval: StateInterval }
  | { kind: 'late_arrival'; arrival: LateArrival }
  | { kind: 'equipment'; view: EquipmentView }
  | { kind: 'warning'; code: string; message: string };

/**
 * Everything needed to resume exactly where the engine stopped (JSON-serialisable).
 * `state` is the engine's live state, not a copy (copying thousands of counters every second is
 * too slow): serialise it (JSON.stringify) before the next handle/tick.
 */
export interface EngineSnapshot {
  /** 2 since rules v2 (R21–R30); a version-1 snapshot is migrated on restore. */
  version: 1 | 2;
  /** Engine time when the snapshot was taken. */
  at: number;
  state: unknown;
}

/**
 * The snapshot in parts (parts.ts): `put` holds the parts to write by key
 * (`counters:<hall>/<counter>`, `alerts:<type>|<hall>|<subject>`, …), `drop` the keys of parts
 * that no longer exist, `meta` the engine-wide scalars. Like EngineSnapshot it references the live
 * state: serialise it before the next handle/tick.
 */
export interface EngineParts {
  version: 2;
  at: number;
  meta: import('./parts.ts').PartsMeta;
  put: { key: string; data: import('./parts.ts').PartData }[];
  drop: string[];
}

export interface RuleEngine {
  /**
   * Applies one input: a decoded device event (its `ts` is the observation time) or an approval
   * (R24 leave/closure set or removed; its `ts` is when it was entered). See approvals.ts.
   */
  handle(event: import('./approvals.ts').EngineInput): EngineOutput[];
  /** Advances engine time to `now`, firing every deadline ≤ now in order. */
  tick(now: number): EngineOutput[];
  /** Closes an alert by hand (API). Returns the resolved alert, or null if not open. */
  resolveManually(alertId: string, at: number): ResolvedAlert | null;
  counters(): CounterStateChange[];
  equipment(): EquipmentView[];
  openAlerts(): EngineAlert[];
  /** R24: the approved leave and closures the engine holds (closures with their effective window). */
  approvals(): { leave: import('./approvals.ts').Leave[]; closures: import('./state.ts').ClosureRecord[] };
  snapshot(): EngineSnapshot;
  /** Every part of the snapshot, or only those changed since the previous call (parts.ts). */
  parts(which: 'all' | 'changed'): EngineParts;
}
