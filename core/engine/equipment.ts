// R11 equipment: `fault` opens equipment_fault after faultGrace, `off` after offGrace, only in
// service hours (counter equipment: the counter's sessions while not paused; hall equipment: the
// hall's sessions); still bad at the next session start → opens then. Resolves only on `ok`.
import type { EquipmentConfig } from '../config/index.ts';
import type { EquipmentEvent } from '../protocol/events.ts';
import { EQUIPMENT_KIND_LABELS } from '../vocabulary.ts';
import { openAlert, retractOrResolve } from './alerts.ts';
import { isPaused } from './facts.ts';
import { counterName, equipmentFaultMessage, hallName } from './messages.ts';
import { arm, type Ctx, counterKey, disarm, type EquipmentData, equipmentKey, rulesOf } from './state.ts';
import type { EquipmentView } from './types.ts';

function configOf(ctx: Ctx, eq: EquipmentData): EquipmentConfig | undefined {
  const list = eq.counter
    ? ctx.counterCfg.get(counterKey(eq.hall, eq.counter))?.equipment
    : ctx.halls.get(eq.hall)?.equipment;
  return list?.find((e) => e.id === eq.equipment);
}

export function equipmentLabel(ctx: Ctx, eq: EquipmentData): string {
  const cfg = configOf(ctx, eq);
  return cfg?.name ?? (cfg ? `${EQUIPMENT_KIND_LABELS[cfg.kind].zh}(${eq.equipment})` : eq.equipment);
}

export const equipmentSubject = (eq: { counter?: string; equipment: string }) =>
  eq.counter ? `${eq.counter}/${eq.equipment}` : eq.equipment;

export function createEquipment(
  ctx: Ctx,
  hall: string,
  counter: string | undefined,
  id: string,
  now: number,
) {
  const eq: EquipmentData = {
    hall,
    ...(counter ? { counter } : {}),
    equipment: id,
    status: 'unknown',
    offline: false,
    since: now,
    ts: 0,
    alerted: false,
    tm: {},
  };
  ctx.st.equipment[equipmentKey(hall, counter, id)] = eq;
  return eq;
}

export function equipmentView(eq: EquipmentData): EquipmentView {
  return {
    hall: eq.hall,
    ...(eq.counter ? { counter: eq.counter } : {}),
    equipment: eq.equipment,
    status: eq.offline ? 'unknown' : eq.status,
    ...(eq.code ? { code: eq.code } : {}),
    since: eq.since,
  };
}

/** Service hours for this equipment at t (R11). */
function inService(ctx: Ctx, eq: EquipmentData): boolean {
  if (eq.counter) {
    const c = ctx.st.counters[counterKey(eq.hall, eq.counter)];
    return !!c?.session && !isPaused(ctx, c);
  }
  return !!ctx.st.schedules[eq.hall]?.session;
}

/** Applies a status report; returns false when it is stale (older than what we have). */
export function applyEquipmentEvent(ctx: Ctx, eq: EquipmentData, e: EquipmentEvent): boolean {
  if (e.ts < eq.ts) return false;
  eq.ts = e.ts;
  const changed = e.status !== eq.status || e.code !== eq.code;
  if (e.status !== eq.status) eq.since = e.ts;
  eq.status = e.status;
  if (e.code) eq.code = e.code;
  else delete eq.code;
  if (changed) ctx.out.push({ kind: 'equipment', view: equipmentView(eq) });
  reconcileEquipment(ctx, eq, e.ts, e.ts);
  return true;
}

export function reconcileEquipment(ctx: Ctx, eq: EquipmentData, t: number, evTs = t): void {
  const key = equipmentKey(eq.hall, eq.counter, eq.equipment);
  if (eq.status === 'ok') {
    disarm(eq, 'equipment');
    if (eq.alerted) {
      eq.alerted = false;
      retractOrResolve(ctx, 'equipment_fault', eq.hall, equipmentSubject(eq), evTs, 'repaired');
    }
    return;
  }
  if (eq.status === 'unknown' || eq.alerted) return;
  const r = rulesOf(ctx, eq.hall, eq.counter);
  const due = eq.since + (eq.status === 'fault' ? r.faultGraceMs : r.offGraceMs);
  if (t < due) {
    arm(ctx, eq, 'equipment', key, due);
    return;
  }
  disarm(eq, 'equipment');
  // Outside hours nothing opens; the next session start (or pause lowered) calls us again.
  if (!inService(ctx, eq)) return;
  eq.alerted = true;
  const where = eq.counter
    ? `${hallName(ctx, eq.hall)} ${counterName(ctx, eq.hall, eq.counter)}`
    : hallName(ctx, eq.hall);
  openAlert(ctx, {
    type: 'equipment_fault',
    severity: 'warning',
    hall: eq.hall,
    ...(eq.counter ? { counter: eq.counter } : {}),
    equipment: eq.equipment,
    subject: equipmentSubject(eq),
    openedAt: t,
    message: equipmentFaultMessage(where, equipmentLabel(ctx, eq), eq.status, eq.code),
    details: {
      status: eq.status,
      ...(eq.code ? { code: eq.code } : {}),
      statusSince: eq.since,
      faultNotice: true,
    },
  });
}
