// The simulated hall: who publishes what (controllers, the hall device, env sensors) and every
// event in a time window, planned per local day and cached. Pure apart from the cache.
import { createCalendar } from '../core/calendar/index.ts';
import type { ServiceCalendar } from '../core/calendar/types.ts';
import { nextDate } from '../core/calendar/zone.ts';
import type { Config, HallConfig } from '../core/config/schema.ts';
import { formatTopic } from '../core/protocol/topics.ts';
import { type EnvSource, envEvents, type Heartbeat, heartbeats, planHallDay } from './ambient.ts';
import { byTime, ev, type SimEvent } from './events.ts';
import { type Behaviour, DEFAULT_BEHAVIOUR, planCounterDay } from './staff.ts';

const DAY = 86_400_000;

export interface SimIdentity {
  controller: string;
  hall: string;
  /** MQTT username the controller logs in with. */
  username: string;
}

export interface HallModel {
  identities: SimIdentity[];
  /** Every event with from <= ts < to, in time order. */
  eventsBetween(from: number, to: number): SimEvent[];
  /** The retained state at t (last seat, sign and equipment message per topic), in time order. */
  retainedAt(t: number): SimEvent[];
}

interface HallPlan {
  hall: HallConfig;
  controllerOf: Map<string, string>;
  hallDevice: string | undefined;
  heartbeats: Heartbeat[];
  env: EnvSource[];
}

const durationMs = (ms: number | undefined, fallback: number) => ms ?? fallback;

export function createHallModel(
  config: Config,
  opts: {
    seed: string | number;
    halls?: string[];
    behaviour?: Behaviour;
    calendar?: ServiceCalendar;
    /** false: leave out the periodic heartbeats (fast fixtures of staff behaviour). */
    heartbeats?: boolean;
  },
): HallModel {
  const calendar = opts.calendar ?? createCalendar(config);
  const behaviour = opts.behaviour ?? DEFAULT_BEHAVIOUR;
  const users = config.mqtt.users;
  const identities = new Map<string, SimIdentity>();
  const identify = (hall: string, controller: string) => {
    const user = users.find((u) => (u.device ?? u.username) === controller && (!u.hall || u.hall === hall));
    identities.set(controller, { controller, hall, username: user?.username ?? controller });
  };
  const plans: HallPlan[] = config.halls
    .filter((h) => !opts.halls || opts.halls.includes(h.id))
    .map((hall) => {
      const controllerOf = new Map<string, string>();
      const beats = new Map<string, number>();
      for (const c of hall.counters) {
        const user = users.find((u) => u.role === 'counter' && u.hall === hall.id && u.counter === c.id);
        const controller = c.controller ?? user?.device ?? user?.username;
        if (!controller) continue;
        controllerOf.set(c.id, controller);
        beats.set(controller, Math.min(beats.get(controller) ?? Infinity, durationMs(c.heartbeat, 30_000)));
      }
      const hallUser = users.find((u) => u.role === 'hall-device' && u.hall === hall.id);
      const hallDevice = hall.devices[0]?.id ?? hallUser?.device ?? hallUser?.username;
      if (hallDevice) beats.set(hallDevice, durationMs(hall.devices[0]?.heartbeat, 30_000));
      for (const [controller] of beats) identify(hall.id, controller);
      const env: EnvSource[] = [];
      for (const s of hall.sensors) {
        const controller = s.counter ? controllerOf.get(s.counter) : hallDevice;
        if (controller) env.push({ sensor: s.id, controller, periodMs: durationMs(s.heartbeat, 60_000) });
      }
      return {
        hall,
        controllerOf,
        hallDevice,
        heartbeats: [...beats].map(([controller, periodMs]) => ({ controller, periodMs })),
        env,
      };
    });

  const dayCache = new Map<string, SimEvent[]>();
  const dayPlan = (p: HallPlan, date: string): SimEvent[] => {
    const key = `${p.hall.id}/${date}`;
    let events = dayCache.get(key);
    if (!events) {
      events = planHallDay(p.hall, p.hallDevice, calendar.sessionsOn(p.hall.id, null, date), opts.seed, date);
      for (const c of p.hall.counters) {
        const controller = p.controllerOf.get(c.id);
        if (controller)
          events.push(
            ...planCounterDay(
              p.hall.id,
              c,
              controller,
              calendar.sessionsOn(p.hall.id, c.id, date),
              opts.seed,
              date,
              behaviour,
            ),
          );
      }
      events.sort(byTime);
      if (dayCache.size > 32) dayCache.delete(dayCache.keys().next().value!);
      dayCache.set(key, events);
    }
    return events;
  };
  // Plans of every local day touching [from, to) (events may spill over midnight by minutes).
  const plannedBetween = (p: HallPlan, from: number, to: number): SimEvent[] => {
    const out: SimEvent[] = [];
    for (let d = calendar.localDate(from - DAY); ; ) {
      const start = calendar.startOfDay(d);
      if (start >= to) break;
      for (const e of dayPlan(p, d)) if (e.event.ts >= from && e.event.ts < to) out.push(e);
      d = nextDate(d);
    }
    return out;
  };
  // Calendar lookups are not free; every zone offset is a multiple of 15 minutes, so a local
  // date is constant within a 15-minute bucket.
  const bucketDates = new Map<number, { date: string; start: number }>();
  const hourOf = (t: number) => {
    const bucket = Math.floor(t / 900_000);
    let d = bucketDates.get(bucket);
    if (!d) {
      const date = calendar.localDate(t);
      d = { date, start: calendar.startOfDay(date) };
      if (bucketDates.size > 10_000) bucketDates.clear();
      bucketDates.set(bucket, d);
    }
    return { date: d.date, hour: (t - d.start) / 3_600_000 };
  };
  const retainedKinds = new Set(['seat', 'sign', 'equipment']);

  return {
    identities: [...identities.values()],
    eventsBetween(from, to) {
      const out: SimEvent[] = [];
      for (const p of plans) {
        out.push(...plannedBetween(p, from, to));
        if (opts.heartbeats === false) {
          out.push(...envEvents(p.hall.id, p.env, from, to, opts.seed, hourOf));
          continue;
        }
        out.push(...heartbeats(p.hall.id, p.heartbeats, from, to));
        out.push(...envEvents(p.hall.id, p.env, from, to, opts.seed, hourOf));
        // Hall equipment with a heartbeat repeats its current status (it doubles as the heartbeat).
        const hallEquipment = p.hallDevice
          ? plannedBetween(p, from - 2 * DAY, to).filter(
              (x) => x.event.kind === 'equipment' && !x.event.counter,
            )
          : [];
        for (const e of p.hall.equipment) {
          if (!e.heartbeat || !p.hallDevice) continue;
          const history = hallEquipment.filter(
            (x) => x.event.kind === 'equipment' && x.event.equipment === e.id,
          );
          const period = durationMs(e.heartbeat, 60_000);
          let i = 0;
          let current: SimEvent | undefined;
          for (let t = Math.ceil(from / period) * period; t < to; t += period) {
            while (i < history.length && history[i]!.event.ts <= t) current = history[i++];
            const last = current?.event.kind === 'equipment' ? current.event : undefined;
            out.push(
              ev.equipment(p.hallDevice, p.hall.id, t, undefined, e.id, last?.status ?? 'off', last?.code),
            );
          }
        }
      }
      return out.sort(byTime);
    },
    retainedAt(t) {
      const last = new Map<string, SimEvent>();
      for (const p of plans)
        for (const e of plannedBetween(p, t - 2 * DAY, t + 1))
          if (retainedKinds.has(e.event.kind))
            last.set(formatTopic(e.event as Parameters<typeof formatTopic>[0]), e);
      return [...last.values()].sort(byTime);
    },
  };
}
