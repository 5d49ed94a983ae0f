// Inputs and intermediate facts of the statistics (DOMAIN §4). Pure data; every duration in ms.
import type { AttributionChange } from '../points/derived.ts';
import type { AlertType } from '../protocol/payloads.ts';

export type IntervalState = 'staffed' | 'away' | 'paused' | 'unattended' | 'unknown';
export const INTERVAL_STATES: readonly IntervalState[] = [
  'staffed',
  'away',
  'paused',
  'unattended',
  'unknown',
];

/** A closed counter-state interval as stored (core/engine StateInterval, minus what storage drops). */
export interface StatsInterval {
  counter: string;
  state: IntervalState;
  start: number;
  end: number;
  staff?: string;
  role?: 'a' | 'b' | 'staff';
  earlyLeave?: boolean;
  /** R23: staffed, but fewer on post than min(minStaff, available). */
  understaffed?: boolean;
}

/** R23: a rostered person's first badge-in after T+openingGrace (core/engine LateArrival). */
export interface StatsLateArrival {
  counter: string;
  staff: string;
  sessionStart: number;
  at: number;
  lateSeconds: number;
}

/** An alert as stored: its final lifecycle (a retracted alert is not an interruption, R15). */
export interface StatsAlert {
  id: string;
  type: AlertType;
  counter?: string;
  equipment?: string;
  openedAt: number;
  resolvedAt?: number;
  reason?: string;
  /** R7/R17 responsible staff, when the alert carries it (R28: the current attribution). */
  responsible?: string;
  /** R28: voided by a supervisor: counted nowhere. */
  voided?: boolean;
  /** R29: the most citizens waiting during the alert. */
  waiting?: number;
  /** R28: every attribution change, oldest first. */
  attribution?: AttributionChange[];
}

/** A service window [start, end) in epoch ms. */
export interface Window {
  start: number;
  end: number;
}

/** The rule limits statistics need, per counter (core/config rulesFor). */
export interface StatsRules {
  awayLimitMs: number;
  openingGraceMs: number;
  readinessLeadMs: number;
}

/** Everything counted for one counter on one local day; sums of these make every period. */
export interface DayFacts {
  counter: string;
  localDate: string;
  scheduledMs: number;
  staffedMs: number;
  awayMs: number;
  pausedMs: number;
  unattendedMs: number;
  /** Unknown state plus scheduled time with no recorded interval at all. */
  unknownMs: number;
  /** Scheduled time without any recorded interval (part of unknownMs). */
  noDataMs: number;
  absences: number;
  absenceMs: number;
  overLimitAbsences: number;
  earlyLeaveMs: number;
  interruptions: number;
  sessions: number;
  sessionsUnknownAtOpening: number;
  onTimeOpenings: number;
  lateOpenings: number;
  lateMs: number;
  firstSessions: number;
  firstSessionsKnown: number;
  readySessions: number;
  /** Recorded interval time outside today's scheduled sessions (calendar changed since: replay). */
  outsideScheduleMs: number;
  /** R21: time of `service_paused` alerts (paused beyond pausedLimit), by the day they opened. */
  pausedOverLimitMs: number;
  /** R23: staffed time with fewer on post than required. */
  understaffedMs: number;
  /** R23: personal late arrivals (迟到) of rostered staff. */
  lateArrivals: number;
  /** R29: 受影响等候人次 — citizens waiting during counted interruptions. */
  waitingAffected: number;
  /** R28: interruptions voided by a supervisor (not counted in `interruptions`). */
  voided: number;
}

export const ZERO_FACTS: Omit<DayFacts, 'counter' | 'localDate'> = {
  scheduledMs: 0,
  staffedMs: 0,
  awayMs: 0,
  pausedMs: 0,
  unattendedMs: 0,
  unknownMs: 0,
  noDataMs: 0,
  absences: 0,
  absenceMs: 0,
  overLimitAbsences: 0,
  earlyLeaveMs: 0,
  interruptions: 0,
  sessions: 0,
  sessionsUnknownAtOpening: 0,
  onTimeOpenings: 0,
  lateOpenings: 0,
  lateMs: 0,
  firstSessions: 0,
  firstSessionsKnown: 0,
  readySessions: 0,
  outsideScheduleMs: 0,
  pausedOverLimitMs: 0,
  understaffedMs: 0,
  lateArrivals: 0,
  waitingAffected: 0,
  voided: 0,
};

export type SummableFacts = Omit<DayFacts, 'counter' | 'localDate'>;
