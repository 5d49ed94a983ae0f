// Duplicate detection (CONTRACT §2): a message repeating the topic, `seq` and `ts` of one already
// received is a QoS 1 redelivery. Per topic the last few (seq, ts) pairs are remembered; a device
// that restarts its seq sends a newer ts, so its pair differs and nothing is lost. A missed
// duplicate (older than the window, or after a restart) is harmless: it overwrites the same point.
const WINDOW = 8;

interface Ring {
  /** seq (−1 when absent), ts, seq, ts, … */
  pairs: Float64Array;
  next: number;
  size: number;
}

export class Dedupe {
  private readonly recent = new Map<string, Ring>();

  constructor(private readonly maxTopics = 200_000) {}

  /** True when (topic, seq, ts) was seen recently; records it otherwise. */
  isDuplicate(topic: string, seq: number | undefined, ts: number): boolean {
    const s = seq ?? -1;
    let r = this.recent.get(topic);
    if (!r) {
      // Topics are bounded by the configured ids; the cap only guards rejectUnknownIds: false.
      if (this.recent.size >= this.maxTopics) this.recent.clear();
      r = { pairs: new Float64Array(WINDOW * 2), next: 0, size: 0 };
      this.recent.set(topic, r);
    }
    const p = r.pairs;
    for (let i = 0; i < r.size; i++) if (p[2 * i + 1] === ts && p[2 * i] === s) return true;
    p[2 * r.next] = s;
    p[2 * r.next + 1] = ts;
    r.next = (r.next + 1) % WINDOW;
    if (r.size < WINDOW) r.size++;
    return false;
  }
}
