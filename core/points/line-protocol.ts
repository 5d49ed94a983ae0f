// InfluxDB line protocol for one point. Ids are contract-validated ([a-z0-9-]), so tag values
// need no escaping; free text (codes, details, reasons) goes into quoted string fields only.

export type FieldValue = number | boolean | string | { int: number };

/** One field string value: quotes and backslashes escaped, line breaks flattened (a line is one point). */
function quote(v: string): string {
  return `"${v.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ')}"`;
}

function tagValue(v: string): string {
  return /[ ,=\\]/.test(v) ? v.replace(/[ ,=\\]/g, '\\$&') : v;
}

function fieldValue(v: FieldValue): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return quote(v);
  return `${Math.trunc(v.int)}i`;
}

/**
 * `measurement,tag=v,… field=v,… timeMs`. Tags are given sorted by key (InfluxDB's own order,
 * so it does not re-sort per point); undefined tags and fields are left out.
 */
export function line(
  measurement: string,
  tags: [string, string | undefined][],
  fields: [string, FieldValue | undefined][],
  timeMs: number,
): string {
  let s = measurement;
  for (const [k, v] of tags) if (v !== undefined && v !== '') s += `,${k}=${tagValue(v)}`;
  let sep = ' ';
  for (const [k, v] of fields) {
    if (v === undefined) continue;
    s += `${sep}${k}=${fieldValue(v)}`;
    sep = ',';
  }
  return `${s} ${timeMs}`;
}

export const int = (n: number): { int: number } => ({ int: n });
