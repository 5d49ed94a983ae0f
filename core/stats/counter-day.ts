// One counter's day facts from its sessions, stored intervals and alerts (DOMAIN §4, R8–R10, R13, R17, R18).
// The parts are measured by clipping intervals to the scheduled sessions, so they add up to the
// scheduled time by construction: whatever no interval covers is counted as unknown (no data).
import type { ServiceSession } from '../calendar/types.ts';
import {
  type DayFacts,
  type IntervalState,
  type StatsAlert,
  type StatsInterval,
  type StatsLateArrival,
  type StatsRules,
  ZERO_FACTS,
} from './types.ts';

export interface CounterDaysInput {
  counter: string;
  /** The counter's scheduled sessions overlapping [from, to), in order (closures already removed). */
  sessions: readonly ServiceSession[];
  /** The counter's stored intervals, any order. */
  intervals: readonly StatsInterval[];
  /** The counter's alerts (interruptions, not_ready and service_paused are used). */
  alerts: readonly StatsAlert[];
  /** R23: the counter's personal late arrivals (engine `late_arrival` outputs), if recorded. */
  lateArrivals?: readonly StatsLateArrival[];
  rules: StatsRules;
  from: number;
  to: number;
  localDateOf(t: number): string;
}

const PART: Record<IntervalState, 'staffedMs' | 'awayMs' | 'pausedMs' | 'unattendedMs' | 'unknownMs'> = {
  staffed: 'staffedMs',
  away: 'awayMs',
  paused: 'pausedMs',
  unattended: 'unattendedMs',
  unknown: 'unknownMs',
};
const isAbsent = (s: IntervalState) => s === 'away' || s === 'unattended';
/** R17 (v2): the alert types that are interruptions (缺位). */
export const INTERRUPTION_TYPES: ReadonlySet<string> = new Set([
  'unattended',
  'staffing_gap',
  'service_paused',
]);

/** The interval containing t (sorted, non-overlapping input), or null. */
export function intervalAt(sorted: readonly StatsInterval[], t: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const iv = sorted[mid]!;
    if (iv.end <= t) lo = mid + 1;
    else if (iv.start > t) hi = mid - 1;
    else return mid;
  }
  return -1;
}

export function counterDayFacts(input: CounterDaysInput): DayFacts[] {
  const { from, to, rules } = input;
  const days = new Map<string, DayFacts>();
  const facts = (localDate: string): DayFacts => {
    let f = days.get(localDate);
    if (!f) {
      f = { counter: input.counter, localDate, ...ZERO_FACTS };
      days.set(localDate, f);
    }
    return f;
  };
  const intervals = [...input.intervals].sort((a, b) => a.start - b.start || a.end - b.end);
  const sessions = input.sessions
    .map((s) => ({ s, start: Math.max(s.start, from), end: Math.min(s.end, to) }))
    .filter((c) => c.end > c.start);

  // --- parts: clip intervals to sessions; overlapping intervals (bad data) are counted once ---
  let inRangeMs = 0;
  for (const iv of intervals) inRangeMs += Math.max(0, Math.min(iv.end, to) - Math.max(iv.start, from));
  let coveredTotal = 0;
  let first = 0;
  for (const c of sessions) {
    const f = facts(c.s.localDate);
    f.scheduledMs += c.end - c.start;
    let coveredUntil = c.start;
    let covered = 0;
    while (first < intervals.length && intervals[first]!.end <= c.start) first++;
    for (let i = first; i < intervals.length && intervals[i]!.start < c.end; i++) {
      const iv = intervals[i]!;
      const a = Math.max(iv.start, coveredUntil);
      const b = Math.min(iv.end, c.end);
      if (b <= a) continue;
      f[PART[iv.state]] += b - a;
      if (iv.understaffed) f.understaffedMs += b - a;
      if (iv.earlyLeave && isAbsent(iv.state)) f.earlyLeaveMs += b - a;
      covered += b - a;
      coveredUntil = b;
    }
    f.noDataMs += c.end - c.start - covered;
    f.unknownMs += c.end - c.start - covered;
    coveredTotal += covered;
  }
  if (sessions.length > 0 && inRangeMs > coveredTotal) {
    facts(sessions[0]!.s.localDate).outsideScheduleMs += inRangeMs - coveredTotal;
  }

  // --- absences: runs of away/unattended intervals that touch, inside one session ---
  let si = 0;
  let run: { session: (typeof sessions)[number]; start: number; end: number; late: boolean } | null = null;
  const closeRun = () => {
    if (run && !run.late) {
      const f = facts(run.session.s.localDate);
      const len = run.end - run.start;
      f.absences++;
      f.absenceMs += len;
      if (len > rules.awayLimitMs) f.overLimitAbsences++;
    }
    run = null;
  };
  for (const iv of intervals) {
    while (si < sessions.length && sessions[si]!.end <= iv.start) si++;
    const c = sessions[si];
    const inSession = c && iv.start >= c.start && iv.start < c.end;
    if (!inSession || !isAbsent(iv.state)) {
      closeRun();
      continue;
    }
    const end = Math.min(iv.end, c.end);
    if (run && run.session === c && run.end === iv.start) run.end = end;
    else {
      closeRun();
      // An empty counter at the session start is a late opening (R9), not an absence.
      run = { session: c, start: iv.start, end, late: iv.start <= c.s.start };
    }
  }
  closeRun();

  // --- openings (R9), readiness of the first session (R10), paused at opening (R8) ---
  const notReady = input.alerts.filter((a) => a.type === 'not_ready' && a.reason !== 'retracted');
  for (const c of sessions) {
    const T = c.s.start;
    if (T < from || T >= to) continue;
    const f = facts(c.s.localDate);
    f.sessions++;
    const at = Math.min(T + rules.openingGraceMs, c.s.end - 1);
    const i = intervalAt(intervals, at);
    const state: IntervalState = i < 0 ? 'unknown' : intervals[i]!.state;
    if (state === 'unknown') f.sessionsUnknownAtOpening++;
    else if (state === 'staffed') f.onTimeOpenings++;
    else if (isAbsent(state)) {
      f.lateOpenings++;
      let arrival = c.s.end;
      for (let j = i; j < intervals.length && intervals[j]!.start < c.s.end; j++)
        if (intervals[j]!.state === 'staffed') {
          arrival = intervals[j]!.start;
          break;
        }
      f.lateMs += Math.max(0, arrival - T);
    }
    if (c.s.index === 0) {
      f.firstSessions++;
      if (state !== 'unknown') {
        f.firstSessionsKnown++;
        const probe = T - rules.readinessLeadMs;
        const wasNotReady = notReady.some(
          (a) => a.openedAt <= probe && (a.resolvedAt === undefined || a.resolvedAt > probe),
        );
        if (state !== 'paused' && !wasNotReady) f.readySessions++;
      }
    }
  }

  // --- interruptions (R17 v2): opened, not retracted, not voided (R28); waiting citizens (R29) ---
  for (const a of input.alerts) {
    if (!INTERRUPTION_TYPES.has(a.type) || a.reason === 'retracted') continue;
    if (a.openedAt < from || a.openedAt >= to) continue;
    const f = facts(input.localDateOf(a.openedAt));
    if (a.voided) {
      f.voided++;
      continue;
    }
    f.interruptions++;
    f.waitingAffected += a.waiting ?? 0;
    // R21: paused beyond the limit = the life of the service_paused alert.
    if ((a.type as string) === 'service_paused')
      f.pausedOverLimitMs += Math.max(0, Math.min(a.resolvedAt ?? to, to) - a.openedAt);
  }

  // --- personal late arrivals (R23) ---
  for (const l of input.lateArrivals ?? []) {
    if (l.at < from || l.at >= to) continue;
    facts(input.localDateOf(l.at)).lateArrivals++;
  }

  return [...days.values()].sort((a, b) => (a.localDate < b.localDate ? -1 : 1));
}
