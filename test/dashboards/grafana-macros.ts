// What Grafana does to a panel's InfluxQL before it reaches InfluxDB, and to the answer before a
// user reads it — the parts HallWatch's dashboards use, written after Grafana's own rules:
// - the panel's range: the dashboard's, or the panel's relative override (`timeFrom: now/d` =
//   from local midnight in the dashboard's zone to now);
// - `$timeFilter` → `time >= <from>ms and time <= <to>ms` (InfluxDB datasource, epoch=ms);
// - `$__interval` → range / max data points (the panel's width in pixels), rounded by Grafana's
//   `roundInterval` table, written as `secondsToHms` does (`20s`, `1m`, `15m`);
// - `$var` in a regex (`=~ /^$hall$/`): a single value regex-escaped, several as `(a|b)`, "All" as
//   the variable's custom all value (`.*`) unescaped;
// - value mappings (the word a user reads for a stored value), the groupingToMatrix and organize
//   transformations, and absolute thresholds (the colour a value is drawn in).

export interface Range {
  from: number;
  to: number;
}

/** Grafana's rangeutil.roundInterval (ms → ms). */
export function roundInterval(interval: number): number {
  const table: [number, number][] = [
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1500, 1000],
    [3500, 2000],
    [7500, 5000],
    [12500, 10000],
    [17500, 15000],
    [25000, 20000],
    [45000, 30000],
    [90000, 60000],
    [210000, 120000],
    [450000, 300000],
    [750000, 600000],
    [1050000, 900000],
    [1500000, 1200000],
    [2700000, 1800000],
    [5400000, 3600000],
    [9000000, 7200000],
    [16200000, 10800000],
    [32400000, 21600000],
    [86400000, 43200000],
    [604800000, 86400000],
    [1814400000, 604800000],
    [3628800000, 2592000000],
  ];
  for (const [below, value] of table) if (interval < below) return value;
  return 31536000000;
}

/** Grafana's rangeutil.secondsToHms for the interval units InfluxQL takes. */
export function secondsToHms(seconds: number): string {
  const units: [number, string][] = [
    [31536000, 'y'],
    [604800, 'w'],
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  for (const [size, unit] of units)
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  return `${Math.round(seconds * 1000)}ms`;
}

/** Max data points of a panel: its width in pixels on a 1920 px screen (24 grid columns). */
export const maxDataPointsOf = (gridW: number): number => Math.round((gridW / 24) * 1920);

export function intervalOf(range: Range, maxDataPoints: number): { ms: number; text: string } {
  const ms = roundInterval((range.to - range.from) / maxDataPoints);
  return { ms, text: secondsToHms(ms / 1000) };
}

export interface Variable {
  /** One value, several (multi), or '$__all'. */
  value: string | string[];
  allValue?: string;
}

const regexEscape = (v: string) => v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

function formatVariable(v: Variable): string {
  if (v.value === '$__all' || (Array.isArray(v.value) && v.value[0] === '$__all')) return v.allValue ?? '.*';
  const values = Array.isArray(v.value) ? v.value : [v.value];
  const escaped = values.map(regexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

/** The InfluxQL Grafana sends for a panel target. */
export function interpolate(
  query: string,
  o: { range: Range; interval: string; vars: Record<string, Variable> },
): string {
  let q = query
    .replaceAll('$timeFilter', `time >= ${o.range.from}ms and time <= ${o.range.to}ms`)
    .replaceAll('$__interval', o.interval);
  // Longest names first so $hall does not eat part of $hallName.
  for (const name of Object.keys(o.vars).sort((a, b) => b.length - a.length))
    q = q.replaceAll(`$${name}`, formatVariable(o.vars[name]!));
  return q;
}

/** A dashboard's relative range (`now-12h`, `now-30d` … `now`) at an instant. */
export function dashboardRange(time: { from: string; to: string }, now: number): Range {
  const rel = (x: string): number => {
    if (x === 'now') return now;
    const m = /^now-(\d+)([smhd])$/.exec(x);
    if (!m) throw new Error(`range ${x} not modelled`);
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(m[1]) * unit;
  };
  return { from: rel(time.from), to: rel(time.to) };
}

/** A panel's range: the dashboard's, or `now/d` (local midnight in the zone until now). */
export function panelRange(
  dashboard: Range,
  timeFrom: string | undefined,
  now: number,
  startOfDay: (t: number) => number,
): Range {
  if (!timeFrom) return dashboard;
  if (timeFrom === 'now/d') return { from: startOfDay(now), to: now };
  throw new Error(`panel timeFrom ${timeFrom} not modelled`);
}

/** The word (and colour) a value mapping shows for a stored value; the value itself when unmapped. */
export function mapped(
  mappings: { type: string; options: Record<string, { text: string; color: string }> }[] | undefined,
  value: unknown,
): string {
  for (const m of mappings ?? [])
    if (m.type === 'value' && typeof value === 'string' && m.options[value]) return m.options[value].text;
  return value === null || value === undefined ? '' : String(value);
}

/** The colour an absolute threshold set draws a value in. */
export function thresholdColour(steps: { value: number | null; color: string }[], v: number): string {
  let colour = steps[0]!.color;
  for (const s of steps.slice(1)) if (s.value !== null && v >= s.value) colour = s.color;
  return colour;
}

export interface Frame {
  columns: string[];
  rows: unknown[][];
}

/** Grafana's groupingToMatrix: one row per rowField value, one column per columnField value. */
export function groupingToMatrix(
  f: Frame,
  o: { columnField: string; rowField: string; valueField: string; emptyValue?: 'zero' | 'null' },
): Frame {
  const ci = f.columns.indexOf(o.columnField);
  const ri = f.columns.indexOf(o.rowField);
  const vi = f.columns.indexOf(o.valueField);
  const cols: string[] = [];
  const rows = new Map<string, Map<string, unknown>>();
  for (const r of f.rows) {
    const c = String(r[ci]);
    const k = String(r[ri]);
    if (!cols.includes(c)) cols.push(c);
    if (!rows.has(k)) rows.set(k, new Map());
    rows.get(k)!.set(c, r[vi]);
  }
  const empty = o.emptyValue === 'zero' ? 0 : null;
  return {
    columns: [`${o.rowField}\\${o.columnField}`, ...cols],
    rows: [...rows].map(([k, m]) => [k, ...cols.map((c) => (m.has(c) ? m.get(c) : empty))]),
  };
}

/** Grafana's organize transformation: renameByName only (what the dashboards use after a pivot). */
export function organize(f: Frame, o: { renameByName?: Record<string, string> }): Frame {
  return { ...f, columns: f.columns.map((c) => o.renameByName?.[c] ?? c) };
}

interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/** A table-format answer as one frame (the `merge` transformation of several series): tags become columns. */
export function tableFrame(series: InfluxSeries[]): Frame {
  const tagKeys = [...new Set(series.flatMap((s) => Object.keys(s.tags ?? {})))];
  const fieldCols = series[0]?.columns ?? [];
  const columns = [fieldCols[0]!, ...tagKeys, ...fieldCols.slice(1)];
  const rows = series.flatMap((s) =>
    s.values.map((v) => [v[0], ...tagKeys.map((k) => s.tags?.[k] ?? ''), ...v.slice(1)]),
  );
  return { columns: columns.map((c) => (c === 'time' ? 'Time' : c)), rows };
}
