// The ingest's counters, for health() (→ /api/health) and the periodic log line.
export class IngestStats {
  received = 0;
  /** Points InfluxDB confirmed (live and drained). */
  written = 0;
  /** Points appended to the spool. */
  spooled = 0;
  /** Points the drain moved from the spool into InfluxDB. */
  drained = 0;
  duplicates = 0;
  rejected: Record<string, number> = {};
  notes: Record<string, number> = {};
  private readonly latencies: number[] = [];
  private li = 0;
  lastLatencyMs = 0;
  /** Called with every write latency (the Prometheus histogram, ingest/metrics.ts). */
  onLatency: ((ms: number) => void) | undefined;

  reject(reason: string, n = 1): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + n;
  }

  note(what: string): void {
    this.notes[what] = (this.notes[what] ?? 0) + 1;
  }

  /** Latency of one successful write request. */
  latency(ms: number): void {
    this.lastLatencyMs = ms;
    this.onLatency?.(ms);
    if (this.latencies.length < 256) this.latencies.push(ms);
    else this.latencies[this.li++ % 256] = ms;
  }

  latencySummary(): { lastMs: number; p50Ms: number; p99Ms: number } {
    const s = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0);
    return {
      lastMs: Math.round(this.lastLatencyMs),
      p50Ms: Math.round(at(0.5)),
      p99Ms: Math.round(at(0.99)),
    };
  }

  rejectedTotal(): number {
    return Object.values(this.rejected).reduce((a, b) => a + b, 0);
  }
}
