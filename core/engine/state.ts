// The engine's whole state as plain JSON data (the snapshot is this object), plus the context
// every rule module works with. Rule modules are functions over this state; none does I/O.
import type { ServiceCalendar, ServiceSession } from '../calendar/types.ts';
import { nextDate } from '../calendar/zone.ts';
import type { Config, CounterConfig, HallConfig, Rules } from '../config/index.ts';
import type { EquipmentStatus, Sign } from '../protocol/events.ts';
import type { CounterState, EnvMetric } from '../protocol/payloads.ts';
import type { Closure, Leave } from './approvals.ts';
import type { CoverageData } from './coverage.ts';
import type { TimerKind, TimerQueue, TimerQueueData } from './queue.ts';
import type { EngineAlert, EngineOutput } from './types.ts';

/** Timer tokens an owner holds: a popped timer whose seq differs is stale and ignored. */
export type TimerTokens = Partial<Record<TimerKind, number>>;

export interface Attribution {
  staff?: string;
  role?: 'a' | 'b' | 'staff';
  /** R28: how it was decided (badge-in, cover for someone on leave, roster). */
  basis?: 'badge' | 'cover' | 'roster';
  /** R24: the person on leave whom `staff` covers. */
  coverFor?: string;
}

/** An open piece of a state interval (closed → StateInterval). */
export interface Segment {
  state: Exclude<CounterState, 'closed'>;
  start: number;
  sessionStart: number;
  staff?: string;
  role?: 'a' | 'b' | 'staff';
  /** R23: on post but fewer than min(minStaff, available). */
  understaffed?: boolean;
}

/** One absence (0 staff on post while in session, evaluable). */
export interface Absence {
  /** Start of the absence clock (R4: last seat emptied; R12: reconnect; R8: pause lowered). */
  t0: number;
  /** R9/R22: began at or before the session start → late opening, then `not_opened` at T+noShowLimit. */
  late: boolean;
  /** R6: counter was multi-staffed this session → staffing_gap, sign ignored. */
  gap: boolean;
  /** R4: sign away seen at some moment of the absence (before an R5 alert). */
  awaySeen: boolean;
  /** The unattended/staffing_gap alert of this absence has opened. */
  alerted: boolean;
  deadline?: number;
  responsible: Attribution;
}

export interface CounterData {
  hall: string;
  counter: string;
  /** null = never reported since the engine started. */
  /** `ts`: latest report (stale guard); `since`: when the value last changed. */
  seats: Record<string, { occupied: boolean | null; ts: number; since: number }>;
  sign: Sign;
  signTs: number;
  /** R30: the sign's 去向 note and expected return, shown on the board and in absence alerts. */
  signNote?: string;
  signReturnBy?: number;
  /** R21: the 暂停服务 board in session: since when it counts, and whether service_paused opened. */
  pause: { since: number; deadline?: number; alerted: boolean } | null;
  /** When the 暂停服务 board last went up (sign changed to paused). */
  pausedAt?: number;
  /** R23: fewer on post than required, since when, and whether `understaffed` opened. */
  under: { since: number; deadline?: number; alerted: boolean } | null;
  /** R23: rostered staff not badged in at T+openingGrace this session (a later badge-in is late). */
  awaitBadge: string[];
  /** R29: latest queue length reported for the counter. */
  waiting: number;
  waitingTs: number;
  badges: { staff: string; ts: number }[];
  /** Rules are evaluable again from here (engine start, reconnect, pause lowered). */
  evalSince: number;
  offline: boolean;
  session: ServiceSession | null;
  /** R6 without a roster: ≥2 on post together in the current session (R23 uses the roster). */
  multiStaffed: boolean;
  absence: Absence | null;
  /** R10: end of the readiness window we are in (first session start), else null. */
  readinessUntil: number | null;
  notReadyOpen: boolean;
  lateOpen: boolean;
  state: CounterState;
  since: number;
  /** Latest instant a state change was applied at; later changes never go before it. */
  lastChange: number;
  segment: Segment | null;
  tm: TimerTokens;
}

export interface ScheduleData {
  hall: string;
  counter: string | null;
  session: ServiceSession | null;
  tm: TimerTokens;
}

export interface EquipmentData {
  hall: string;
  counter?: string;
  equipment: string;
  /** Last status reported; 'unknown' until the first report. */
  status: EquipmentStatus | 'unknown';
  /** Its heartbeat went silent (R12): the view shows 'unknown', alerts stay as they are. */
  offline: boolean;
  code?: string;
  detail?: string;
  since: number;
  ts: number;
  /** Device key of its heartbeat, when it has one. */
  device?: string;
  alerted: boolean;
  tm: TimerTokens;
}

export interface DeviceData {
  hall: string;
  device: string;
  heartbeatMs?: number;
  misses: number;
  lastSeen: number;
  statusTs: number;
  offline: false | 'lwt' | 'silence';
  offlineSince: number;
  alerted: boolean;
  /** The schedule whose service day bounds device_offline (R12). */
  schedule: string;
  counters: string[];
  equipment: string[];
  sensor?: string;
  tm: TimerTokens;
}

export interface EnvData {
  hall: string;
  sensor: string;
  metric: EnvMetric;
  readings: { ts: number; v: number }[];
  alerted: boolean;
  tm: TimerTokens;
}

export interface EngineState {
  now: number;
  timers: TimerQueueData;
  /** Open alerts by subject key `type|hall|subject`. */
  alerts: Record<string, EngineAlert>;
  counters: Record<string, CounterData>;
  schedules: Record<string, ScheduleData>;
  equipment: Record<string, EquipmentData>;
  devices: Record<string, DeviceData>;
  env: Record<string, EnvData>;
  /** R26: per hall, the watch over years without holiday data. */
  coverage: Record<string, CoverageData>;
  /** Last id used per alert subject key: a re-open at the same openedAt must not reuse it (R15). */
  lastIds: Record<string, string>;
  /** `${localDate}|${year}` of uncovered-year warnings already emitted (one a day, R1 "repeated"). */
  warned: string[];
  /** R24 approved leave by id (engine inputs). */
  leave: Record<string, Leave>;
  /** R24 approved closures by id, with when they were entered/removed (their effective window). */
  closures: Record<string, ClosureRecord>;
}

export interface ClosureRecord {
  closure: Closure;
  /** Absent for configured closures (known in advance). */
  enteredAt?: number;
  removedAt?: number;
}

export interface Ctx {
  config: Config;
  calendar: ServiceCalendar;
  st: EngineState;
  timers: TimerQueue;
  out: EngineOutput[];
  halls: Map<string, HallConfig>;
  counterCfg: Map<string, CounterConfig>;
  rules: Map<string, Rules>;
  staffNames: Map<string, string>;
  /** Equipment keys of each counter (counter key → equipment keys). */
  counterEquipment: Map<string, string[]>;
  /** Device keys whose device_offline window is each schedule's service day. */
  scheduleDevices: Map<string, string[]>;
  /** Memo of the local day last asked about (the hot paths ask for the same day all day). */
  day: { start: number; end: number; date: string };
  /** R24 leave (engine inputs) by `hall/staff`, derived from st.leave (rebuilt when it changes). */
  leaveByStaff: Map<string, Leave[]>;
  /** R24 closures by hall, derived from st.closures (rebuilt when they change). */
  closuresByHall: Map<string, ClosureRecord[]>;
  /** Memo of approved leave (legacy dated overrides) per `hall/counter/date`. */
  leave: Map<string, import('../calendar/types.ts').ApprovedLeave[]>;
  /** Last view sent per counter (not persisted: after a restore the first view is sent again). */
  lastViews: Map<string, string>;
  /**
   * The maps without change tracking (parts.ts): scans that only select go here, and change what
   * they select through `st`, so a scan over every counter does not mark every counter changed.
   */
  scan: Pick<EngineState, 'counters' | 'schedules' | 'equipment' | 'devices' | 'env' | 'coverage' | 'alerts'>;
  /** Heap size after the last compaction (compact again when it has grown well past it). */
  liveHint: number;
  /** Device key covering each counter (its controller) and each equipment / sensor. */
  deviceOf: Map<string, string>;
}

export const counterKey = (hall: string, counter: string) => `${hall}/${counter}`;
export const scheduleKey = (hall: string, counter: string | null) => (counter ? `${hall}/${counter}` : hall);
export const equipmentKey = (hall: string, counter: string | undefined, id: string) =>
  `${hall}/${counter ?? ''}/${id}`;

type HallMap = 'counters' | 'schedules' | 'equipment' | 'env' | 'alerts';

/** The entries of one hall: found in the untracked maps, returned through the tracked state. */
export function ofHall<M extends HallMap>(ctx: Ctx, map: M, hall: string): EngineState[M][string][] {
  const found: EngineState[M][string][] = [];
  for (const [k, v] of Object.entries(ctx.scan[map]))
    if (v.hall === hall) found.push((ctx.st[map] as Record<string, EngineState[M][string]>)[k]!);
  return found;
}

/** Arms (or re-arms) the owner's timer of this kind. */
export function arm(ctx: Ctx, owner: { tm: TimerTokens }, kind: TimerKind, key: string, at: number): void {
  owner.tm[kind] = ctx.timers.push(at, kind, key);
}

export function disarm(owner: { tm: TimerTokens }, kind: TimerKind): void {
  delete owner.tm[kind];
}

export function rulesOf(ctx: Ctx, hall: string, counter?: string | null): Rules {
  return ctx.rules.get(counter ? counterKey(hall, counter) : hall)!;
}

/** calendar.localDate with a one-day memo. */
export function localDateOf(ctx: Ctx, t: number): string {
  const d = ctx.day;
  if (t >= d.start && t < d.end) return d.date;
  const date = ctx.calendar.localDate(t);
  const start = ctx.calendar.startOfDay(date);
  const end = ctx.calendar.startOfDay(nextDate(date));
  ctx.day = { start, end, date };
  return date;
}

/** calendar.leaveOn with a memo (the configuration does not change while the engine runs). */
export function leaveOf(ctx: Ctx, hall: string, counter: string, date: string) {
  const key = `${hall}/${counter}/${date}`;
  let list = ctx.leave.get(key);
  if (!list) {
    if (ctx.leave.size > 50_000) ctx.leave.clear();
    list = ctx.calendar.leaveOn(hall, counter, date);
    ctx.leave.set(key, list);
  }
  return list;
}
