// Small facts about a counter that several rules ask: how many are on post, whether the data
// is known (R12), whether the 暂停服务 board is up (R8), and who is attributed (R7, R20).
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

/** Who is rostered at the counter on t's date: A unless on approved leave (R20), then the cover or B. */
export function rosteredAt(ctx: Ctx, c: CounterData, t: number): Attribution {
  const roster = ctx.counterCfg.get(counterKey(c.hall, c.counter))?.roster;
  if (!roster) return {};
  const leave = leaveOf(ctx, c.hall, c.counter, localDateOf(ctx, t));
  const onLeave = (s: string) => leave.some((l) => l.staff === s);
  if ('a' in roster) {
    if (!onLeave(roster.a)) return { staff: roster.a, role: 'a' };
    const cover = leave.find((l) => l.staff === roster.a)?.cover ?? roster.b;
    return cover ? { staff: cover, role: roleOf(ctx, c, cover) } : {};
  }
  const first = roster.staff.find((s) => !onLeave(s)) ?? leave.find((l) => l.cover)?.cover;
  return first ? { staff: first, role: 'staff' } : {};
}

/** Staff badged in today, oldest first (badges are per service day: yesterday's never count). */
export function badgedIn(ctx: Ctx, c: CounterData, t: number): string[] {
  const today = localDateOf(ctx, t);
  return c.badges.filter((b) => localDateOf(ctx, b.ts) === today).map((b) => b.staff);
}

/** R7: the person at the counter: the last badged in today, else the roster (with leave). */
export function presentAt(ctx: Ctx, c: CounterData, t: number): Attribution {
  const badged = badgedIn(ctx, c, t);
  const last = badged[badged.length - 1];
  return last ? { staff: last, role: roleOf(ctx, c, last) } : rosteredAt(ctx, c, t);
}

/** Staff to notify for a presence alert: A and B (and an approved cover) of the counter. */
export function notifyList(ctx: Ctx, c: CounterData, t: number): string[] {
  const roster = ctx.counterCfg.get(counterKey(c.hall, c.counter))?.roster;
  if (!roster) return [];
  const list = 'a' in roster ? [roster.a, ...(roster.b ? [roster.b] : [])] : [...roster.staff];
  for (const l of leaveOf(ctx, c.hall, c.counter, localDateOf(ctx, t))) if (l.cover) list.push(l.cover);
  return [...new Set(list)];
}
