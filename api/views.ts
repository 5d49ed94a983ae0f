// Joins the alerts service's live view with the hall's configuration (names, layout, equipment
// kinds, thresholds) into what the API returns. No rules here: states and alerts come as they are.

import type { AlertsService, EnvReadingView } from '../alerts/types.ts';
import { zoneOf } from '../core/calendar/zone.ts';
import type { Config, HallConfig, Thresholds } from '../core/config/schema.ts';
import type { EquipmentView } from '../core/engine/types.ts';
import { ENV_METRICS, type EnvMetric } from '../core/protocol/payloads.ts';
import { notFound } from './errors.ts';

export function hallOf(config: Config, hall: string): HallConfig {
  const h = config.halls.find((x) => x.id === hall);
  if (!h) throw notFound('hall', hall);
  return h;
}

/** The hall as the board draws it: counters at their grid positions (config order fills gaps). */
export function layoutOf(h: HallConfig) {
  const cols = Math.max(1, ...h.counters.map((c) => (c.position ? c.position.col + 1 : 0)));
  const perRow = h.counters.some((c) => c.position) ? cols : 8;
  return {
    id: h.id,
    name: h.name,
    counters: h.counters.map((c, i) => ({
      counter: c.id,
      name: c.name,
      ...(c.agency ? { agency: c.agency } : {}),
      seats: c.seats,
      position: c.position ?? { row: Math.floor(i / perRow), col: i % perRow },
      equipment: c.equipment.map((e) => ({
        equipment: e.id,
        kind: e.kind,
        ...(e.name ? { name: e.name } : {}),
      })),
    })),
    equipment: h.equipment.map((e) => ({
      equipment: e.id,
      kind: e.kind,
      ...(e.name ? { name: e.name } : {}),
    })),
    sensors: h.sensors.map((s) => ({
      sensor: s.id,
      ...(s.name ? { name: s.name } : {}),
      ...(s.counter ? { counter: s.counter } : {}),
    })),
    thresholds: h.thresholds,
  };
}

export function countersOf(config: Config, alerts: AlertsService, hall: string) {
  const h = hallOf(config, hall);
  const live = new Map(alerts.counters(hall).map((c) => [c.counter, c]));
  const equipment = alerts.equipment(hall);
  const layout = layoutOf(h);
  return h.counters.map((c, i) => {
    const l = live.get(c.id);
    const pos = layout.counters[i]!.position;
    return {
      hall,
      counter: c.id,
      name: c.name,
      ...(c.agency ? { agency: c.agency } : {}),
      position: pos,
      state: l?.state ?? 'unknown',
      since: l?.since ?? 0,
      staffOnPost: l?.staffOnPost ?? 0,
      sign: l?.sign ?? 'none',
      seats: l?.seats ?? Object.fromEntries(c.seats.map((s) => [s, false])),
      staff: l?.staff ?? [],
      ...(l?.deadline !== undefined ? { deadline: l.deadline } : {}),
      ...(l?.note ? { note: l.note } : {}),
      ...(l?.returnBy !== undefined ? { returnBy: l.returnBy } : {}),
      ...(l?.waiting ? { waiting: l.waiting } : {}),
      openAlerts: l?.openAlerts ?? [],
      equipment: c.equipment.map((e) => equipmentView(hall, c.id, e, equipment)),
    };
  });
}

function equipmentView(
  hall: string,
  counter: string | undefined,
  e: { id: string; kind: string; name?: string },
  live: EquipmentView[],
) {
  const v = live.find((x) => x.equipment === e.id && x.counter === counter);
  return {
    hall,
    ...(counter ? { counter } : {}),
    equipment: e.id,
    kind: e.kind,
    ...(e.name ? { name: e.name } : {}),
    status: v?.status ?? 'unknown',
    ...(v?.code ? { code: v.code } : {}),
    ...(v ? { since: v.since } : {}),
  };
}

/** Every piece of equipment of the hall (hall-level first), configured kind and live status. */
export function equipmentOf(config: Config, alerts: AlertsService, hall: string) {
  const h = hallOf(config, hall);
  const live = alerts.equipment(hall);
  return [
    ...h.equipment.map((e) => equipmentView(hall, undefined, e, live)),
    ...h.counters.flatMap((c) => c.equipment.map((e) => equipmentView(hall, c.id, e, live))),
  ];
}

type Band = { min?: number; max?: number };

/** The band in force at `at` (temperature and humidity follow the configured seasons). */
export function bandsAt(config: Config, t: Thresholds, at: number): Partial<Record<EnvMetric, Band>> {
  const month = Number(zoneOf(config.timezone).localDate(at).slice(5, 7));
  const season = config.seasons.summerMonths.includes(month)
    ? 'summer'
    : config.seasons.winterMonths.includes(month)
      ? 'winter'
      : null;
  const out: Partial<Record<EnvMetric, Band>> = {};
  for (const m of ENV_METRICS) {
    const b = t[m] as (Band & { summer?: Band; winter?: Band }) | undefined;
    if (!b) continue;
    const s = season ? b[season] : undefined;
    const band: Band = {};
    const min = s?.min ?? b.min;
    const max = s?.max ?? b.max;
    if (min !== undefined) band.min = min;
    if (max !== undefined) band.max = max;
    out[m] = band;
  }
  return out;
}

export function environmentOf(config: Config, alerts: AlertsService, hall: string, now: number) {
  const h = hallOf(config, hall);
  const bands = bandsAt(config, h.thresholds, now);
  const live = new Map<string, EnvReadingView>(alerts.environment(hall).map((r) => [r.sensor, r]));
  return h.sensors.map((s) => {
    const r = live.get(s.id);
    const readings = r?.readings ?? {};
    const outOfBand = ENV_METRICS.filter((m) => {
      const v = readings[m];
      const b = bands[m];
      return (
        v !== undefined && b && ((b.min !== undefined && v < b.min) || (b.max !== undefined && v > b.max))
      );
    });
    return {
      hall,
      sensor: s.id,
      ...(s.name ? { name: s.name } : {}),
      ...(s.counter ? { counter: s.counter } : {}),
      ...(r ? { at: r.at } : {}),
      readings,
      bands,
      outOfBand,
    };
  });
}
