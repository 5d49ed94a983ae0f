// Small facts about a counter that several rules ask: how many are on post, whether the data
// is known (R12), whether the 暂停服务 board is up (R8), who is attributed (R7, R24, R28) and how
// many are available (R23).
import type { Sign } from '../protocol/events.ts';
import {
  type Attribution,
  type CounterData,
  type Ctx,
  counterKey,
  leaveOf,
  localDateOf,
  rulesOf,
} from './state.ts';

/** R3: staffOnPost = occupied seats (sensor truth). */
export function staffOnPost(c: CounterData): number {
  let n = 0;
  for (const s of Object.values(c.seats)) if (s.occupied === true) n++;
  return n;
}

/** R12: unknown when the controller is offline or no seat has reported since the engine started. */
export function isKnown(c: CounterData): boolean {
  return !c.offline && Object.values(c.seats).some((s) => s.occupied !== null);
}

/** The sign as the rules read it: with `pausedMeansAway` (seed 004), 暂停服务 is a brief absence. */
export function effectiveSign(ctx: Ctx, c: CounterData): Sign {
  if (c.sign === 'paused' && rulesOf(ctx, c.hall, c.counter).pausedMeansAway) return 'away';
  return c.sign;
}

export function isPaused(ctx: Ctx, c: CounterData): boolean {
  return effectiveSign(ctx, c) === 'paused';
}

export function roleOf(ctx: Ctx, c: CounterData, staff: string): 'a' | 'b' | 'staff' {
  const roster = ctx.counterCfg.get(counterKey(c.hall, c.counter))?.roster;
  if (roster && 'a' in roster) {
    if (roster.a === staff) return 'a';
    if (roster.b === staff) return 'b';
  }
  return 'staff';
}

/** R24: staff on approved leave at t (engine inputs) or on a legacy dated override that day (R20). */
export function onLeaveAt(ctx: Ctx, c: CounterData, staff: string, t: number): boolean {
  for (const l of ctx.leaveByStaff.get(`${c.hall}/${staff}`) ?? []) if (l.from <= t && t < l.to) return true;
  return leaveOf(ctx, c.hall, c.counter, localDateOf(ctx, t)).some((l) => l.staff === staff);
}

/**
 * Who is expected at the counter at t (R7, R24, R28): A, or — A on leave — the approved cover or B
 * (basis `cover`); on a multi-staff roster the first rostered person not on leave.
 */
export function rosteredAt(ctx: Ctx, c: CounterData, t: number): Attribution {
  const roster = ctx.counterCfg.get(counterKey(c.hall, c.counter))?.roster;
  if (!roster) return {};
  if ('a' in roster) {
    if (!onLeaveAt(ctx, c, roster.a, t)) return { staff: roster.a, role: 'a', basis: 'roster' };
    const legacy = leaveOf(ctx, c.hall, c.counter, localDateOf(ctx, t)).find((l) => l.staff === roster.a);
    const cover = legacy?.cover ?? roster.b;
    if (!cover || onLeaveAt(ctx, c, cover, t)) return {};
    return { staff: cover, role: roleOf(ctx, c, cover), basis: 'cover', coverFor: roster.a };
  }
  const first = roster.staff.find((s) => !onLeaveAt(ctx, c, s, t));
  if (first) return { staff: first, role: 'staff', basis: 'roster' };
  const legacy = leaveOf(ctx, c.hall, c.counter, localDateOf(ctx, t)).find((l) => l.cover);
  return legacy?.cover ? { staff: legacy.cover, role: 'staff', basis: 'cover', coverFor: legacy.staff } : {};
}

/**
 * R23 `available`: rostered staff not on leave at t (an A/B counter has at most 1); null when the
 * counter has no roster (the rules then fall back to version 1: R6 "≥2 seen together").
 */
export function availableAt(ctx: Ctx, c: CounterData, t: number): string[] | null {
  const roster = ctx.counterCfg.get(counterKey(c.hall, c.counter))?.roster;
  if (!roster) return null;
  if ('a' in roster) {
    const who = rosteredAt(ctx, c, t);
    return who.staff ? [who.staff] : [];
  }
  return roster.staff.filter((s) => !onLeaveAt(ctx, c, s, t));
}

/** R23/R6: multi-staffed at t — by roster (available ≥ 2 on a counter with ≥ 2 seats), else v1. */
export function isMultiStaffed(ctx: Ctx, c: CounterData, t: number): boolean {
  const available = availableAt(ctx, c, t);
  if (available === null) return c.multiStaffed;
  return available.length >= 2 && Object.keys(c.seats).length >= 2;
}

/** R23: staff required on post at t: min(minStaff, available). */
export function requiredAt(ctx: Ctx, c: CounterData, t: number): number {
  const min = ctx.counterCfg.get(counterKey(c.hall, c.counter))?.minStaff ?? 1;
  const available = availableAt(ctx, c, t);
  return available === null ? min : Math.min(min, available.length);
}

/** Staff badged in today, oldest first (badges are per service day: yesterday's never count). */
export function badgedIn(ctx: Ctx, c: CounterData, t: number): string[] {
  const today = localDateOf(ctx, t);
  return c.badges.filter((b) => localDateOf(ctx, b.ts) === today).map((b) => b.staff);
}

/**
 * R7/R28: the person at the counter: the latest badge-in not followed by a badge-out today
 * (basis `badge`), else who is expected (cover or roster).
 */
export function presentAt(ctx: Ctx, c: CounterData, t: number): Attribution {
  const badged = badgedIn(ctx, c, t);
  const last = badged[badged.length - 1];
  return last ? { staff: last, role: roleOf(ctx, c, last), basis: 'badge' } : rosteredAt(ctx, c, t);
}

/** Staff to notify for a presence alert: A and B (and an approved cover) of the counter. */
export function notifyList(ctx: Ctx, c: CounterData, t: number): string[] {
  const roster = ctx.counterCfg.get(counterKey(c.hall, c.counter))?.roster;
  if (!roster) return [];
  const list = 'a' in roster ? [roster.a, ...(roster.b ? [roster.b] : [])] : [...roster.staff];
  for (const l of leaveOf(ctx, c.hall, c.counter, localDateOf(ctx, t))) if (l.cover) list.push(l.cover);
  return [...new Set(list)];
}
