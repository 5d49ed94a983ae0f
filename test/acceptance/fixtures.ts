// The Common Given of DOMAIN §5 and small helpers to drive the engine to the second.
import { createCalendar } from '../../core/calendar/index.ts';
import type { CalendarWarning } from '../../core/calendar/types.ts';
import { type Config, type ConfigInput, configSchema, rulesFor } from '../../core/config/index.ts';
import { type EngineInput, step } from '../../core/engine/drive.ts';
import { closureWindowsFor, createEngine, sessionsOutside } from '../../core/engine/index.ts';
import type {
  EngineAlert,
  EngineOutput,
  EngineSnapshot,
  LateArrival,
  ResolvedAlert,
  RuleEngine,
  StateInterval,
} from '../../core/engine/types.ts';
import { type AttributionChange, engineAlertPoint } from '../../core/points/index.ts';
import type { DeviceEvent, EquipmentStatus, Sign } from '../../core/protocol/events.ts';
import type { AlertType, CounterState, EnvMetric } from '../../core/protocol/payloads.ts';
import { counterDayFacts, type DayFacts } from '../../core/stats/index.ts';

export const HALL = 'cz-main';
export const MON = '2026-03-09';

/** Epoch ms of a Shanghai wall-clock time: at('2026-03-09', '10:12:00'). */
export function at(date: string, time: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm, ss = 0] = time.split(':').map(Number) as [number, number, number?];
  return Date.UTC(y, m - 1, d, hh - 8, mm, ss);
}

type HallInput = ConfigInput['halls'][number];
type CounterInput = HallInput['counters'][number];

export interface GivenOptions {
  overrides?: HallInput['overrides'];
  rules?: ConfigInput['rules'];
  /** Patches per counter id (e.g. a controller heartbeat for S08's variant). */
  counters?: Record<string, Partial<CounterInput>>;
  hallEquipment?: HallInput['equipment'];
  /** R24 leave and closures listed in the configuration. */
  leave?: ConfigInput['leave'];
  closures?: ConfigInput['closures'];
}

/** Common Given: hall cz-main, Mon–Fri 09:00–12:00 and 13:30–17:00, w07/w08/w09/w03/w12. */
export function commonConfig(opts: GivenOptions = {}): Config {
  const counter = (c: CounterInput): CounterInput => ({ ...c, ...(opts.counters?.[c.id] ?? {}) });
  const input: ConfigInput = {
    timezone: 'Asia/Shanghai',
    rules: opts.rules ?? {},
    leave: opts.leave ?? [],
    closures: opts.closures ?? [],
    staff: [
      { id: 'E1023', name: '王芳' },
      { id: 'E2051', name: '李强' },
      { id: 'E1015', name: '赵磊' },
      { id: 'E1016', name: '孙丽' },
      { id: 'E1017', name: '周杰' },
      { id: 'E2001', name: '陈静' },
      { id: 'E2002', name: '刘洋' },
    ],
    halls: [
      {
        id: HALL,
        name: '常州市政务服务中心',
        calendar: 'cn',
        sessions: { 'mon-fri': ['09:00-12:00', '13:30-17:00'] },
        overrides: opts.overrides ?? [],
        thresholds: { lux: { min: 300 }, co2: { max: 1000 } },
        equipment: opts.hallEquipment ?? [{ id: 'queue', kind: 'queue', name: '排队叫号机' }],
        sensors: [{ id: 'env1', name: '东区环境传感器', counter: 'w07' }],
        counters: [
          counter({
            id: 'w07',
            name: '7号窗口 公积金',
            agency: '公积金中心',
            controller: 'ctl-w07',
            seats: ['s1'],
            roster: { a: 'E1023', b: 'E2051' },
            equipment: [
              { id: 'pc', kind: 'pc', name: '7号窗口电脑' },
              { id: 'printer', kind: 'printer', name: '7号窗口打印机' },
            ],
          }),
          counter({
            id: 'w08',
            name: '8号窗口 公积金',
            controller: 'ctl-w08',
            seats: ['s1'],
            roster: { a: 'E1015', b: 'E1016' },
          }),
          counter({
            id: 'w09',
            name: '9号窗口 税务',
            controller: 'ctl-w09',
            seats: ['s1'],
            roster: { a: 'E1017' },
          }),
          counter({
            id: 'w03',
            name: '3号窗口 不动产登记',
            controller: 'ctl-w03',
            seats: ['s1'],
            extraSessions: { sat: ['09:00-12:00'] },
          }),
          counter({
            id: 'w12',
            name: '12号窗口 市场监管',
            controller: 'ctl-w12',
            seats: ['s1', 's2'],
            roster: { staff: ['E2001', 'E2002'] },
          }),
        ],
      },
    ],
  };
  return configSchema.parse(input);
}

const base = (ts: number, topic: string) => ({ hall: HALL, ts, tsFromDevice: true, receivedAt: ts, topic });

export const ev = {
  seat: (counter: string, occupied: boolean, ts: number, seat = 's1'): DeviceEvent => ({
    ...base(ts, `hall/${HALL}/counter/${counter}/seat/${seat}`),
    kind: 'seat',
    counter,
    seat,
    occupied,
  }),
  sign: (
    counter: string,
    sign: Sign,
    ts: number,
    extra: { note?: string; returnBy?: number } = {},
  ): DeviceEvent => ({
    ...base(ts, `hall/${HALL}/counter/${counter}/sign`),
    kind: 'sign',
    counter,
    sign,
    ...extra,
  }),
  /** R29: the queue system's count of citizens waiting at a counter. */
  queue: (counter: string, waiting: number, ts: number): DeviceEvent => ({
    ...base(ts, `hall/${HALL}/counter/${counter}/queue`),
    kind: 'queue',
    counter,
    waiting,
  }),
  badge: (counter: string, staff: string, action: 'in' | 'out', ts: number): DeviceEvent => ({
    ...base(ts, `hall/${HALL}/counter/${counter}/badge`),
    kind: 'badge',
    counter,
    staff,
    action,
  }),
  equipment: (
    counter: string | undefined,
    equipment: string,
    status: EquipmentStatus,
    ts: number,
    code?: string,
  ): DeviceEvent => ({
    ...base(
      ts,
      counter
        ? `hall/${HALL}/counter/${counter}/equipment/${equipment}`
        : `hall/${HALL}/equipment/${equipment}`,
    ),
    kind: 'equipment',
    ...(counter ? { counter } : {}),
    equipment,
    status,
    ...(code ? { code } : {}),
  }),
  env: (sensor: string, readings: Partial<Record<EnvMetric, number>>, ts: number): DeviceEvent => ({
    ...base(ts, `hall/${HALL}/env/${sensor}`),
    kind: 'env',
    sensor,
    readings,
  }),
  status: (device: string, online: boolean, ts: number): DeviceEvent => ({
    ...base(ts, `hall/${HALL}/device/${device}/status`),
    kind: 'device_status',
    device,
    online,
  }),
};

/** R24 approvals as engine inputs, entered at `ts` (approved by 张主任 unless said otherwise). */
export const approval = {
  leave: (id: string, staff: string, from: number, to: number, ts: number): EngineInput => ({
    kind: 'leave',
    hall: HALL,
    ts,
    leave: { id, hall: HALL, staff, from, to, reason: '事假', approvedBy: '张主任' },
  }),
  closure: (id: string, counter: string | undefined, from: number, to: number, ts: number): EngineInput => ({
    kind: 'closure',
    hall: HALL,
    ts,
    closure: {
      id,
      hall: HALL,
      ...(counter ? { counter } : {}),
      from,
      to,
      reason: '业务培训',
      approvedBy: '张主任',
    },
  }),
  removed: (kind: 'leave' | 'closure', id: string, ts: number): EngineInput => ({
    kind: `${kind}_removed`,
    hall: HALL,
    ts,
    id,
  }),
};

/** An engine over the Common Given that records every output. */
export class Hall {
  readonly config: Config;
  readonly calendarWarnings: CalendarWarning[] = [];
  readonly calendar;
  engine: RuleEngine;
  readonly out: EngineOutput[] = [];

  constructor(start: number, opts: GivenOptions & { snapshot?: EngineSnapshot; config?: Config } = {}) {
    this.config = opts.config ?? commonConfig(opts);
    this.calendar = createCalendar(this.config, { onWarning: (w) => this.calendarWarnings.push(w) });
    this.engine = createEngine({
      config: this.config,
      calendar: this.calendar,
      now: start,
      ...(opts.snapshot ? { snapshot: opts.snapshot } : {}),
    });
  }

  send(...events: EngineInput[]): EngineOutput[] {
    const got = events.flatMap((input) => step(this.engine, { kind: 'input', input }));
    this.out.push(...got);
    return got;
  }

  tick(t: number): EngineOutput[] {
    const got = step(this.engine, { kind: 'tick', at: t });
    this.out.push(...got);
    return got;
  }

  /** Retained seat states (all empty) as a controller publishes them on connect. */
  seatsEmpty(ts: number): void {
    for (const c of this.config.halls[0]!.counters)
      for (const s of c.seats) this.send(ev.seat(c.id, false, ts, s));
  }

  opened(type?: AlertType, counter?: string): EngineAlert[] {
    return this.out.flatMap((o) =>
      o.kind === 'alert_opened' &&
      (!type || o.alert.type === type) &&
      (!counter || o.alert.counter === counter)
        ? [o.alert]
        : [],
    );
  }

  resolved(type?: AlertType, counter?: string): ResolvedAlert[] {
    return this.out.flatMap((o) =>
      o.kind === 'alert_resolved' &&
      (!type || o.alert.type === type) &&
      (!counter || o.alert.counter === counter)
        ? [o.alert]
        : [],
    );
  }

  intervals(counter?: string): StateInterval[] {
    return this.out.flatMap((o) =>
      o.kind === 'interval' && (!counter || o.interval.counter === counter) ? [o.interval] : [],
    );
  }

  /** Seconds per state of a counter's emitted intervals. */
  seconds(counter: string, state?: CounterState, pred: (i: StateInterval) => boolean = () => true): number {
    return (
      this.intervals(counter)
        .filter((i) => (!state || i.state === state) && pred(i))
        .reduce((s, i) => s + (i.end - i.start), 0) / 1000
    );
  }

  stateOf(counter: string): CounterState {
    return this.engine.counters().find((c) => c.counter === counter)!.state;
  }

  /** State changes of a counter, in order, as [state, since]. */
  states(counter: string): [CounterState, number][] {
    const list: [CounterState, number][] = [];
    for (const o of this.out)
      if (o.kind === 'state' && o.change.counter === counter) {
        const last = list[list.length - 1];
        if (!last || last[0] !== o.change.state) list.push([o.change.state, o.change.since]);
      }
    return list;
  }

  /** R23 personal late arrivals the engine reported. */
  lateArrivals(counter?: string): LateArrival[] {
    return this.out.flatMap((o) =>
      o.kind === 'late_arrival' && (!counter || o.arrival.counter === counter) ? [o.arrival] : [],
    );
  }

  /**
   * core/stats day facts of a counter from what the engine emitted (intervals and alerts), with
   * supervisors' attribution decisions (R28) per alert id applied as the stored model applies them.
   */
  dayFacts(counter: string, date: string, decisions: Record<string, AttributionChange[]> = {}): DayFacts {
    const alerts = new Map<
      string,
      {
        id: string;
        type: AlertType;
        counter?: string;
        openedAt: number;
        resolvedAt?: number;
        reason?: string;
        responsible?: string;
        voided?: boolean;
        waiting?: number;
      }
    >();
    for (const o of this.out) {
      if (o.kind === 'alert_opened' && o.alert.counter === counter) {
        const p = engineAlertPoint(o.alert, decisions[o.alert.id]);
        alerts.set(o.alert.id, {
          id: o.alert.id,
          type: o.alert.type,
          counter,
          openedAt: o.alert.openedAt,
          ...(p.responsible ? { responsible: p.responsible } : {}),
          ...(p.voided ? { voided: true } : {}),
        });
      }
      if (o.kind === 'alert_resolved' && o.alert.counter === counter) {
        const a = alerts.get(o.alert.id);
        const waiting = o.alert.details.waiting as number | undefined;
        if (a)
          Object.assign(a, {
            resolvedAt: o.alert.resolvedAt,
            reason: o.alert.reason,
            ...(waiting ? { waiting } : {}),
          });
      }
    }
    // R24: closures (as the engine holds them, with their effective windows) leave the schedule.
    const windows = closureWindowsFor(this.engine.approvals().closures, counter);
    const r = rulesFor(this.config, HALL, counter);
    const from = this.calendar.startOfDay(date);
    const to = from + 86_400_000;
    const facts = counterDayFacts({
      counter,
      sessions: sessionsOutside(this.calendar.sessionsBetween(HALL, counter, from, to), windows),
      intervals: this.intervals(counter),
      alerts: [...alerts.values()],
      lateArrivals: this.lateArrivals(counter),
      rules: {
        awayLimitMs: r.awayLimitMs,
        openingGraceMs: r.openingGraceMs,
        readinessLeadMs: r.readinessLeadMs,
      },
      from,
      to,
      localDateOf: (t) => this.calendar.localDate(t),
    });
    return facts.find((f) => f.localDate === date)!;
  }
}
