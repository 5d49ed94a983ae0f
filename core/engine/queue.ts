// The deadline queue: a binary min-heap of timers, so tick(now) costs O(1) when nothing is due
// and O(log n) per fired timer, however many counters the engine watches. Plain data, so the
// whole queue goes into the JSON snapshot as it stands.

/** What a timer wakes up; the order at one instant is the `prio` of the kind (lower first). */
export type TimerKind =
  | 'boundary'
  | 'window'
  | 'late'
  | 'absence'
  | 'paused'
  | 'understaffed'
  | 'approval'
  | 'equipment'
  | 'heartbeat'
  | 'env'
  | 'coverage';

/**
 * Same-instant order: a session end must win over a deadline equal to it (R13 "a deadline >= end
 * never fires"), a session start must run before the late-opening check at T (R9 with 0 s grace).
 */
export const TIMER_PRIO: Record<TimerKind, number> = {
  boundary: 0,
  window: 1,
  approval: 1,
  late: 2,
  absence: 3,
  paused: 3,
  understaffed: 3,
  equipment: 3,
  heartbeat: 3,
  env: 3,
  coverage: 3,
};

export interface Timer {
  at: number;
  prio: number;
  /** Monotonic; also the cancellation token the owner keeps. */
  seq: number;
  kind: TimerKind;
  key: string;
}

export interface TimerQueueData {
  heap: Timer[];
  seq: number;
}

function less(a: Timer, b: Timer): boolean {
  return a.at !== b.at ? a.at < b.at : a.prio !== b.prio ? a.prio < b.prio : a.seq < b.seq;
}

/** Queue order as a sort comparator: a sorted array is a valid heap. */
export const compareTimers = (a: Timer, b: Timer): number => (less(a, b) ? -1 : less(b, a) ? 1 : 0);

export class TimerQueue {
  /** Deadline of each queued token (not persisted): a snapshot part names its owner's timers by it. */
  private readonly atOfSeq = new Map<number, number>();

  constructor(readonly data: TimerQueueData = { heap: [], seq: 0 }) {
    for (const t of data.heap) this.atOfSeq.set(t.seq, t.at);
  }

  /** When the timer with this token is due, while it is queued. */
  atOf(seq: number): number | undefined {
    return this.atOfSeq.get(seq);
  }

  /** Schedules a timer and returns its token (the owner stores it to recognise stale entries). */
  push(at: number, kind: TimerKind, key: string): number {
    const t: Timer = { at, prio: TIMER_PRIO[kind], seq: ++this.data.seq, kind, key };
    const h = this.data.heap;
    h.push(t);
    this.atOfSeq.set(t.seq, at);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
    return t.seq;
  }

  peek(): Timer | undefined {
    return this.data.heap[0];
  }

  pop(): Timer | undefined {
    const h = this.data.heap;
    const top = h[0];
    const last = h.pop();
    if (top) this.atOfSeq.delete(top.seq);
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Drops timers that no owner holds any more (cancelled or re-armed) and rebuilds the heap. */
  compact(isLive: (t: Timer) => boolean): void {
    const live = this.data.heap.filter(isLive);
    live.sort(compareTimers);
    this.data.heap = live; // a sorted array is a valid min-heap
    this.atOfSeq.clear();
    for (const t of live) this.atOfSeq.set(t.seq, t.at);
  }

  get size(): number {
    return this.data.heap.length;
  }
}
