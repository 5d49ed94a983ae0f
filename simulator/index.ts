// The hall simulator as a library: the demo, the load tests and `npm run simulate` drive it with
// a start time, a speed factor and a seed (same seed → same events). Device `ts` is simulated
// time, which never runs ahead of the real clock unless the caller passes its own clock.
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config/schema.ts';
import { formatTopic } from '../core/protocol/topics.ts';
import type { Logger } from '../runtime/logger.ts';
import { CatchUpClock } from './clock.ts';
import type { SimEvent } from './events.ts';
import { createHallModel, type HallModel } from './hall.ts';
import type { SimSink } from './sinks.ts';
import type { Behaviour } from './staff.ts';

export { CatchUpClock } from './clock.ts';
export type { SimEvent } from './events.ts';
export { createHallModel, type HallModel, type SimIdentity } from './hall.ts';
export { type HistoryDay, simulatedHistory, withoutHeartbeats } from './history.ts';
export { frameOf, mqttSink, passwordTemplate, type SimSink, serialSink } from './sinks.ts';
export { type Behaviour, DEFAULT_BEHAVIOUR } from './staff.ts';

export interface SimulatorOptions {
  config: Config;
  seed: string | number;
  /** Simulated start (epoch ms). Ignored when `clock` is given. */
  start?: number;
  /** Simulated seconds per real second (default 1). Ignored when `clock` is given. */
  speed?: number;
  /** The clock of a time-shifted system (the demo's ScaledClock); default: a CatchUpClock. */
  clock?: Clock;
  halls?: string[];
  behaviour?: Behaviour;
  sink: SimSink;
  logger: Logger;
  /** Real milliseconds between emission rounds (default 100). */
  tickMs?: number;
}

export interface Simulator {
  clock: Clock;
  model: HallModel;
  stats(): { emitted: number; failed: number; byKind: Record<string, number>; simTime: number };
  stop(): Promise<void>;
}

/** Every event of [from, to) without running anything (tests, benchmarks, fixtures). */
export function simulateEvents(
  config: Config,
  opts: {
    seed: string | number;
    from: number;
    to: number;
    halls?: string[];
    behaviour?: Behaviour;
    heartbeats?: boolean;
  },
): SimEvent[] {
  return createHallModel(config, opts).eventsBetween(opts.from, opts.to);
}

/** Seq per topic, as a device keeps it (CONTRACT §2). */
function sequencer() {
  const seqs = new Map<string, number>();
  return (e: SimEvent) => {
    const topic = formatTopic(e.event as Parameters<typeof formatTopic>[0]);
    const n = (seqs.get(topic) ?? 0) + 1;
    seqs.set(topic, n);
    return n;
  };
}

export async function startSimulator(o: SimulatorOptions): Promise<Simulator> {
  const model = createHallModel(o.config, {
    seed: o.seed,
    ...(o.halls ? { halls: o.halls } : {}),
    ...(o.behaviour ? { behaviour: o.behaviour } : {}),
  });
  const log = o.logger.child({ component: 'simulator' });
  const nextSeq = sequencer();
  const byKind: Record<string, number> = {};
  let emitted = 0;
  let failed = 0;
  const send = (e: SimEvent) => {
    o.sink.send(e, nextSeq(e));
    emitted++;
    byKind[e.event.kind] = (byKind[e.event.kind] ?? 0) + 1;
  };

  await o.sink.open(model.identities);
  // Simulated time starts once the devices are connected (logins may take seconds).
  const clock = o.clock ?? new CatchUpClock(o.start ?? Date.now(), o.speed ?? 1);
  let cursor = clock.now();
  // The hall as it stands at the start: staff already seated, boards up, printers on.
  for (const e of model.retainedAt(cursor)) send(e);
  cursor++;
  log.info(
    { controllers: model.identities.length, simTime: new Date(cursor).toISOString(), seed: o.seed },
    'hall simulator running',
  );

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return;
    const now = clock.now();
    let due: SimEvent[] = [];
    try {
      if (now > cursor) due = model.eventsBetween(cursor, now + 1);
    } catch (err) {
      log.error(
        { err: (err as Error).message, from: cursor },
        'simulator could not plan events; skipping the window',
      );
    }
    if (now > cursor) {
      for (const e of due) {
        try {
          send(e);
        } catch (err) {
          // One bad send (a closed pty) must not stop the hall.
          failed++;
          log.warn(
            { controller: e.controller, kind: e.event.kind, err: (err as Error).message },
            'simulated event not sent',
          );
        }
      }
      cursor = now + 1;
    }
    timer = setTimeout(tick, o.tickMs ?? 100);
  };
  tick();

  return {
    clock,
    model,
    stats: () => ({ emitted, failed, byKind: { ...byKind }, simTime: clock.now() }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await o.sink.close();
      log.info({ emitted }, 'hall simulator stopped');
    },
  };
}
