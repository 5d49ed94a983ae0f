// What the alerts service offers the rest of the process (the HTTP API, the board's SSE stream).
// The API codes against this file only; it never reaches into alerts/ insides.

import type { CounterStateChange, EquipmentView, ResolveReason } from '../core/engine/types.ts';
import { HallWatchError } from '../core/errors.ts';
import type { ApprovalKind, ApprovalRecord } from '../core/protocol/approval.ts';
import type { AlertObject, AlertStatus, AlertType, EnvMetric } from '../core/protocol/payloads.ts';
import type { Service, ServiceHealth } from '../runtime/service.ts';

export type { EquipmentView };

/** One note on an alert: who wrote it, when, at which lifecycle step. */
export interface AlertNote {
  at: number;
  by: string;
  action: 'acknowledge' | 'resolve' | 'note';
  text: string;
}

/**
 * The alert object of CONTRACT §6 plus what the store keeps around it. Every extra field is
 * optional, so an AlertRecord is a valid AlertObject.
 */
export interface AlertRecord extends AlertObject {
  resolvedBy?: string;
  resolveReason?: ResolveReason;
  notes?: AlertNote[];
  /** When the policy escalated the alert (unacknowledged for escalateAfter). */
  escalatedAt?: number;
  /** The maintenance silence that muted its notifications, if any. */
  silencedBy?: string;
}

/** A counter as the live board shows it. */
export interface CounterLive extends CounterStateChange {
  /** Counter display name from the configuration (7号窗口 不动产登记). */
  name: string;
  openAlerts: AlertRecord[];
}

export interface EnvReadingView {
  hall: string;
  sensor: string;
  counter?: string;
  readings: Partial<Record<EnvMetric, number>>;
  /** Observation time of the latest reading. */
  at: number;
}

export interface AlertFilter {
  hall?: string;
  /** Restrict to these halls (a token limited to some halls). */
  halls?: string[];
  status?: AlertStatus[];
  type?: AlertType[];
  counter?: string;
  /** openedAt ≥ from (epoch ms). */
  from?: number;
  /** openedAt < to (epoch ms). */
  to?: number;
  /** Newest first; default 500, max 5000. */
  limit?: number;
}

/** Maintenance silence: alerts still open and show on the board, but send no notification. */
export interface Silence {
  id: string;
  hall: string;
  counter?: string;
  equipment?: string;
  /** All types when absent. */
  types?: AlertType[];
  from: number;
  to: number;
  reason: string;
  createdBy: string;
  createdAt: number;
}
export type SilenceInput = Omit<Silence, 'id' | 'createdBy' | 'createdAt'>;

/** A supervisor's attribution decision (R28): another responsible person, or void; always a note. */
export interface AttributionInput {
  responsible?: string;
  void?: boolean;
  note: string;
}

/** A person's approved leave as entered (R24): not available, the counter still watched (B covers). */
export interface LeaveInput {
  hall: string;
  staff: string;
  /** Epoch ms in whole minutes; [from, to). */
  from: number;
  to: number;
  reason: string;
}
/** An approved closure of a counter, or of the whole hall without `counter` (R24). */
export interface ClosureInput {
  hall: string;
  counter?: string;
  from: number;
  to: number;
  reason: string;
}
export type { ApprovalKind, ApprovalRecord };

/** An approval as listed: where it comes from (`config`: the configuration file, withdrawn only by editing it). */
export type ListedApproval = ApprovalRecord & { source: 'config' | 'api' };

export type AlertsEvent =
  | { type: 'state'; counter: CounterLive }
  | { type: 'alert'; alert: AlertRecord }
  | { type: 'equipment'; equipment: EquipmentView }
  | { type: 'env'; env: EnvReadingView };

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  alertId?: string;
  details: Record<string, unknown>;
}

export interface ChannelHealth {
  id: string;
  type: string;
  /**
   * ok: last attempt delivered; failing: consecutive failures ≥ 3; idle: never used since start;
   * broken: the platform refused for good (bad signature, keyword missing, robot removed) and the
   * channel sends nothing until the configuration is fixed and the service restarted.
   */
  status: 'ok' | 'failing' | 'idle' | 'broken';
  pending: number;
  consecutiveFailures: number;
  lastError?: string;
  lastSuccessAt?: number;
  sent: number;
  /** Failed delivery attempts since start (Prometheus hallwatch_alerts_channel_failures_total). */
  failures: number;
}

export interface AlertsService extends Service {
  readonly name: 'alerts';
  /** Every counter of a hall with its live state; [] for an unknown hall. */
  counters(hall: string): CounterLive[];
  equipment(hall: string): EquipmentView[];
  environment(hall: string): EnvReadingView[];
  /** Newest first. */
  listAlerts(filter: AlertFilter): AlertRecord[];
  getAlert(id: string): AlertRecord | undefined;
  /** Throws AlertNotFoundError, or AlertConflictError when the alert is already resolved. */
  acknowledge(id: string, by: string, note?: string): AlertRecord;
  /** Resolves by hand (reason `manual`). Throws AlertNotFoundError / AlertConflictError. */
  resolve(id: string, by: string, note?: string): AlertRecord;
  /**
   * R28: reassigns (`responsible`) or voids (`void`) an interruption, with a note; audited.
   * Throws AlertNotFoundError, NotAnInterruptionError (409) or AlertInputError (400).
   */
  attribute(id: string, change: AttributionInput, by: string): AlertRecord;
  listSilences(hall?: string): Silence[];
  /** Throws AlertInputError (field named) on bad input. */
  addSilence(input: SilenceInput, by: string): Silence;
  removeSilence(id: string, by: string): boolean;
  /** Live (not withdrawn) leave or closures, from the configuration and the API, by start. */
  listApprovals(kind: ApprovalKind, hall?: string): ListedApproval[];
  /** Applied to the live engine at once; audited. Throws AlertInputError (field named) on bad input. */
  addLeave(input: LeaveInput, approvedBy: string): ApprovalRecord;
  addClosure(input: ClosureInput, approvedBy: string): ApprovalRecord;
  /**
   * Withdraws one entered through the API (the withdrawal applies from now); false when unknown.
   * One listed in the configuration is not withdrawn here (false): edit the configuration.
   */
  removeApproval(kind: ApprovalKind, id: string, by: string): boolean;
  audit(filter?: { alertId?: string; limit?: number }): AuditEntry[];
  channels(): ChannelHealth[];
  /** 'state', 'alert', 'equipment', 'env' events as they happen (for SSE). Returns unsubscribe. */
  subscribe(listener: (e: AlertsEvent) => void): () => void;
  health(): ServiceHealth;
}

/** → HTTP 404 */
export class AlertNotFoundError extends HallWatchError {
  constructor(readonly id: string) {
    super(`alert ${id} not found`, 'not_found');
  }
}

/** → HTTP 409 */
export class AlertConflictError extends HallWatchError {
  constructor(
    readonly id: string,
    readonly status: AlertStatus,
  ) {
    super(`alert ${id} is already ${status}`, 'conflict');
  }
}

/** → HTTP 409: attribution (R28) applies to interruptions only. */
export class NotAnInterruptionError extends HallWatchError {
  constructor(
    readonly id: string,
    readonly type: AlertType,
  ) {
    super(`alert ${id} (${type}) is not an interruption`, 'conflict');
  }
}

/** → HTTP 400, naming the field. */
export class AlertInputError extends HallWatchError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`, 'invalid_input');
  }
}
