// Replay (issue 7): raw device points and approved leave/closures (at the instants they were
// entered) of a range → a fresh engine with the current rules and calendar, driven through
// core/engine/drive.ts like the live service → the derived counter_interval and alert points of
// that range, replaced. The same stored data always gives the same points (inputs in a fixed
// order, ticks on whole minutes).
import type { ServiceCalendar } from '../core/calendar/types.ts';
import { nextDate } from '../core/calendar/zone.ts';
import type { Config } from '../core/config/schema.ts';
import { approvalInputs, drive, type EngineInput, timeline } from '../core/engine/drive.ts';
import { createEngine } from '../core/engine/index.ts';
import type {
  EngineAlert,
  EngineOutput,
  LateArrival,
  ResolvedAlert,
  StateInterval,
} from '../core/engine/types.ts';
import {
  type AttributionChange,
  alertLine,
  engineAlertPoint,
  intervalLine,
  lateArrivalLine,
} from '../core/points/index.ts';
import { approvalsOf } from './approvals.ts';
import { deviceEvents, retainedStateAt } from './device-events.ts';
import { type InfluxClient, lit, ms, rowsOf } from './influx.ts';

const DAY_MS = 86_400_000;
const TICK_MS = 60_000;
/** How far back the retained state (seat, sign, equipment, device status) is looked for. */
const LOOKBACK_MS = 31 * DAY_MS;
/** After `to`, raw events are still read (up to a day, never past now) to learn how open alerts ended. */
const RUN_OUT_MS = DAY_MS;

export interface ReplayOptions {
  config: Config;
  calendar: ServiceCalendar;
  db: InfluxClient;
  hall: string;
  /** Local midnight the range starts at, and the (exclusive) end. */
  from: number;
  to: number;
  /** Wall-clock now: the run-out never reads past it. */
  now: number;
  onProgress?: (done: number, total: number, localDate: string) => void;
  /** Compute only, write nothing (for tests and a dry run). */
  dryRun?: boolean;
}

export interface ReplayResult {
  events: number;
  intervals: StateInterval[];
  alerts: (EngineAlert | ResolvedAlert)[];
  /** R23: personal late arrivals of the range. */
  lateArrivals: LateArrival[];
}

export async function replay(o: ReplayOptions): Promise<ReplayResult> {
  const engine = createEngine({ config: o.config, calendar: o.calendar, now: o.from });
  const intervals: StateInterval[] = [];
  const alerts = new Map<string, EngineAlert | ResolvedAlert>();
  const lateArrivals: LateArrival[] = [];
  const collect = (outs: EngineOutput[]) => {
    for (const out of outs) {
      if (out.kind === 'interval') {
        const i = out.interval;
        if (i.hall === o.hall && i.start >= o.from && i.start < o.to) intervals.push(i);
      } else if (out.kind === 'alert_opened' || out.kind === 'alert_resolved') {
        const a = out.alert;
        if (a.hall === o.hall && a.openedAt >= o.from && a.openedAt < o.to) alerts.set(a.id, a);
      } else if (out.kind === 'late_arrival') {
        const l = out.arrival;
        if (l.hall === o.hall && l.at >= o.from && l.at < o.to) lateArrivals.push(l);
      }
    }
  };

  // Every input reaches the engine through core/engine/drive.ts, as in the live service.
  const feed = (inputs: EngineInput[], until: number) => {
    drive(engine, timeline(inputs, clock, until, TICK_MS), collect);
    clock = Math.max(clock, until);
  };
  let clock = o.from;
  // Leave and closures at the instants they were entered and withdrawn, like the live engine.
  const runOutEnd = Math.min(o.to + RUN_OUT_MS, Math.max(o.now, o.to));
  const approvals = (await approvalsOf(o.db, o.hall, runOutEnd)).flatMap(approvalInputs);
  const approvalsIn = (a: number, b: number) => approvals.filter((i) => i.ts >= a && i.ts < b);
  feed(
    [
      ...approvals.filter((i) => i.ts < o.from),
      ...(await retainedStateAt(o.db, o.hall, o.from, LOOKBACK_MS)),
    ],
    o.from,
  );
  let events = 0;
  const days = Math.ceil((o.to - o.from) / DAY_MS);
  let day = 0;
  for (
    let start = o.from;
    start < o.to;
    start = o.calendar.startOfDay(nextDate(o.calendar.localDate(start)))
  ) {
    const end = Math.min(o.calendar.startOfDay(nextDate(o.calendar.localDate(start))), o.to);
    const inputs = await deviceEvents(o.db, o.hall, start, end);
    events += inputs.length;
    feed([...inputs, ...approvalsIn(start, end)], end);
    o.onProgress?.(++day, days, o.calendar.localDate(start));
  }
  // Run-out: intervals and alerts of the range that are still open close after `to`.
  const stillOpen = () => [...alerts.values()].some((a) => !('resolvedAt' in a));
  if (runOutEnd > o.to && stillOpen())
    for (const e of [
      ...(await deviceEvents(o.db, o.hall, o.to, runOutEnd)),
      ...approvalsIn(o.to, runOutEnd),
    ].sort((a, b) => a.ts - b.ts)) {
      feed([e], e.ts);
      if (!stillOpen()) break;
    }
  if (stillOpen()) feed([], runOutEnd);

  intervals.sort((a, b) => a.start - b.start || (a.counter < b.counter ? -1 : 1));
  const alertList = [...alerts.values()].sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1));
  if (!o.dryRun) {
    const range = `hall = ${lit(o.hall)} AND time >= ${ms(o.from)} AND time < ${ms(o.to)}`;
    // Supervisors' attribution decisions (R28) are not derived data: keep them on the same alert ids.
    const [kept] = await o.db.query([
      `SELECT id, attribution FROM alert WHERE ${range} AND attribution =~ /./`,
    ]);
    const decided = new Map(
      rowsOf(kept ?? []).map((r) => [String(r.id), JSON.parse(String(r.attribution)) as AttributionChange[]]),
    );
    await o.db.query([
      `DELETE FROM counter_interval WHERE ${range}`,
      `DELETE FROM alert WHERE ${range}`,
      `DELETE FROM late_arrival WHERE ${range}`,
    ]);
    await o.db.write([
      ...intervals.map(intervalLine),
      ...lateArrivals.map(lateArrivalLine),
      ...alertList.map((a) => alertLine(engineAlertPoint(a, decided.get(a.id)))),
    ]);
  }
  return { events, intervals, alerts: alertList, lateArrivals };
}
