// Derived points (docs/data-model.md): counter_state, counter_interval and alert. The live ingest,
// replay and the test fixtures all encode through here, so a replayed range reads like a live one.
import { alertSubject } from '../protocol/alert-subject.ts';
import type { ApprovalRecord } from '../protocol/approval.ts';
import type { AlertObject, CounterStatePayload } from '../protocol/payloads.ts';
import { int, line } from './line-protocol.ts';

/** A closed counter-state interval as published (core/engine StateInterval). */
export interface IntervalPoint {
  hall: string;
  counter: string;
  state: string;
  start: number;
  end: number;
  localDate: string;
  staff?: string | undefined;
  role?: 'a' | 'b' | 'staff' | undefined;
  earlyLeave?: boolean | undefined;
  understaffed?: boolean | undefined;
}

/** One change of an interruption's attribution (R28): who decided, when, why. */
export interface AttributionChange {
  at: number;
  by: string;
  note: string;
  /** The staff charged after the change (absent when the change voids the alert). */
  responsible?: string;
  /** Who was charged before. */
  previous?: string;
  void?: boolean;
}

/** What identifies an alert's point (series + time) and what does not change over its life. */
export interface AlertSeries {
  hall: string;
  type: string;
  severity: string;
  openedAt: number;
  /** The alert-subject tag (older ingest index files lack it: derived from counter/equipment then). */
  subject?: string;
  counter?: string;
  equipment?: string;
  responsible?: string;
}

/** The alert's point: its series plus where its life stands. */
export interface AlertPoint extends AlertSeries {
  id: string;
  status: AlertObject['status'];
  resolvedAt?: number | undefined;
  reason?: string | undefined;
  /** R28: voided by a supervisor (counted nowhere); distinct from a `retracted` reason. */
  voided?: boolean | undefined;
  /** R28: every attribution change, oldest first. */
  attribution?: AttributionChange[] | undefined;
  /** R29: the most citizens waiting during the alert. */
  waiting?: number | undefined;
}

/** Point time = `since`: a retained state delivered again overwrites the same point. */
export function counterStateLine(hall: string, counter: string, s: CounterStatePayload): string {
  return line(
    'counter_state',
    [
      ['counter', counter],
      ['hall', hall],
    ],
    [
      ['state', s.state],
      ['staff_on_post', int(s.staffOnPost)],
    ],
    s.since,
  );
}

/** Point time = interval start. */
export function intervalLine(i: IntervalPoint): string {
  return line(
    'counter_interval',
    [
      ['counter', i.counter],
      ['hall', i.hall],
      ['role', i.role],
      ['state', i.state],
    ],
    [
      ['duration_s', (i.end - i.start) / 1000],
      ['start_ms', int(i.start)],
      ['end_ms', int(i.end)],
      ['staff', i.staff],
      ['early_leave', i.earlyLeave ?? false],
      ['understaffed', i.understaffed ? true : undefined],
      ['local_date', i.localDate],
    ],
    i.start,
  );
}

/** R23: a rostered person's late first badge-in (core/engine LateArrival), as published. */
export interface LateArrivalPoint {
  hall: string;
  counter: string;
  staff: string;
  sessionStart: number;
  at: number;
  lateSeconds: number;
}

/** Point time = the badge-in instant; one point per person and session (a repeat overwrites it). */
export function lateArrivalLine(l: LateArrivalPoint): string {
  return line(
    'late_arrival',
    [
      ['counter', l.counter],
      ['hall', l.hall],
      ['staff', l.staff],
    ],
    [
      ['late_s', l.lateSeconds],
      ['session_start_ms', int(l.sessionStart)],
    ],
    l.at,
  );
}

/**
 * One point per alert (time = openedAt): later states of the same alert (acknowledged, resolved,
 * re-attributed) are written to the same series and time, so InfluxDB merges them into that point.
 */
export function alertLine(p: AlertPoint): string {
  return line(
    'alert',
    [
      ['hall', p.hall],
      ['severity', p.severity],
      ['subject', p.subject ?? alertSubject(p)],
      ['type', p.type],
    ],
    [
      ['id', p.id],
      ['responsible', p.responsible],
      ['counter', p.counter],
      ['equipment', p.equipment],
      ['status', p.status],
      ['opened_at_ms', int(p.openedAt)],
      ['resolved_at_ms', p.resolvedAt !== undefined ? int(p.resolvedAt) : undefined],
      ['reason', p.reason],
      ['voided', p.voided ? true : undefined],
      ['attribution', p.attribution?.length ? JSON.stringify(p.attribution) : undefined],
      ['waiting', p.waiting !== undefined ? int(p.waiting) : undefined],
    ],
    p.openedAt,
  );
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The series of an alert object as published on hall/{h}/alerts/{id} (CONTRACT §6). */
export function alertSeriesOf(a: AlertObject): AlertSeries {
  const d = a.details;
  const { responsible } = currentAttribution(d);
  return {
    hall: a.hall,
    type: a.type,
    severity: a.severity,
    openedAt: a.openedAt,
    subject: alertSubject({
      counter: a.counter,
      equipment: a.equipment,
      device: text(d.device),
      sensor: text(d.sensor),
      metric: text(d.metric),
    }),
    ...(a.counter !== undefined ? { counter: a.counter } : {}),
    ...(a.equipment !== undefined ? { equipment: a.equipment } : {}),
    ...(responsible ? { responsible } : {}),
  };
}

/**
 * R28: who an interruption is charged to now and whether it is voided, from the engine's decision
 * (`details.responsible`) and the supervisors' changes since (`details.attribution`, oldest first).
 */
export function currentAttribution(details: Record<string, unknown>): {
  responsible?: string;
  voided: boolean;
  changes: AttributionChange[];
} {
  const changes = Array.isArray(details.attribution) ? (details.attribution as AttributionChange[]) : [];
  let responsible = text((details.responsible as { staff?: unknown } | undefined)?.staff);
  let voided = false;
  for (const c of changes) {
    if (c.void) voided = true;
    else if (c.responsible) {
      responsible = c.responsible;
      voided = false;
    }
  }
  return { ...(responsible ? { responsible } : {}), voided, changes };
}

/** The point of an alert object (the alerts service's MQTT message). */
export function alertPointOf(a: AlertObject): AlertPoint {
  const d = a.details;
  const now = currentAttribution(d);
  return {
    ...alertSeriesOf(a),
    id: a.id,
    status: a.status,
    resolvedAt: a.resolvedAt,
    reason: text(d.reason),
    voided: now.voided || undefined,
    attribution: now.changes.length ? now.changes : undefined,
    waiting: typeof d.waiting === 'number' ? d.waiting : undefined,
  };
}

/** The engine's view of an alert (core/engine EngineAlert or ResolvedAlert), as replay sees it. */
export interface EngineAlertLike {
  id: string;
  type: string;
  severity: string;
  hall: string;
  counter?: string | undefined;
  equipment?: string | undefined;
  device?: string | undefined;
  sensor?: string | undefined;
  metric?: string | undefined;
  openedAt: number;
  responsible?: { staff: string } | undefined;
  details?: Record<string, unknown>;
  resolvedAt?: number;
  reason?: string;
}

/**
 * The point of an engine alert: what the live ingest stores for it once it has resolved (or while
 * open). `attribution`: the supervisors' changes (R28) the stored point already had — a replay keeps them.
 */
export function engineAlertPoint(a: EngineAlertLike, attribution: AttributionChange[] = []): AlertPoint {
  const resolved = a.resolvedAt !== undefined;
  const now = currentAttribution({ ...(a.responsible ? { responsible: a.responsible } : {}), attribution });
  const waiting = a.details?.waiting;
  return {
    hall: a.hall,
    type: a.type,
    severity: a.severity,
    openedAt: a.openedAt,
    subject: alertSubject(a),
    ...(a.counter ? { counter: a.counter } : {}),
    ...(a.equipment ? { equipment: a.equipment } : {}),
    ...(now.responsible ? { responsible: now.responsible } : {}),
    id: a.id,
    status: resolved ? 'resolved' : 'open',
    ...(resolved ? { resolvedAt: a.resolvedAt, reason: a.reason } : {}),
    ...(now.voided ? { voided: true } : {}),
    ...(attribution.length ? { attribution } : {}),
    ...(typeof waiting === 'number' ? { waiting } : {}),
  };
}

/**
 * One point per approved leave or closure (R24), time = when it was entered; its withdrawal is
 * written to the same point (`removed_at_ms`). Replay and the statistics read these back.
 */
export function approvalLine(a: ApprovalRecord): string {
  return line(
    'approval',
    [
      ['hall', a.hall],
      ['kind', a.kind],
    ],
    [
      ['id', a.id],
      ['staff', a.staff],
      ['counter', a.counter],
      ['from_ms', int(a.from)],
      ['to_ms', int(a.to)],
      ['reason', a.reason],
      ['approved_by', a.approvedBy],
      ['removed_at_ms', a.removedAt !== undefined ? int(a.removedAt) : undefined],
      ['removed_by', a.removedBy],
    ],
    a.enteredAt,
  );
}
