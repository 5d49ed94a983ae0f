// Small builders for the engine's unit tests: a configuration from a few lines, events, a
// recorder. Times are Shanghai wall-clock on Monday 2026-03-09 unless a date is given.
import { createCalendar } from '../../../core/calendar/index.ts';
import { type Config, type ConfigInput, configSchema } from '../../../core/config/index.ts';
import { type EngineInput, step } from '../../../core/engine/drive.ts';
import { createEngine } from '../../../core/engine/index.ts';
import type {
  EngineAlert,
  EngineOutput,
  EngineSnapshot,
  ResolvedAlert,
  RuleEngine,
  StateInterval,
} from '../../../core/engine/types.ts';
import type { CounterState } from '../../../core/protocol/payloads.ts';
import { at, ev } from '../../acceptance/fixtures.ts';

export { at, ev };
export const MON = '2026-03-09';
export const t = (time: string, date = MON) => at(date, time);

type HallInput = ConfigInput['halls'][number];
type CounterInput = HallInput['counters'][number];

/** Hall cz-main (Mon–Fri 09:00–12:00, 13:30–17:00) with the given counters. */
export function config(
  counters: CounterInput[],
  extra: Partial<HallInput> = {},
  top: Partial<ConfigInput> = {},
): Config {
  return configSchema.parse({
    staff: [
      { id: 'E1', name: '张一' },
      { id: 'E2', name: '李二' },
    ],
    ...top,
    halls: [
      {
        id: 'cz-main',
        name: '测试大厅',
        sessions: { 'mon-fri': ['09:00-12:00', '13:30-17:00'] },
        counters,
        ...extra,
      },
    ],
  });
}

export const single = (over: Partial<CounterInput> = {}): CounterInput => ({
  id: 'w01',
  name: '1号窗口',
  controller: 'ctl-w01',
  seats: ['s1'],
  roster: { a: 'E1', b: 'E2' },
  ...over,
});

export class Rig {
  engine: RuleEngine;
  readonly out: EngineOutput[] = [];
  readonly calendar;
  constructor(
    readonly cfg: Config,
    start: number,
    snapshot?: EngineSnapshot,
  ) {
    this.calendar = createCalendar(cfg);
    this.engine = createEngine({
      config: cfg,
      calendar: this.calendar,
      now: start,
      ...(snapshot ? { snapshot } : {}),
    });
  }
  /** Inputs and ticks go through core/engine/drive.ts, the live service's and replay's one path. */
  send(...events: EngineInput[]): this {
    for (const input of events) this.out.push(...step(this.engine, { kind: 'input', input }));
    return this;
  }
  tick(now: number): this {
    this.out.push(...step(this.engine, { kind: 'tick', at: now }));
    return this;
  }
  opened(type?: string): EngineAlert[] {
    return this.out.flatMap((o) =>
      o.kind === 'alert_opened' && (!type || o.alert.type === type) ? [o.alert] : [],
    );
  }
  resolved(type?: string): ResolvedAlert[] {
    return this.out.flatMap((o) =>
      o.kind === 'alert_resolved' && (!type || o.alert.type === type) ? [o.alert] : [],
    );
  }
  intervals(): StateInterval[] {
    return this.out.flatMap((o) => (o.kind === 'interval' ? [o.interval] : []));
  }
  state(counter = 'w01'): CounterState {
    return this.engine.counters().find((c) => c.counter === counter)!.state;
  }
  seconds(state: CounterState): number {
    return (
      this.intervals()
        .filter((i) => i.state === state)
        .reduce((s, i) => s + i.end - i.start, 0) / 1000
    );
  }
}

/** w01 staffed (seat s1) from 08:30 on Monday, the clock at `now` (10:00:00 unless given). */
export function staffedRig(cfg = config([single()]), now = t('10:00:00')): Rig {
  const r = new Rig(cfg, t('08:00:00'));
  r.send(ev.seat('w01', true, t('08:30:00')));
  r.tick(now);
  return r;
}
