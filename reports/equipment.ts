// GET /api/stats/equipment: availability in service hours, faults and MTTR per equipment (R11).
// Equipment messages double as heartbeats, so raw points can be many: only non-ok points and the
// first ok point after each non-ok run are read, which is all the status history that matters.
// Service hours are the sessions without approved closures (R24).
import {
  equipmentAvailability,
  faultStats,
  type StatusChange,
  subtractWindows,
  type Window,
} from '../core/stats/index.ts';
import { closuresOf, servedSessions } from './approvals.ts';
import { lit, ms, rowsOf } from './influx.ts';
import { alertsOf, rawIntervals } from './queries.ts';
import { checkQuery } from './range.ts';
import type { EquipmentQuery, EquipmentReport, EquipmentRow } from './types.ts';
import type { ReportDeps } from './uptime.ts';

const LOOKBACK_MS = 366 * 86_400_000;
const key = (counter: string | undefined, equipment: string) => `${counter ?? ''}/${equipment}`;
const STATUSES = new Set(['ok', 'fault', 'off']);

export async function equipmentReport(d: ReportDeps, q: EquipmentQuery): Promise<EquipmentReport> {
  const { hall, counters } = checkQuery(d.config, q);
  const items = [
    ...(q.counter ? [] : hall.equipment.map((e) => ({ counter: undefined as string | undefined, e }))),
    ...counters.flatMap((c) => c.equipment.map((e) => ({ counter: c.id as string | undefined, e }))),
  ];
  const h = lit(q.hall);
  const range = `time >= ${ms(q.from)} AND time < ${ms(q.to)}`;
  const [[before, firstIn, nonOk], paused, alerts, closures] = await Promise.all([
    d.db.query([
      `SELECT LAST(status) AS status FROM equipment WHERE hall = ${h} AND time >= ${ms(q.from - LOOKBACK_MS)} AND time < ${ms(q.from)} GROUP BY counter, equipment`,
      `SELECT FIRST(status) AS status FROM equipment WHERE hall = ${h} AND ${range} GROUP BY counter, equipment`,
      `SELECT status FROM equipment WHERE hall = ${h} AND ${range} AND status != 'ok' GROUP BY counter, equipment`,
    ]) as Promise<[never, never, never]>,
    rawIntervals(
      d.db,
      { hall: q.hall, counter: q.counter, windows: [{ from: q.from, to: q.to }] },
      { only: 'paused' },
    ),
    alertsOf(d.db, { hall: q.hall, from: q.from, to: q.to, types: ['equipment_fault'] }),
    closuresOf(d, q.hall, q.to),
  ]);

  const changes = new Map<string, StatusChange[]>();
  const add = (k: string, c: StatusChange) => {
    if (!STATUSES.has(c.status)) return;
    const list = changes.get(k) ?? [];
    list.push(c);
    changes.set(k, list);
  };
  const known = new Set<string>();
  for (const r of rowsOf(before)) {
    const k = key(r.counter as string | undefined, String(r.equipment));
    known.add(k);
    add(k, { t: q.from, status: r.status as StatusChange['status'] });
  }
  for (const r of rowsOf(firstIn)) {
    const k = key(r.counter as string | undefined, String(r.equipment));
    if (!known.has(k)) add(k, { t: Number(r.time), status: r.status as StatusChange['status'] });
  }
  const nonOkOf = new Map<string, StatusChange[]>();
  for (const r of rowsOf(nonOk)) {
    const k = key(r.counter as string | undefined, String(r.equipment));
    const list = nonOkOf.get(k) ?? [];
    list.push({ t: Number(r.time), status: r.status as StatusChange['status'] });
    nonOkOf.set(k, list);
  }
  // A non-ok status at `from` opens a run too.
  for (const [k, list] of changes)
    if (list[0] && list[0].status !== 'ok') nonOkOf.set(k, [list[0], ...(nonOkOf.get(k) ?? [])]);

  // Runs: from the first non-ok point to the first ok point after it; rounds of one batched request.
  const cursor = new Map<string, number>(); // equipment → index of the next run's first non-ok point
  for (const [k, list] of nonOkOf) {
    list.sort((a, b) => a.t - b.t);
    cursor.set(k, 0);
  }
  while (cursor.size > 0) {
    const asks = [...cursor].map(([k, i]) => ({ k, t: nonOkOf.get(k)![i]!.t }));
    const results = await d.db.query(
      asks.map(({ k, t }) => {
        const [counter, equipment] = k.split('/') as [string, string];
        const c = counter ? `counter = ${lit(counter)}` : `counter = ''`;
        return `SELECT FIRST(status) AS status FROM equipment WHERE hall = ${h} AND ${c} AND equipment = ${lit(equipment)} AND status = 'ok' AND time > ${ms(t)} AND time < ${ms(q.to)}`;
      }),
    );
    asks.forEach(({ k }, n) => {
      const okAt = rowsOf(results[n]!)[0]?.time;
      const list = nonOkOf.get(k)!;
      let i = cursor.get(k)!;
      const end = okAt === undefined ? Number.POSITIVE_INFINITY : Number(okAt);
      while (i < list.length && list[i]!.t < end) add(k, list[i++]!);
      if (okAt !== undefined) add(k, { t: end, status: 'ok' });
      if (i < list.length && okAt !== undefined) cursor.set(k, i);
      else cursor.delete(k);
    });
  }

  const pausedOf = (counter: string) =>
    paused.filter((p) => p.counter === counter).sort((a, b) => a.start - b.start);
  const rows: EquipmentRow[] = items.map(({ counter, e }) => {
    const sessions = servedSessions(d, closures, q, counter ?? null);
    let windows: Window[] = sessions
      .map((s) => ({ start: Math.max(s.start, q.from), end: Math.min(s.end, q.to) }))
      .filter((w) => w.end > w.start);
    if (counter) windows = subtractWindows(windows, pausedOf(counter));
    const a = equipmentAvailability(windows, changes.get(key(counter, e.id)) ?? [], q.to);
    const mine = alerts.filter((x) => x.equipment === e.id && (x.counter ?? undefined) === counter);
    return {
      hall: q.hall,
      ...(counter ? { counter } : {}),
      equipment: e.id,
      kind: e.kind,
      ...(e.name ? { name: e.name } : {}),
      serviceSeconds: Math.round(a.serviceMs / 1000),
      dataSeconds: Math.round(a.dataMs / 1000),
      okSeconds: Math.round(a.okMs / 1000),
      unavailableSeconds: Math.round((a.dataMs - a.okMs) / 1000),
      availability: a.dataMs > 0 ? a.okMs / a.dataMs : null,
      ...faultStats(mine, q.from, q.to),
    };
  });
  const ok = rows.reduce((s, r) => s + r.okSeconds, 0);
  const data = rows.reduce((s, r) => s + r.dataSeconds, 0);
  return { hall: q.hall, from: q.from, to: q.to, rows, availability: data > 0 ? ok / data : null };
}
