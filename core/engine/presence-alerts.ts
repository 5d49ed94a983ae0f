// The presence alerts of R4–R7 and R9: who is named, who is asked to 顶岗, what the details carry.
import { openAlert } from './alerts.ts';
import { notifyList } from './facts.ts';
import {
  counterName,
  hallName,
  lateOpeningMessage,
  localClock,
  staffingGapMessage,
  staffLabel,
  unattendedMessage,
  whoLabel,
} from './messages.ts';
import { type Absence, type Attribution, type CounterData, type Ctx, counterKey, rulesOf } from './state.ts';

export function counterPresenceText(ctx: Ctx, c: CounterData, who: Attribution) {
  const cfg = ctx.counterCfg.get(counterKey(c.hall, c.counter));
  const roster = cfg?.roster;
  const where = `${hallName(ctx, c.hall)} ${counterName(ctx, c.hall, c.counter)}`;
  let coverAsk: string;
  if (roster && 'a' in roster) {
    // R7: B covers for A; when B is the one missing (A on leave), A is asked back.
    coverAsk =
      roster.b && who.staff !== roster.b
        ? `请B角${staffLabel(ctx, roster.b)}立即顶岗，并通知${whoLabel(ctx, who)}尽快返岗。`
        : `请A角${staffLabel(ctx, roster.a)}或窗口单位立即安排顶岗。`;
  } else coverAsk = `请${cfg?.agency ?? '窗口单位'}立即安排人员顶岗。`;
  const p = { where, who: whoLabel(ctx, who), coverAsk };
  return {
    ...p,
    lateMessage: (start: number) => lateOpeningMessage(p, localClock(ctx.calendar, start)),
  };
}

export function openAbsenceAlert(ctx: Ctx, c: CounterData, a: Absence, at: number): void {
  const r = rulesOf(ctx, c.hall, c.counter);
  const p = counterPresenceText(ctx, c, a.responsible);
  const t0 = localClock(ctx.calendar, a.t0, true);
  const limitMs = a.gap ? r.gapGraceMs : a.awaySeen ? r.awayLimitMs : r.unsignedGraceMs;
  openAlert(ctx, {
    type: a.gap ? 'staffing_gap' : 'unattended',
    severity: 'critical',
    hall: c.hall,
    counter: c.counter,
    subject: c.counter,
    openedAt: at,
    message: a.gap
      ? staffingGapMessage(p, t0, limitMs)
      : unattendedMessage(p, a.awaySeen ? 'away' : 'unsigned', t0, limitMs),
    details: {
      absenceStartedAt: a.t0,
      limitSeconds: limitMs / 1000,
      sign: a.gap ? 'ignored' : a.awaySeen ? 'away' : 'none',
      sessionStart: c.session?.start,
    },
    ...(a.responsible.staff
      ? { responsible: { staff: a.responsible.staff, role: a.responsible.role ?? 'staff' } }
      : {}),
    notify: notifyList(ctx, c, at),
  });
}
