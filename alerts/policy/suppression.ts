// Maintenance silences (notifications muted, alert still open on the board), approved absences
// (presence alerts of that counter do not open; statistics still count the time) and quiet hours.
import type { ServiceCalendar } from '../../core/calendar/types.ts';
import type { EngineAlert, StateInterval } from '../../core/engine/types.ts';
import type { AlertType } from '../../core/protocol/payloads.ts';
import type { Absence, Silence } from '../types.ts';

/** Rules about people being on post; equipment and environment alerts are not among them. */
export const PRESENCE_TYPES: ReadonlySet<AlertType> = new Set([
  'unattended',
  'staffing_gap',
  'late_opening',
  'not_ready',
  'device_offline',
]);
/** What an approved absence excuses: nobody on post at that counter. */
const ABSENCE_TYPES: ReadonlySet<AlertType> = new Set([
  'unattended',
  'staffing_gap',
  'late_opening',
  'not_ready',
]);

export function silenceFor(
  silences: Silence[],
  a: Pick<EngineAlert, 'hall' | 'counter' | 'equipment' | 'type'>,
  at: number,
): Silence | undefined {
  return silences.find(
    (s) =>
      s.hall === a.hall &&
      at >= s.from &&
      at < s.to &&
      (!s.counter || s.counter === a.counter) &&
      (!s.equipment || s.equipment === a.equipment) &&
      (!s.types || s.types.includes(a.type)),
  );
}

export function absenceFor(absences: Absence[], a: EngineAlert, at: number): Absence | undefined {
  if (!a.counter || !ABSENCE_TYPES.has(a.type)) return undefined;
  return absences.find((x) => x.hall === a.hall && x.counter === a.counter && at >= x.from && at < x.to);
}

/** Presence alerts wait for service hours; equipment faults and environment alerts never do. */
export function isQuiet(
  calendar: ServiceCalendar,
  a: Pick<EngineAlert, 'hall' | 'counter' | 'type'>,
  at: number,
): boolean {
  if (!PRESENCE_TYPES.has(a.type)) return false;
  return !calendar.isInSession(a.hall, a.counter ?? null, at);
}

export type MarkedInterval = StateInterval & { approvedAbsence?: string };

/** Splits an interval at approved-absence boundaries and marks the parts inside one. */
export function markAbsences(iv: StateInterval, absences: Absence[]): MarkedInterval[] {
  const mine = absences
    .filter((a) => a.hall === iv.hall && a.counter === iv.counter && a.from < iv.end && a.to > iv.start)
    .sort((x, y) => x.from - y.from);
  if (!mine.length) return [iv];
  const out: MarkedInterval[] = [];
  let t = iv.start;
  for (const a of mine) {
    const s = Math.max(a.from, t);
    const e = Math.min(a.to, iv.end);
    if (e <= s) continue;
    if (s > t) out.push({ ...iv, start: t, end: s });
    out.push({ ...iv, start: s, end: e, approvedAbsence: a.id });
    t = e;
  }
  if (t < iv.end) out.push({ ...iv, start: t, end: iv.end });
  return out;
}
