// A simulated past of the hall in the stored model: the simulator's events of each local day, run
// through the real engine with core/engine/drive.ts (the one path of the live service and replay),
// and encoded with core/points like the ingest does — raw device points, counter_state,
// counter_interval, late_arrival and alert points. Pure: the caller writes the lines.
//
// Heartbeats are left out: a month of them is 2.4 million messages saying only "still online",
// and the simulator never takes a device offline. The engine runs with the heartbeat deadlines
// removed, so it sees every device online throughout, as the simulator has it.
import type { ServiceCalendar } from '../core/calendar/types.ts';
import { nextDate } from '../core/calendar/zone.ts';
import type { Config } from '../core/config/schema.ts';
import { drive, timeline } from '../core/engine/drive.ts';
import { createEngine } from '../core/engine/index.ts';
import type { EngineOutput } from '../core/engine/types.ts';
import {
  alertLine,
  counterStateLine,
  deviceLine,
  engineAlertPoint,
  intervalLine,
  lateArrivalLine,
} from '../core/points/index.ts';
import { createHallModel } from './hall.ts';

/** Engine ticks of the history: whole minutes, as replay uses. */
const TICK_MS = 60_000;

/** The configuration without heartbeat deadlines: devices count as online for as long as they are quiet. */
export function withoutHeartbeats(config: Config): Config {
  return {
    ...config,
    halls: config.halls.map((h) => ({
      ...h,
      devices: h.devices.map(({ heartbeat: _d, ...d }) => d),
      sensors: h.sensors.map(({ heartbeat: _s, ...s }) => s),
      equipment: h.equipment.map(({ heartbeat: _e, ...e }) => e),
      counters: h.counters.map(({ heartbeat: _c, ...c }) => ({
        ...c,
        equipment: c.equipment.map(({ heartbeat: _e, ...e }) => e),
      })),
    })),
  };
}

export interface HistoryDay {
  /** Local date of the day (the last one may be cut short at `to`). */
  date: string;
  /** Line-protocol points (ms timestamps) of the day, device points first. */
  lines: string[];
  events: number;
  intervals: number;
  alerts: number;
}

/** The output of the engine as the stored model has it (what the ingest writes for the live service). */
export function outputLines(out: EngineOutput[], lines: string[]): { intervals: number; alerts: number } {
  let intervals = 0;
  let alerts = 0;
  for (const o of out) {
    if (o.kind === 'state')
      lines.push(
        counterStateLine(o.change.hall, o.change.counter, {
          state: o.change.state,
          since: o.change.since,
          staffOnPost: o.change.staffOnPost,
        }),
      );
    else if (o.kind === 'interval') {
      lines.push(intervalLine(o.interval));
      intervals++;
    } else if (o.kind === 'late_arrival') lines.push(lateArrivalLine(o.arrival));
    else if (o.kind === 'alert_opened' || o.kind === 'alert_resolved') {
      // Same series and time (openedAt): the resolved point overwrites the opened one.
      lines.push(alertLine(engineAlertPoint(o.alert)));
      if (o.kind === 'alert_opened') alerts++;
    }
  }
  return { intervals, alerts };
}

/**
 * Every local day touching [from, to), one at a time (a month never sits in memory at once).
 * Same config, seed and range → the same lines.
 */
export function* simulatedHistory(o: {
  config: Config;
  calendar: ServiceCalendar;
  seed: string | number;
  from: number;
  to: number;
  halls?: string[];
}): Generator<HistoryDay> {
  const config = withoutHeartbeats(o.config);
  const model = createHallModel(config, {
    seed: o.seed,
    calendar: o.calendar,
    heartbeats: false,
    ...(o.halls ? { halls: o.halls } : {}),
  });
  const engine = createEngine({ config, calendar: o.calendar, now: o.from });
  for (let start = o.from; start < o.to; ) {
    const date = o.calendar.localDate(start);
    const end = Math.min(o.calendar.startOfDay(nextDate(date)), o.to);
    const events = model.eventsBetween(start, end).map((e) => e.event);
    const lines = events.map(deviceLine);
    const day: HistoryDay = { date, lines, events: events.length, intervals: 0, alerts: 0 };
    drive(engine, timeline(events, start, end, TICK_MS), (out) => {
      if (!out.length) return;
      const n = outputLines(out, lines);
      day.intervals += n.intervals;
      day.alerts += n.alerts;
    });
    yield day;
    start = end;
  }
}
