// Maintenance silences (notifications muted, alert still open on the board) and quiet hours.
// Approved leave and closures are not here: they are engine inputs (R24), never a suppression.
import type { ServiceCalendar } from '../../core/calendar/types.ts';
import type { EngineAlert } from '../../core/engine/types.ts';
import type { AlertType } from '../../core/protocol/payloads.ts';
import type { Silence } from '../types.ts';

/** Rules about people being on post; equipment and environment alerts are not among them. */
export const PRESENCE_TYPES: ReadonlySet<AlertType> = new Set([
  'unattended',
  'staffing_gap',
  'late_opening',
  'not_ready',
  'device_offline',
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

/** Presence alerts wait for service hours; equipment faults and environment alerts never do. */
export function isQuiet(
  calendar: ServiceCalendar,
  a: Pick<EngineAlert, 'hall' | 'counter' | 'type'>,
  at: number,
): boolean {
  if (!PRESENCE_TYPES.has(a.type)) return false;
  return !calendar.isInSession(a.hall, a.counter ?? null, at);
}
