// The snapshot in parts: one per counter, schedule, equipment, device, sensor metric, open alert,
// approval…, so a save writes what changed since the last one instead of the whole engine.
// Rule modules keep mutating plain state; each top-level map of it is wrapped in a Proxy that
// notes every key read, written or deleted (a read may precede a mutation, so it counts too).
// Each owner's live timers travel with it as {kind: deadline}; restore rebuilds the one heap.
import { compareTimers, TIMER_PRIO, type Timer, type TimerKind, type TimerQueue } from './queue.ts';
import type { EngineState, TimerTokens } from './state.ts';
import type { EngineParts, EngineSnapshot } from './types.ts';

/** The keyed maps of EngineState, each stored as one part per entry (`<map>:<key>`). */
export const PART_MAPS = [
  'counters',
  'schedules',
  'equipment',
  'devices',
  'env',
  'coverage',
  'alerts',
  'lastIds',
  'leave',
  'closures',
] as const;
type PartMap = (typeof PART_MAPS)[number];

/** Maps whose entries own timers (dispatch.ts ownerOf: a timer's key is its owner's key). */
const TIMED = new Set<PartMap>(['counters', 'schedules', 'equipment', 'devices', 'env', 'coverage']);

/** Engine-wide scalars, saved with every set of parts. */
export interface PartsMeta {
  now: number;
  seq: number;
  warned: string[];
}

/** One stored part: the entry, and for a timer owner the deadline of each timer it holds. */
export interface PartData {
  v: unknown;
  at?: Partial<Record<TimerKind, number>>;
}

type Raw = Record<PartMap, Record<string, unknown>>;

export class ChangeTracker {
  /** The unwrapped maps: for whole-state reads (views, the full snapshot) that must not mark. */
  readonly raw: Pick<EngineState, PartMap>;
  private readonly dirty = new Map<PartMap, Set<string>>();

  /** Wraps st's maps in place; from here on st's maps are the tracking proxies. */
  constructor(
    private readonly st: EngineState,
    private readonly timers: TimerQueue,
  ) {
    const raw = {} as Raw;
    const state = st as unknown as Raw;
    for (const m of PART_MAPS) {
      const keys = new Set<string>();
      this.dirty.set(m, keys);
      raw[m] = state[m];
      state[m] = new Proxy(state[m], {
        get(t, p) {
          if (typeof p === 'string') keys.add(p);
          return t[p as string];
        },
        set(t, p, v) {
          if (typeof p === 'string') keys.add(p);
          t[p as string] = v;
          return true;
        },
        deleteProperty(t, p) {
          if (typeof p === 'string') keys.add(p);
          return delete t[p as string];
        },
      });
    }
    this.raw = raw as unknown as Pick<EngineState, PartMap>;
  }

  /** The state with its own maps (for JSON.stringify or structuredClone). */
  plain(): EngineState {
    return { ...this.st, ...this.raw } as unknown as EngineState;
  }

  /** Every part, or only those touched since the previous call; either way the marks are cleared. */
  parts(which: 'all' | 'changed'): EngineParts {
    const put: EngineParts['put'] = [];
    const drop: string[] = [];
    for (const m of PART_MAPS) {
      const keys = this.dirty.get(m)!;
      const map = (this.raw as unknown as Raw)[m];
      for (const k of which === 'all' ? Object.keys(map) : keys) {
        if (Object.hasOwn(map, k)) put.push({ key: `${m}:${k}`, data: this.partData(m, map[k]) });
        else drop.push(`${m}:${k}`);
      }
      keys.clear();
    }
    const meta: PartsMeta = { now: this.st.now, seq: this.st.timers.seq, warned: this.st.warned };
    return { version: 2, at: this.st.now, meta, put, drop };
  }

  private partData(m: PartMap, v: unknown): PartData {
    if (!TIMED.has(m)) return { v };
    const at: Partial<Record<TimerKind, number>> = {};
    for (const [kind, seq] of Object.entries((v as { tm: TimerTokens }).tm)) {
      const due = seq === undefined ? undefined : this.timers.atOf(seq);
      if (due !== undefined) at[kind as TimerKind] = due;
    }
    return { v, at };
  }
}

/** Reassembles a whole snapshot from stored parts (the inverse of parts('all')). */
export function assembleSnapshot(
  meta: PartsMeta,
  parts: Iterable<{ key: string; data: PartData }>,
): EngineSnapshot {
  const maps = Object.fromEntries(PART_MAPS.map((m) => [m, {} as Record<string, unknown>])) as Raw;
  const heap: Timer[] = [];
  for (const { key, data } of parts) {
    const i = key.indexOf(':');
    const m = key.slice(0, i) as PartMap;
    const k = key.slice(i + 1);
    if (!maps[m]) throw new TypeError(`unusable engine snapshot part ${key}`);
    maps[m][k] = data.v;
    if (!TIMED.has(m)) continue;
    const tm = (data.v as { tm: TimerTokens }).tm;
    for (const [kind, at] of Object.entries(data.at ?? {})) {
      const seq = tm[kind as TimerKind];
      if (seq !== undefined && at !== undefined)
        heap.push({ at, prio: TIMER_PRIO[kind as TimerKind], seq, kind: kind as TimerKind, key: k });
    }
  }
  heap.sort(compareTimers);
  const state = { now: meta.now, timers: { heap, seq: meta.seq }, warned: meta.warned, ...maps };
  return { version: 2, at: meta.now, state };
}
