// The live board's view: each configured counter's latest state, the equipment and the latest
// environment readings, plus the live (open/acknowledged) alerts kept in memory for fast reads.
import type { Config, CounterConfig } from '../../core/config/schema.ts';
import type { CounterStateChange, EquipmentView } from '../../core/engine/types.ts';
import type { EnvEvent } from '../../core/protocol/events.ts';
import type { AlertRecord, CounterLive, EnvReadingView } from '../types.ts';

export class LiveViews {
  private readonly states = new Map<string, CounterStateChange>();
  private readonly equip = new Map<string, EquipmentView>();
  private readonly env = new Map<string, EnvReadingView>();
  private readonly live = new Map<string, AlertRecord>();
  private readonly counterCfg = new Map<string, CounterConfig>();
  private readonly sensorCounter = new Map<string, string | undefined>();

  constructor(
    private readonly config: Config,
    private readonly startedAt: number,
  ) {
    for (const h of config.halls) {
      for (const c of h.counters) this.counterCfg.set(`${h.id}/${c.id}`, c);
      for (const s of h.sensors) this.sensorCounter.set(`${h.id}/${s.id}`, s.counter);
    }
  }

  setState(s: CounterStateChange): void {
    this.states.set(`${s.hall}/${s.counter}`, s);
  }

  setEquipment(v: EquipmentView): void {
    this.equip.set(`${v.hall}/${v.counter ?? ''}/${v.equipment}`, v);
  }

  setEnv(e: EnvEvent): EnvReadingView {
    const key = `${e.hall}/${e.sensor}`;
    const prev = this.env.get(key);
    const counter = this.config.halls
      .find((h) => h.id === e.hall)
      ?.sensors.find((s) => s.id === e.sensor)?.counter;
    const v: EnvReadingView = {
      hall: e.hall,
      sensor: e.sensor,
      ...(counter ? { counter } : {}),
      readings: { ...prev?.readings, ...e.readings },
      at: Math.max(prev?.at ?? 0, e.ts),
    };
    this.env.set(key, v);
    return v;
  }

  setAlert(a: AlertRecord): void {
    if (a.status === 'resolved') this.live.delete(a.id);
    else this.live.set(a.id, a);
  }

  counter(hall: string, counter: string): CounterLive | undefined {
    const c = this.counterCfg.get(`${hall}/${counter}`);
    if (!c) return undefined;
    const s = this.states.get(`${hall}/${counter}`) ?? {
      hall,
      counter,
      state: 'unknown' as const,
      since: this.startedAt,
      staffOnPost: 0,
      sign: 'none' as const,
      seats: Object.fromEntries(c.seats.map((x) => [x, false])),
      staff: [],
    };
    const openAlerts: AlertRecord[] = [];
    for (const a of this.live.values()) if (a.hall === hall && a.counter === counter) openAlerts.push(a);
    openAlerts.sort((x, y) => x.openedAt - y.openedAt);
    return { ...s, name: c.name, openAlerts };
  }

  counters(hall: string): CounterLive[] {
    const h = this.config.halls.find((x) => x.id === hall);
    return h ? h.counters.map((c) => this.counter(hall, c.id)!) : [];
  }

  equipment(hall: string): EquipmentView[] {
    return [...this.equip.values()].filter((v) => v.hall === hall);
  }

  environment(hall: string): EnvReadingView[] {
    return [...this.env.values()].filter((v) => v.hall === hall);
  }

  liveAlertCount(): number {
    return this.live.size;
  }

  /** Live alerts per type (Prometheus hallwatch_alerts_open). */
  liveAlertsByType(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of this.live.values()) out[a.type] = (out[a.type] ?? 0) + 1;
    return out;
  }
}
