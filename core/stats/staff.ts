// Who an interval or an interruption belongs to (DOMAIN R7): the badge when known, else the roster.
// Without a badge the person sitting at an A/B counter is presumed to be A (cover is shown by badging).
import type { CounterConfig } from '../config/schema.ts';
import type { StatsAlert, StatsInterval } from './types.ts';

type Roster = CounterConfig['roster'];

/** The staff member presumed at the counter when nobody badged: roster A, or its only staff. */
export function defaultStaff(roster: Roster): string | undefined {
  if (!roster) return undefined;
  if ('a' in roster) return roster.a;
  return roster.staff.length === 1 ? roster.staff[0] : undefined;
}

export function staffOfInterval(
  iv: Pick<StatsInterval, 'staff' | 'role'>,
  roster: Roster,
): string | undefined {
  if (iv.staff) return iv.staff;
  if (roster && 'a' in roster) {
    if (iv.role === 'b') return roster.b;
    return roster.a;
  }
  return defaultStaff(roster);
}

/**
 * The person answerable for an interruption: the alert's own attribution, else whoever was last on
 * post at the counter before it opened (the one who left), else the roster.
 */
export function responsibleFor(
  alert: Pick<StatsAlert, 'responsible' | 'openedAt'>,
  lastStaffedBefore: Pick<StatsInterval, 'staff' | 'role'> | undefined,
  roster: Roster,
): string | undefined {
  if (alert.responsible) return alert.responsible;
  if (lastStaffedBefore) return staffOfInterval(lastStaffedBefore, roster);
  return defaultStaff(roster);
}
