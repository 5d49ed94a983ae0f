// What the board sees of a counter: state, since, seats, sign, staff, countdown deadline, hint.
// A view is emitted only when it differs from the last one sent.
import { staffOnPost } from './facts.ts';
import { type CounterData, type Ctx, localDateOf } from './state.ts';
import type { CounterStateChange } from './types.ts';

export function counterView(ctx: Ctx, c: CounterData): CounterStateChange {
  const a = c.absence;
  return {
    hall: c.hall,
    counter: c.counter,
    state: c.state,
    since: c.since,
    staffOnPost: staffOnPost(c),
    sign: c.sign,
    seats: Object.fromEntries(Object.entries(c.seats).map(([k, v]) => [k, v.occupied === true])),
    staff: [
      ...new Set(
        c.badges.filter((b) => localDateOf(ctx, b.ts) === localDateOf(ctx, ctx.st.now)).map((b) => b.staff),
      ),
    ],
    ...(a && !a.alerted && a.deadline !== undefined ? { deadline: a.deadline } : {}),
    ...(c.sign !== 'none' && c.signNote ? { note: c.signNote } : {}),
    ...(c.sign !== 'none' && c.signReturnBy !== undefined ? { returnBy: c.signReturnBy } : {}),
    ...(c.waiting > 0 ? { waiting: c.waiting } : {}),
    ...(c.state === 'staffed' && c.sign === 'away' ? { hint: 'lower_sign' as const } : {}),
  };
}

export function emitView(ctx: Ctx, c: CounterData): void {
  const view = counterView(ctx, c);
  const text = JSON.stringify(view);
  const key = `${c.hall}/${c.counter}`;
  if (text === ctx.lastViews.get(key)) return;
  ctx.lastViews.set(key, text);
  ctx.out.push({ kind: 'state', change: view });
}
