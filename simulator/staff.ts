// One counter's day of staff behaviour (pure, seeded): arrival before opening (now and then
// late), short breaks with the 临时离开 sign and without it (standing to greet, fetching a
// printout), the odd overrun, lunch, early leave, a paused (暂停服务) spell, printer faults.
import type { ServiceSession } from '../core/calendar/types.ts';
import type { CounterConfig } from '../core/config/schema.ts';
import { ev, type SimEvent } from './events.ts';
import { createRng, hashSeed, type Rng } from './random.ts';

const S = 1000;
const MIN = 60 * S;

/** Behaviour rates; the defaults give a believable hall with a few alerts a day. */
export interface Behaviour {
  lateOpening: number;
  lateAfterLunch: number;
  meanBetweenBreaksMin: number;
  signedBreak: number;
  overrun: number;
  longUnsigned: number;
  earlyLeave: number;
  pausedDay: number;
  printerFaultDay: number;
  coverDay: number;
  lunchSign: number;
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  lateOpening: 0.04,
  lateAfterLunch: 0.05,
  meanBetweenBreaksMin: 70,
  signedBreak: 0.6,
  overrun: 0.08,
  longUnsigned: 0.1,
  earlyLeave: 0.03,
  pausedDay: 0.04,
  printerFaultDay: 0.1,
  coverDay: 0.05,
  lunchSign: 0.3,
};

function staffOf(c: CounterConfig, seat: number, rng: Rng, cover: boolean): string {
  const r = c.roster;
  if (r && 'staff' in r) return r.staff[seat] ?? r.staff[0]!;
  if (r && 'a' in r) return cover && r.b ? r.b : r.a;
  return `S${c.id.replace(/[^A-Za-z0-9]/g, '')}${seat}`.slice(0, 32) || `S${rng.next()}`;
}

export function planCounterDay(
  hall: string,
  counter: CounterConfig,
  controller: string,
  sessions: ServiceSession[],
  seed: string | number,
  date: string,
  b: Behaviour = DEFAULT_BEHAVIOUR,
): SimEvent[] {
  if (sessions.length === 0) return [];
  const rng = createRng(hashSeed(seed, date, hall, counter.id));
  const out: SimEvent[] = [];
  const c = counter.id;
  const multi = counter.seats.length > 1;
  const first = sessions[0]!;
  const last = sessions[sessions.length - 1]!;
  const cover = rng.chance(b.coverDay);
  const equipment = counter.equipment;

  // A paused spell (seat 0) and a printer fault, placed once per day.
  let paused: { from: number; to: number } | undefined;
  if (rng.chance(b.pausedDay)) {
    const s = sessions[Math.floor(rng.next() * sessions.length)]!;
    const len = s.end - s.start;
    if (len > 90 * MIN) {
      const from = s.start + rng.uniform(20 * MIN, len - 70 * MIN);
      paused = { from, to: from + rng.uniform(15, 50) * MIN };
    }
  }
  const printer = equipment.find((e) => e.kind === 'printer');
  if (printer && rng.chance(b.printerFaultDay)) {
    const at = rng.uniform(first.start + 10 * MIN, Math.max(first.start + 11 * MIN, last.end - 60 * MIN));
    const code = ['PAPER_OUT', 'PAPER_JAM', 'TONER_LOW'][Math.floor(rng.next() * 3)]!;
    out.push(ev.equipment(controller, hall, at, c, printer.id, 'fault', code));
    out.push(ev.equipment(controller, hall, at + rng.uniform(4, 35) * MIN, c, printer.id, 'ok'));
  }

  counter.seats.forEach((seat, i) => {
    const staff = staffOf(counter, i, rng, cover);
    sessions.forEach((s, k) => {
      const isFirst = k === 0;
      const isLast = k === sessions.length - 1;
      const late = rng.chance(isFirst ? b.lateOpening : b.lateAfterLunch);
      const arrive = late
        ? s.start + rng.uniform(1, 12) * MIN
        : s.start - rng.uniform(isFirst ? 4 : 0.5, isFirst ? 25 : 8) * MIN;
      if (isFirst) out.push(ev.badge(controller, hall, arrive - 20 * S, c, staff, 'in'));
      out.push(ev.seat(controller, hall, arrive, c, seat, true));
      if (i === 0) out.push(ev.sign(controller, hall, arrive + 10 * S, c, 'none'));
      if (isFirst && i === 0)
        for (const e of equipment)
          out.push(ev.equipment(controller, hall, arrive + rng.uniform(0.5, 4) * MIN, c, e.id, 'ok'));

      let t = arrive + rng.exp(b.meanBetweenBreaksMin * MIN);
      while (t < s.end - 6 * MIN) {
        if (i === 0 && paused && paused.from >= arrive && paused.from < s.end && t >= paused.from) {
          // 暂停服务: the board goes up, staff step away and come back before it comes down.
          out.push(ev.sign(controller, hall, paused.from, c, 'paused'));
          out.push(ev.seat(controller, hall, paused.from + rng.uniform(1, 3) * MIN, c, seat, false));
          const back = Math.min(paused.to - rng.uniform(1, 3) * MIN, s.end - 2 * MIN);
          out.push(ev.seat(controller, hall, back, c, seat, true));
          out.push(ev.sign(controller, hall, Math.max(back + 5 * S, paused.to), c, 'none'));
          t = Math.max(back, paused.to) + rng.exp(b.meanBetweenBreaksMin * MIN);
          paused = undefined;
          continue;
        }
        let back: number;
        if (rng.chance(multi ? 0.3 : b.signedBreak)) {
          const dur = (rng.chance(b.overrun) ? rng.uniform(10.5, 15) : rng.uniform(2, 9)) * MIN;
          out.push(ev.sign(controller, hall, t, c, 'away'));
          const gone = t + rng.uniform(5, 20) * S;
          out.push(ev.seat(controller, hall, gone, c, seat, false));
          back = Math.min(gone + dur, s.end - 30 * S);
          out.push(ev.seat(controller, hall, back, c, seat, true));
          out.push(ev.sign(controller, hall, back + rng.uniform(5, 40) * S, c, 'none'));
        } else {
          const dur = (rng.chance(b.longUnsigned) ? rng.uniform(2.5, 4) : rng.uniform(0.3, 1.8)) * MIN;
          out.push(ev.seat(controller, hall, t, c, seat, false));
          back = Math.min(t + dur, s.end - 30 * S);
          out.push(ev.seat(controller, hall, back, c, seat, true));
        }
        t = back + rng.exp(b.meanBetweenBreaksMin * MIN);
      }

      const early = rng.chance(b.earlyLeave);
      const leave = early ? s.end - rng.uniform(2, 8) * MIN : s.end + rng.uniform(0.2, 6) * MIN;
      if (early && !multi) out.push(ev.sign(controller, hall, leave - 10 * S, c, 'away'));
      out.push(ev.seat(controller, hall, leave, c, seat, false));
      if (!isLast && !multi && !early && rng.chance(b.lunchSign))
        out.push(ev.sign(controller, hall, leave + 5 * S, c, 'away'));
      if (isLast) {
        out.push(ev.badge(controller, hall, leave + 30 * S, c, staff, 'out'));
        if (i === 0)
          for (const e of equipment)
            out.push(ev.equipment(controller, hall, leave + rng.uniform(1, 6) * MIN, c, e.id, 'off'));
      }
    });
  });
  return out;
}
