// R10 readiness: in [T − readinessLead, T) before the service day's first session, a counter
// with nobody on post or any counter equipment off/fault is `not_ready` (info).

import { EQUIPMENT_STATUS_LABELS } from '../vocabulary.ts';
import { openAlert } from './alerts.ts';
import { equipmentLabel } from './equipment.ts';
import { notifyList, rosteredAt, staffOnPost } from './facts.ts';
import { counterName, hallName, localClock, notReadyMessage } from './messages.ts';
import { type CounterData, type Ctx, counterKey, rulesOf } from './state.ts';

export function notReadyReasons(ctx: Ctx, c: CounterData): string[] {
  const why: string[] = [];
  if (staffOnPost(c) === 0) why.push('无人在岗');
  for (const key of ctx.counterEquipment.get(counterKey(c.hall, c.counter)) ?? []) {
    const eq = ctx.st.equipment[key];
    if (!eq || eq.offline) continue;
    if (eq.status === 'off') why.push(`${equipmentLabel(ctx, eq)}未开机`);
    if (eq.status === 'fault') why.push(`${equipmentLabel(ctx, eq)}${EQUIPMENT_STATUS_LABELS.fault.zh}`);
  }
  return why;
}

export function openNotReady(ctx: Ctx, c: CounterData, t: number, why: string[]): void {
  const first = c.readinessUntil!;
  const lead = rulesOf(ctx, c.hall, c.counter).readinessLeadMs;
  const who = rosteredAt(ctx, c, t);
  openAlert(ctx, {
    type: 'not_ready',
    severity: 'info',
    hall: c.hall,
    counter: c.counter,
    subject: c.counter,
    openedAt: t,
    message: notReadyMessage(
      `${hallName(ctx, c.hall)} ${counterName(ctx, c.hall, c.counter)}`,
      localClock(ctx.calendar, first),
      lead,
      why,
    ),
    details: {
      sessionStart: first,
      readinessLeadSeconds: lead / 1000,
      reasons: why,
    },
    ...(who.staff ? { responsible: { staff: who.staff, role: who.role ?? 'staff' } } : {}),
    notify: notifyList(ctx, c, t),
  });
}
