// The presence alerts of R4–R7, R9, R21, R22 and R28–R30: who is named, who is asked to 顶岗,
// what the details carry (responsible + basis, cover, waiting citizens, the sign's 去向).
import { openAlert } from './alerts.ts';
import { notifyList } from './facts.ts';
import {
  alertSuffix,
  counterName,
  coverAskMessage,
  coverLabel,
  hallName,
  lateOpeningMessage,
  localClock,
  notOpenedMessage,
  roleZh,
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
  if (who.basis === 'cover' && who.staff) coverAsk = coverAskMessage(ctx, who.staff);
  else if (roster && 'a' in roster) {
    // R7: B covers for A; when B is the one missing, A is asked back.
    coverAsk =
      roster.b && who.staff !== roster.b
        ? `请${roleZh('b')}${staffLabel(ctx, roster.b)}立即顶岗，并通知${whoLabel(ctx, who)}尽快返岗。`
        : `请${roleZh('a')}${staffLabel(ctx, roster.a)}或窗口单位立即安排顶岗。`;
  } else coverAsk = `请${cfg?.agency ?? '窗口单位'}立即安排人员顶岗。`;
  const label =
    who.basis === 'cover' && who.staff && who.coverFor
      ? coverLabel(ctx, who.staff, who.coverFor)
      : whoLabel(ctx, who);
  const p = { where, who: label, coverAsk };
  return {
    ...p,
    lateMessage: (start: number) => lateOpeningMessage(p, localClock(ctx.calendar, start)),
  };
}

/**
 * R28/R24/R29/R30 details every interruption alert carries: `responsible` {staff, basis},
 * `coverFor`, `waiting` (citizens waiting now; the largest value is kept while it is open), and
 * the sign's `note` / `returnBy`.
 */
export function interruptionDetails(c: CounterData, who: Attribution): Record<string, unknown> {
  return {
    ...(who.staff ? { responsible: { staff: who.staff, basis: who.basis ?? 'roster' } } : {}),
    ...(who.coverFor ? { coverFor: who.coverFor } : {}),
    ...(c.waiting > 0 ? { waiting: c.waiting } : {}),
    ...(c.sign !== 'none' && c.signNote ? { note: c.signNote } : {}),
    ...(c.sign !== 'none' && c.signReturnBy !== undefined ? { returnBy: c.signReturnBy } : {}),
  };
}

/** The alert text's tail for waiting citizens and the sign's 去向 (R29, R30). */
export function interruptionSuffix(ctx: Ctx, c: CounterData): string {
  return alertSuffix(ctx.calendar, {
    ...(c.waiting > 0 ? { waiting: c.waiting } : {}),
    ...(c.sign !== 'none' && c.signNote ? { note: c.signNote } : {}),
    ...(c.sign !== 'none' && c.signReturnBy !== undefined ? { returnBy: c.signReturnBy } : {}),
  });
}

export function openAbsenceAlert(ctx: Ctx, c: CounterData, a: Absence, at: number): void {
  const r = rulesOf(ctx, c.hall, c.counter);
  const p = counterPresenceText(ctx, c, a.responsible);
  const start = c.session?.start ?? a.t0;
  // R22: a counter not opened counts from the session start, whatever the sign says.
  const t0 = a.late ? start : a.t0;
  const limitMs = a.late
    ? r.noShowLimitMs
    : a.gap
      ? r.gapGraceMs
      : a.awaySeen
        ? r.awayLimitMs
        : r.unsignedGraceMs;
  const clock = localClock(ctx.calendar, t0, true);
  const message = a.late
    ? notOpenedMessage(p, clock, limitMs)
    : a.gap
      ? staffingGapMessage(p, clock, limitMs)
      : unattendedMessage(p, a.awaySeen ? 'away' : 'unsigned', clock, limitMs);
  openAlert(ctx, {
    type: a.gap ? 'staffing_gap' : 'unattended',
    severity: 'critical',
    hall: c.hall,
    counter: c.counter,
    subject: c.counter,
    openedAt: at,
    message: message + interruptionSuffix(ctx, c),
    details: {
      ...(a.late ? { reason: 'not_opened' } : {}),
      absenceStartedAt: t0,
      limitSeconds: limitMs / 1000,
      sign: a.gap || a.late ? 'ignored' : a.awaySeen ? 'away' : 'none',
      sessionStart: c.session?.start,
      ...interruptionDetails(c, a.responsible),
    },
    ...(a.responsible.staff
      ? { responsible: { staff: a.responsible.staff, role: a.responsible.role ?? 'staff' } }
      : {}),
    notify: notifyList(ctx, c, at),
  });
}
