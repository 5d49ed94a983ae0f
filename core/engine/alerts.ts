// Alert lifecycle (R15): one open alert per (type, subject); opening twice is a no-op; a new
// occurrence after a resolve gets a new id because its openedAt differs.
import type { AlertType } from '../protocol/payloads.ts';
import { unverifiedMark } from './coverage.ts';
import { alertId } from './ids.ts';
import { calendarUnverifiedNote } from './messages.ts';
import type { Ctx } from './state.ts';
import type { EngineAlert, ResolvedAlert, ResolveReason } from './types.ts';

export const subjectKey = (type: AlertType, hall: string, subject: string) => `${type}|${hall}|${subject}`;

export type AlertSpec = Omit<EngineAlert, 'id'> & { subject: string };

/** Opens the alert unless one is already open for its (type, subject); returns the open alert. */
export function openAlert(ctx: Ctx, spec: AlertSpec): EngineAlert {
  const { subject, ...rest } = spec;
  const key = subjectKey(spec.type, spec.hall, subject);
  const existing = ctx.st.alerts[key];
  if (existing) return existing;
  // R26: an alert on a date of a year without holiday data says that its schedule is a guess.
  const year = spec.type === 'calendar_unverified' ? null : unverifiedMark(ctx, spec.hall, spec.openedAt);
  if (year !== null) {
    rest.details = { ...rest.details, calendarUnverified: true };
    rest.message = `${rest.message}${calendarUnverifiedNote(year)}`;
  }
  let id = alertId(spec.type, spec.hall, subject, spec.openedAt);
  // A retracted alert re-raised at the same instant is a new occurrence: it gets a new id.
  if (ctx.st.lastIds[key]?.startsWith(id))
    id = `${id}-${Number(ctx.st.lastIds[key].slice(id.length + 1) || 1) + 1}`;
  ctx.st.lastIds[key] = id;
  const alert: EngineAlert = { id, ...rest };
  ctx.st.alerts[key] = alert;
  ctx.out.push({ kind: 'alert_opened', alert });
  return alert;
}

export function openAlertOf(
  ctx: Ctx,
  type: AlertType,
  hall: string,
  subject: string,
): EngineAlert | undefined {
  return ctx.st.alerts[subjectKey(type, hall, subject)];
}

/** Resolves the open alert of (type, subject), if any; `details` are merged (e.g. lateSeconds). */
export function resolveAlert(
  ctx: Ctx,
  type: AlertType,
  hall: string,
  subject: string,
  at: number,
  reason: ResolveReason,
  details?: Record<string, unknown>,
): ResolvedAlert | null {
  const key = subjectKey(type, hall, subject);
  const alert = ctx.st.alerts[key];
  if (!alert) return null;
  delete ctx.st.alerts[key];
  const resolved: ResolvedAlert = {
    ...alert,
    details: details ? { ...alert.details, ...details } : alert.details,
    resolvedAt: Math.max(at, alert.openedAt),
    reason,
  };
  ctx.out.push({ kind: 'alert_resolved', alert: resolved });
  return resolved;
}

/**
 * R15 retraction: a late event observed at `ts` proves the condition was false at openedAt
 * (events before timers: ts == openedAt counts). Resolved now, reason `retracted`.
 */
export function retractOrResolve(
  ctx: Ctx,
  type: AlertType,
  hall: string,
  subject: string,
  ts: number,
  reason: ResolveReason,
  details?: Record<string, unknown>,
): ResolvedAlert | null {
  const alert = openAlertOf(ctx, type, hall, subject);
  if (!alert) return null;
  if (ts <= alert.openedAt) return resolveAlert(ctx, type, hall, subject, ctx.st.now, 'retracted');
  return resolveAlert(ctx, type, hall, subject, ts, reason, details);
}

export function resolveById(ctx: Ctx, id: string, at: number): ResolvedAlert | null {
  for (const [key, alert] of Object.entries(ctx.scan.alerts)) {
    if (alert.id !== id) continue;
    const [type, hall, ...rest] = key.split('|');
    return resolveAlert(ctx, type as AlertType, hall!, rest.join('|'), at, 'manual');
  }
  return null;
}
