// Prometheus metrics shared machinery: each wing keeps its counters as it always has (for
// /api/health and the log line) and exposes them through a Registry of its own, read at scrape
// time; histograms are observed as events happen. docs/api.md lists every metric.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Service } from './service.ts';

export { Histogram, Registry } from 'prom-client';

/** Seconds: 1 ms … 30 s, for InfluxDB writes and alert notifications. */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Reading = number | Record<string, number>;

interface Pulled {
  name: string;
  help: string;
  /** The label of a keyed reading (reason, type, channel); none for a plain number. */
  label?: string;
  read: () => Reading;
}

/** A metric whose value the wing already keeps, read at scrape time. */
function pulled(kind: 'counter' | 'gauge', registry: Registry, p: Pulled): void {
  const config = { name: p.name, help: p.help, labelNames: p.label ? [p.label] : [], registers: [registry] };
  const fill = (m: Counter | Gauge, put: (labels: Record<string, string>, v: number) => void) => {
    m.reset();
    const r = p.read();
    if (typeof r === 'number') put({}, r);
    else for (const [k, v] of Object.entries(r)) put({ [p.label ?? 'key']: k }, v);
  };
  if (kind === 'counter')
    new Counter({
      ...config,
      collect() {
        fill(this, (l, v) => this.inc(l, v));
      },
    });
  else
    new Gauge({
      ...config,
      collect() {
        fill(this, (l, v) => this.set(l, v));
      },
    });
}

/** A counter kept by the wing (monotonic since the process started). */
export const pulledCounter = (registry: Registry, p: Pulled) => pulled('counter', registry, p);
/** [name after the prefix, help, read, label?] rows of counters the wing keeps. */
export type CounterRows = [string, string, () => Reading, string?][];
export function pulledCounters(registry: Registry, prefix: string, rows: CounterRows): void {
  for (const [name, help, read, label] of rows)
    pulledCounter(registry, { name: `${prefix}${name}`, help, read, ...(label ? { label } : {}) });
}
/** A gauge read at scrape time (spool depth, open alerts, outbox pending). */
export const pulledGauge = (registry: Registry, p: Pulled) => pulled('gauge', registry, p);

/** Process metrics (CPU, memory, event loop lag) under hallwatch_process_… and nodejs_…. */
export function processRegistry(): Registry {
  const r = new Registry();
  collectDefaultMetrics({ register: r, prefix: 'hallwatch_' });
  return r;
}

/** The exposition text of every service of this process that has metrics, plus the process's own. */
export async function metricsOf(services: Iterable<Service>, process: Registry): Promise<string> {
  const registries = [process, ...[...services].flatMap((s) => (s.metrics ? [s.metrics] : []))];
  return Registry.merge(registries).metrics();
}

export const METRICS_CONTENT_TYPE = new Registry().contentType;
