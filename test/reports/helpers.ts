// Fixtures for the reports tests: a real influxd, device events at local times, a live-style
// engine run (one tick a second) and line protocol in the stored model (docs/data-model.md).
import type { ServiceCalendar } from '../../core/calendar/types.ts';
import type { Config } from '../../core/config/schema.ts';
import { drive, type EngineInput, timeline } from '../../core/engine/drive.ts';
import { createEngine } from '../../core/engine/index.ts';
import type {
  CounterStateChange,
  EngineAlert,
  LateArrival,
  ResolvedAlert,
  StateInterval,
} from '../../core/engine/types.ts';
import {
  alertLine,
  deviceLine,
  engineAlertPoint,
  intervalLine,
  lateArrivalLine,
} from '../../core/points/index.ts';
import type { DeviceEvent, EquipmentStatus, Sign } from '../../core/protocol/events.ts';
import { formatTopic } from '../../core/protocol/topics.ts';
import { createInfluxClient, type InfluxClient } from '../../reports/influx.ts';
import { createLogger } from '../../runtime/logger.ts';
import { at } from '../core/stats/fixtures.ts';
import { startTestInfluxd } from '../helpers/influxd.ts';

export const HALL = 'cz-main';
export const logger = createLogger('silent');

export async function influxWithDb(database = 'hallwatch') {
  const influxd = await startTestInfluxd();
  await influxd.query(`CREATE DATABASE ${database}`);
  const db = createInfluxClient({ url: influxd.url, database });
  return { influxd, db, target: { url: influxd.url, database } };
}

const base = (ts: number, topic: string) => ({ hall: HALL, ts, tsFromDevice: true, receivedAt: ts, topic });
export const seat = (
  date: string,
  time: string,
  counter: string,
  s: string,
  occupied: boolean,
): DeviceEvent => ({
  ...base(at(date, time), formatTopic({ kind: 'seat', hall: HALL, counter, seat: s })),
  kind: 'seat',
  counter,
  seat: s,
  occupied,
});
export const sign = (date: string, time: string, counter: string, value: Sign): DeviceEvent => ({
  ...base(at(date, time), formatTopic({ kind: 'sign', hall: HALL, counter })),
  kind: 'sign',
  counter,
  sign: value,
});
export const equipment = (
  date: string,
  time: string,
  counter: string | undefined,
  id: string,
  status: EquipmentStatus,
): DeviceEvent => ({
  ...base(at(date, time), formatTopic({ kind: 'equipment', hall: HALL, counter, equipment: id } as never)),
  kind: 'equipment',
  ...(counter ? { counter } : {}),
  equipment: id,
  status,
});
export const badge = (date: string, time: string, counter: string, staff: string): DeviceEvent => ({
  ...base(at(date, time), formatTopic({ kind: 'badge', hall: HALL, counter })),
  kind: 'badge',
  counter,
  staff,
  action: 'in',
});
/** R29: the queue system's count of citizens waiting at a counter. */
export const queue = (date: string, time: string, counter: string, waiting: number): DeviceEvent => ({
  ...base(at(date, time), formatTopic({ kind: 'queue', hall: HALL, counter })),
  kind: 'queue',
  counter,
  waiting,
});
export const env = (date: string, time: string, sensor: string, lux: number): DeviceEvent => ({
  ...base(at(date, time), formatTopic({ kind: 'env', hall: HALL, sensor })),
  kind: 'env',
  sensor,
  readings: { lux },
});

/** Raw device points as the ingest stores them (the one encoder of the stored model). */
export { deviceLine };

/** The engine as the alerts service runs it: events (and approvals) as they come, a tick every second. */
export function runLive(
  config: Config,
  calendar: ServiceCalendar,
  events: EngineInput[],
  from: number,
  to: number,
) {
  const engine = createEngine({ config, calendar, now: from });
  const intervals: StateInterval[] = [];
  const alerts = new Map<string, EngineAlert | ResolvedAlert>();
  const lateArrivals: LateArrival[] = [];
  const states: CounterStateChange[] = [];
  const take = (outs: ReturnType<typeof engine.tick>) => {
    for (const o of outs) {
      if (o.kind === 'state') states.push(o.change);
      if (o.kind === 'interval') intervals.push(o.interval);
      if (o.kind === 'late_arrival') lateArrivals.push(o.arrival);
      if (o.kind === 'alert_opened' || o.kind === 'alert_resolved') alerts.set(o.alert.id, o.alert);
    }
  };
  drive(engine, timeline(events, from, to, 1000), take);
  return { intervals, alerts: [...alerts.values()], lateArrivals, states };
}

export async function writeAll(db: InfluxClient, lines: string[]) {
  await db.write(lines);
}

export const derivedLines = (r: {
  intervals: StateInterval[];
  alerts: (EngineAlert | ResolvedAlert)[];
  lateArrivals?: LateArrival[];
}) => [
  ...r.intervals.map(intervalLine),
  ...(r.lateArrivals ?? []).map(lateArrivalLine),
  ...r.alerts.map((a) => alertLine(engineAlertPoint(a))),
];

export const D = '2026-03-09';
// w07: S01 away 599 s, an unsigned absence 10:40–10:45 (alert 10:42), S04 lunch edge 480 s away +
// early leave, S05 late after lunch 260 s, paused 15:00–15:30. w12: two staff all day; E2001
// badges in on time, E2002 at 09:20:00 — a personal late arrival of 1,200 s (R23).
export const SCRIPT = [
  seat(D, '08:40:00', 'w07', 's1', true),
  sign(D, '08:40:00', 'w07', 'none'),
  equipment(D, '08:30:00', 'w07', 'pc', 'ok'),
  equipment(D, '08:30:00', 'w07', 'printer', 'ok'),
  sign(D, '10:01:30', 'w07', 'away'),
  seat(D, '10:02:00', 'w07', 's1', false),
  seat(D, '10:11:59', 'w07', 's1', true),
  sign(D, '10:12:30', 'w07', 'none'),
  seat(D, '10:40:00', 'w07', 's1', false),
  seat(D, '10:45:00', 'w07', 's1', true),
  sign(D, '11:51:50', 'w07', 'away'),
  seat(D, '11:52:00', 'w07', 's1', false),
  seat(D, '13:34:20', 'w07', 's1', true),
  sign(D, '13:35:00', 'w07', 'none'),
  sign(D, '15:00:00', 'w07', 'paused'),
  sign(D, '15:30:00', 'w07', 'none'),
  seat(D, '08:50:00', 'w12', 's1', true),
  seat(D, '08:51:00', 'w12', 's2', true),
  badge(D, '08:50:00', 'w12', 'E2001'),
  badge(D, '09:20:00', 'w12', 'E2002'),
];

/** An unattended alert at w07 charged to `staff` (A role for E1023, else B), as the engine stores it. */
export function interruption(
  date: string,
  time: string,
  staff: string,
  more: Partial<ResolvedAlert> = {},
): EngineAlert {
  const openedAt = at(date, time);
  return {
    id: `unattended-w07-${openedAt}`,
    type: 'unattended',
    severity: 'critical',
    hall: HALL,
    counter: 'w07',
    openedAt,
    message: '',
    details: {},
    responsible: { staff, role: staff === 'E1023' ? 'a' : 'b' },
    ...more,
  } as EngineAlert;
}
