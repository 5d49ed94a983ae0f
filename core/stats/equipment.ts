// 设备完好率 (DOMAIN §4, R11): service seconds with status ok / service seconds with a known status;
// faults and mean time to repair from equipment_fault alerts.
import type { StatsAlert, Window } from './types.ts';
import { overlapMs, totalMs } from './windows.ts';

export type EquipmentStatusValue = 'ok' | 'fault' | 'off';
export interface StatusChange {
  t: number;
  status: EquipmentStatusValue;
}

/** Status holds from each change to the next (retained-topic semantics); before the first: no data. */
export function equipmentAvailability(
  windows: readonly Window[],
  changes: readonly StatusChange[],
  to: number,
): { serviceMs: number; dataMs: number; okMs: number } {
  const serviceMs = totalMs(windows);
  let dataMs = 0;
  let okMs = 0;
  const hint = { i: 0 };
  const sorted = [...changes].sort((a, b) => a.t - b.t);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!.t;
    const b = Math.min(sorted[i + 1]?.t ?? to, to);
    if (b <= a) continue;
    const ms = overlapMs(windows, a, b, hint);
    dataMs += ms;
    if (sorted[i]!.status === 'ok') okMs += ms;
  }
  return { serviceMs, dataMs, okMs };
}

/** Faults opened in [from, to) (retracted ones do not count), their MTTR and how many are still open at `to`. */
export function faultStats(
  alerts: readonly StatsAlert[],
  from: number,
  to: number,
): { faultCount: number; meanTimeToRepairSeconds: number | null; openFaults: number } {
  const faults = alerts.filter(
    (a) => a.type === 'equipment_fault' && a.reason !== 'retracted' && a.openedAt >= from && a.openedAt < to,
  );
  const repaired = faults.filter((a) => a.resolvedAt !== undefined && a.resolvedAt <= to);
  const mttr =
    repaired.length > 0
      ? Math.round(repaired.reduce((s, a) => s + (a.resolvedAt! - a.openedAt), 0) / repaired.length / 1000)
      : null;
  return {
    faultCount: faults.length,
    meanTimeToRepairSeconds: mttr,
    openFaults: faults.length - repaired.length,
  };
}
