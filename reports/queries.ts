// InfluxQL reads of the stored model (docs/data-model.md): counter_interval, alert, equipment, env.
// Each returns core/stats input types; nothing here computes a statistic.
import type { AlertType } from '../core/protocol/payloads.ts';
import type { IntervalState, StatsAlert, StatsInterval, StatsLateArrival } from '../core/stats/types.ts';
import { type InfluxClient, lit, ms, rowsOf } from './influx.ts';

const where = (hall: string, from: number, to: number, counter?: string) =>
  `hall = ${lit(hall)}${counter ? ` AND counter = ${lit(counter)}` : ''} AND time >= ${ms(from)} AND time < ${ms(to)}`;

/**
 * Recorded staffed ms per counter over the whole range (one row per counter: the cheapest coverage
 * check; the other states are read as intervals anyway, and touching fewer series is what costs least).
 */
export async function staffedSums(
  db: InfluxClient,
  q: { hall: string; counter?: string; from: number; to: number },
): Promise<Map<string, number>> {
  const [series] = await db.query([
    `SELECT SUM(duration_s) AS s FROM counter_interval WHERE ${where(q.hall, q.from, q.to, q.counter)} AND state = 'staffed' GROUP BY counter`,
  ]);
  return new Map(rowsOf(series ?? []).map((r) => [String(r.counter), Math.round(Number(r.s) * 1000)]));
}

/** Recorded ms per counter and local day, for the counters whose range total did not match. */
export async function daySums(
  db: InfluxClient,
  q: { hall: string; counters: string[]; from: number; to: number; timezone: string },
): Promise<{ counter: string; dayStart: number; ms: number }[]> {
  if (q.counters.length === 0) return [];
  const results = await db.query(
    q.counters.map(
      (c) =>
        `SELECT SUM(duration_s) AS s FROM counter_interval WHERE ${where(q.hall, q.from, q.to, c)} ` +
        `GROUP BY counter, time(1d) fill(none) tz(${lit(q.timezone)})`,
    ),
  );
  return results.flatMap((series) =>
    rowsOf(series).map((r) => ({
      counter: String(r.counter),
      dayStart: Number(r.time),
      ms: Math.round(Number(r.s) * 1000),
    })),
  );
}

/** The non-staffed intervals with only what absences and openings need (the big read of uptime). */
export async function absentIntervals(
  db: InfluxClient,
  q: { hall: string; counter?: string; from: number; to: number },
): Promise<StatsInterval[]> {
  const [series] = await db.query([
    `SELECT end_ms, early_leave FROM counter_interval WHERE ${where(q.hall, q.from, q.to, q.counter)} AND state != 'staffed' GROUP BY counter, state`,
  ]);
  const out: StatsInterval[] = [];
  for (const s of series ?? []) {
    const counter = s.tags!.counter!;
    const state = s.tags!.state as IntervalState;
    const iEnd = s.columns.indexOf('end_ms');
    const iEarly = s.columns.indexOf('early_leave');
    for (const v of s.values) {
      const iv: StatsInterval = { counter, state, start: Number(v[0]), end: Number(v[iEnd]) };
      if (v[iEarly] === true) iv.earlyLeave = true;
      out.push(iv);
    }
  }
  return out;
}

/** Alert times only (type, counter, opened, resolved, reason): what the uptime numbers need. */
export async function alertTimes(
  db: InfluxClient,
  q: { hall: string; from: number; to: number; types: readonly AlertType[] },
): Promise<StatsAlert[]> {
  const types = q.types.map((t) => `type = ${lit(t)}`).join(' OR ');
  const [series] = await db.query([
    `SELECT counter, resolved_at_ms, reason, voided, waiting FROM alert WHERE ${where(q.hall, q.from, q.to)} AND (${types}) GROUP BY type`,
  ]);
  const out: StatsAlert[] = [];
  for (const s of series ?? []) {
    const type = s.tags!.type as AlertType;
    const [iC, iR, iReason, iVoided, iWaiting] = [
      'counter',
      'resolved_at_ms',
      'reason',
      'voided',
      'waiting',
    ].map((c) => s.columns.indexOf(c)) as [number, number, number, number, number];
    for (const v of s.values) {
      const a: StatsAlert = { id: '', type, openedAt: Number(v[0]) };
      if (typeof v[iC] === 'string') a.counter = v[iC] as string;
      if (v[iR] != null) a.resolvedAt = Number(v[iR]);
      if (typeof v[iReason] === 'string') a.reason = v[iReason] as string;
      if (v[iVoided] === true) a.voided = true;
      if (typeof v[iWaiting] === 'number') a.waiting = v[iWaiting] as number;
      out.push(a);
    }
  }
  return out;
}

function toInterval(r: Record<string, unknown>): StatsInterval {
  const iv: StatsInterval = {
    counter: String(r.counter),
    state: r.state as IntervalState,
    start: Number(r.time),
    end: Number(r.end_ms),
  };
  if (typeof r.staff === 'string' && r.staff) iv.staff = r.staff;
  if (r.role === 'a' || r.role === 'b' || r.role === 'staff') iv.role = r.role;
  if (r.early_leave === true) iv.earlyLeave = true;
  return iv;
}

/**
 * Raw intervals with a start in [from, to). `states` limits them (e.g. everything but staffed);
 * `days` asks for several [from, to) windows in one request.
 */
export async function rawIntervals(
  db: InfluxClient,
  q: { hall: string; counter?: string; windows: { from: number; to: number; counter?: string }[] },
  states?: { not?: IntervalState; only?: IntervalState },
): Promise<StatsInterval[]> {
  const stateCond = states?.not
    ? ` AND state != ${lit(states.not)}`
    : states?.only
      ? ` AND state = ${lit(states.only)}`
      : '';
  const statements = q.windows.map(
    (w) =>
      `SELECT end_ms, staff, early_leave FROM counter_interval WHERE ${where(q.hall, w.from, w.to, w.counter ?? q.counter)}${stateCond} GROUP BY counter, state, role`,
  );
  const results = await db.query(statements);
  const out: StatsInterval[] = [];
  for (const series of results) for (const r of rowsOf(series)) out.push(toInterval(r));
  return out;
}

const ALERT_FIELDS =
  'id, counter, equipment, status, opened_at_ms, resolved_at_ms, reason, responsible, voided, waiting, attribution';

export async function alertsOf(
  db: InfluxClient,
  q: { hall: string; from: number; to: number; types: readonly AlertType[] },
): Promise<StatsAlert[]> {
  const types = q.types.map((t) => `type = ${lit(t)}`).join(' OR ');
  const [series] = await db.query([
    `SELECT ${ALERT_FIELDS} FROM alert WHERE ${where(q.hall, q.from, q.to)} AND (${types}) GROUP BY type`,
  ]);
  return rowsOf(series ?? []).map((r) => {
    const a: StatsAlert = {
      id: String(r.id),
      type: r.type as AlertType,
      openedAt: r.opened_at_ms != null ? Number(r.opened_at_ms) : Number(r.time),
    };
    if (typeof r.counter === 'string') a.counter = r.counter;
    if (typeof r.equipment === 'string') a.equipment = r.equipment;
    if (r.resolved_at_ms != null) a.resolvedAt = Number(r.resolved_at_ms);
    if (typeof r.reason === 'string') a.reason = r.reason;
    if (typeof r.responsible === 'string' && r.responsible) a.responsible = r.responsible;
    if (r.voided === true) a.voided = true;
    if (typeof r.waiting === 'number') a.waiting = r.waiting;
    if (typeof r.attribution === 'string')
      a.attribution = JSON.parse(r.attribution) as StatsAlert['attribution'];
    return a;
  });
}

/** The last staffed interval that started before each instant (who left the counter), batched. */
export async function lastStaffedBefore(
  db: InfluxClient,
  hall: string,
  asks: { counter: string; at: number }[],
): Promise<(StatsInterval | undefined)[]> {
  if (asks.length === 0) return [];
  const results = await db.query(
    asks.map(
      (a) =>
        `SELECT end_ms, staff FROM counter_interval WHERE ${where(hall, a.at - 86_400_000, a.at, a.counter)} AND state = 'staffed' GROUP BY counter, state, role ORDER BY time DESC LIMIT 1`,
    ),
  );
  return results.map((series) => {
    const rows = rowsOf(series).map(toInterval);
    rows.sort((x, y) => y.start - x.start);
    return rows[0];
  });
}

/** R23: staffed intervals with fewer on post than required (few: read in full). */
export async function understaffedIntervals(
  db: InfluxClient,
  q: { hall: string; counter?: string; from: number; to: number },
): Promise<StatsInterval[]> {
  const [series] = await db.query([
    `SELECT end_ms, state, staff, role FROM counter_interval WHERE ${where(q.hall, q.from, q.to, q.counter)} AND understaffed = true GROUP BY counter`,
  ]);
  return rowsOf(series ?? []).map((r) => ({ ...toInterval(r), understaffed: true }));
}

/** R23: personal late arrivals (late_arrival points, time = the badge-in) in the range. */
export async function lateArrivalsOf(
  db: InfluxClient,
  q: { hall: string; counter?: string; from: number; to: number },
): Promise<StatsLateArrival[]> {
  const [series] = await db.query([
    `SELECT late_s, session_start_ms FROM late_arrival WHERE ${where(q.hall, q.from, q.to, q.counter)} GROUP BY counter, staff`,
  ]);
  return rowsOf(series ?? []).map((r) => ({
    counter: String(r.counter),
    staff: String(r.staff),
    at: Number(r.time),
    sessionStart: Number(r.session_start_ms),
    lateSeconds: Number(r.late_s),
  }));
}
