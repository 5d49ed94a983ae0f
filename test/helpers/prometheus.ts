// Reads the Prometheus text exposition format (version 0.0.4): samples by name and labels, and
// each metric family's TYPE, so tests assert on what a Prometheus server would scrape.

export interface Exposition {
  /** `name{a="x",b="y"}` (labels sorted) → value. */
  samples: Map<string, number>;
  /** Family name → counter | gauge | histogram | summary | untyped. */
  types: Map<string, string>;
  /** One sample's value; undefined when absent. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Sum of every sample of `name` whatever its labels (0 when none). */
  sum(name: string): number;
}

const key = (name: string, labels: Record<string, string>) => {
  const l = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(',');
  return l ? `${name}{${l}}` : name;
};

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Exposition {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) {
      types.set(t[1]!, t[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    // Go's ParseFloat, which Prometheus uses, takes NaN and Inf in any case (prom-client writes "Nan").
    const word = m[3]!.toLowerCase();
    const v =
      word === 'nan'
        ? Number.NaN
        : /^[+-]?inf$/.test(word)
          ? (word[0] === '-' ? -1 : 1) * Infinity
          : Number(m[3]);
    if (Number.isNaN(v) && word !== 'nan') throw new Error(`bad value in: ${line}`);
    samples.set(key(m[1]!, labels), v);
  }
  return {
    samples,
    types,
    value: (name, labels = {}) => samples.get(key(name, labels)),
    sum: (name) => {
      let s = 0;
      for (const [k, v] of samples) if (k === name || k.startsWith(`${name}{`)) s += v;
      return s;
    },
  };
}
