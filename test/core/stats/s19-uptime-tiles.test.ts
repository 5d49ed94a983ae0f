// S19 uptime-tiles: for any generated day of w07 events — seat toggles, signs (暂停服务 boards that
// outlast pausedLimit), leave entries (R24) and closures of the counter or the hall (entered before
// or during them, some withdrawn) — driven through core/engine/drive.ts like live and replay, the
// engine's closed intervals tile the scheduled time minus the approved closures exactly, and each
// statistics part is the scripted time in that state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServiceSession } from '../../../core/calendar/types.ts';
import { rulesFor } from '../../../core/config/rules.ts';
import { approvalInputs, drive, type EngineInput, timeline } from '../../../core/engine/drive.ts';
import { closureWindow, createEngine, sessionsOutside } from '../../../core/engine/index.ts';
import type { ApprovalRecord } from '../../../core/protocol/approval.ts';
import type { DeviceEvent, Sign } from '../../../core/protocol/events.ts';
import { formatTopic } from '../../../core/protocol/topics.ts';
import { counterDayFacts, uptimeStats, ZERO_FACTS } from '../../../core/stats/index.ts';
import type { StatsInterval } from '../../../core/stats/types.ts';
import { calendar, config } from './fixtures.ts';

const HALL = 'cz-main';
const MIN = 60_000;
const base = (ts: number) => ({ hall: HALL, ts, tsFromDevice: true, receivedAt: ts, counter: 'w07' });
const seatAt = (ts: number, occupied: boolean): DeviceEvent => ({
  ...base(ts),
  topic: formatTopic({ kind: 'seat', hall: HALL, counter: 'w07', seat: 's1' }),
  kind: 'seat',
  seat: 's1',
  occupied,
});
const signAt = (ts: number, sign: Sign): DeviceEvent => ({
  ...base(ts),
  topic: formatTopic({ kind: 'sign', hall: HALL, counter: 'w07' }),
  kind: 'sign',
  sign,
});

interface GenApproval {
  kind: 'leave' | 'closure';
  /** leave: E1023 or E2051; closure: w07 or the whole hall. */
  who: 0 | 1;
  fromMin: number;
  durMin: number;
  /** Entered this many minutes before `from` (negative: entered while it ran, or after). */
  enteredBeforeMin: number;
  /** Withdrawn this many minutes after it was entered, if at all. */
  removedAfterMin: number | null;
}
interface GenDay {
  toggles: number[];
  signs: { t: number; sign: Sign }[];
  /** A 暂停服务 board held longer than pausedLimit (30 min): [start s, duration s]. */
  longPause: [number, number] | null;
  approvals: GenApproval[];
}

function dayOf(date: string, g: GenDay) {
  const from = calendar.startOfDay(date);
  const to = from + 86_400_000;
  // The sensor reports an empty seat at 06:00, then the toggles alternate occupied / empty.
  const seats = [
    seatAt(from + 6 * 3_600_000, false),
    ...[...new Set(g.toggles)].sort((a, b) => a - b).map((s, i) => seatAt(from + s * 1000, i % 2 === 0)),
  ];
  const signs = [...g.signs];
  if (g.longPause) {
    signs.push({ t: g.longPause[0], sign: 'paused' }, { t: g.longPause[0] + g.longPause[1], sign: 'none' });
  }
  // Sign changes at distinct seconds, in order (a later change at the same second would win).
  const signEvents = [...new Map(signs.map((s) => [s.t, s.sign])).entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, sign]) => signAt(from + t * 1000, sign));
  const records: ApprovalRecord[] = g.approvals.map((a, i) => {
    const start = from + a.fromMin * MIN;
    const enteredAt = Math.max(from, start - a.enteredBeforeMin * MIN);
    const common = {
      id: `gen-${i}`,
      hall: HALL,
      from: start,
      to: start + a.durMin * MIN,
      reason: 'generated',
      approvedBy: '张主任',
      enteredAt,
      ...(a.removedAfterMin === null ? {} : { removedAt: enteredAt + a.removedAfterMin * MIN }),
    };
    return (
      a.kind === 'leave'
        ? { ...common, kind: 'leave', staff: a.who === 0 ? 'E1023' : 'E2051' }
        : { ...common, kind: 'closure', ...(a.who === 0 ? { counter: 'w07' } : {}) }
    ) as ApprovalRecord;
  });
  const inputs: EngineInput[] = [...seats, ...signEvents, ...records.flatMap(approvalInputs)];

  const engine = createEngine({ config, calendar, now: from });
  const intervals: StatsInterval[] = [];
  drive(engine, timeline(inputs, from, to, MIN), (outs) => {
    for (const o of outs)
      if (o.kind === 'interval' && o.interval.counter === 'w07') intervals.push(o.interval);
  });

  // The oracle: scheduled sessions minus the closures' effective windows (entered → end/removal).
  const windows = records
    .filter((r) => r.kind === 'closure')
    .map((r) => closureWindow(r, r.enteredAt, r.removedAt))
    .filter((w) => w !== null);
  const sessions: ServiceSession[] = sessionsOutside(
    calendar.sessionsBetween(HALL, 'w07', from, to),
    windows,
  );
  // Time in each state by the script: closed > paused (sign) > staffed (seat) > absent.
  const expected = { staffed: 0, paused: 0, absent: 0 };
  const cuts = [...new Set([...seats, ...signEvents].map((e) => e.ts))].sort((a, b) => a - b);
  let occupied = false;
  let sign: Sign = 'none';
  for (let i = 0; i < cuts.length; i++) {
    for (const e of seats) if (e.ts === cuts[i] && e.kind === 'seat') occupied = e.occupied;
    for (const e of signEvents) if (e.ts === cuts[i] && e.kind === 'sign') sign = e.sign;
    const a = cuts[i]!;
    const b = cuts[i + 1] ?? to;
    const part = sign === 'paused' ? 'paused' : occupied ? 'staffed' : 'absent';
    for (const s of sessions) expected[part] += Math.max(0, Math.min(b, s.end) - Math.max(a, s.start));
  }
  const facts = counterDayFacts({
    counter: 'w07',
    sessions,
    intervals,
    alerts: [],
    rules: rulesFor(config, HALL, 'w07'),
    from,
    to,
    localDateOf: calendar.localDate,
  });
  const scheduledMs = sessions.reduce((s, x) => s + x.end - x.start, 0);
  return { intervals, sessions, scheduledMs, expected, stats: uptimeStats(facts[0] ?? ZERO_FACTS) };
}

const second = (lo: number, hi: number) => fc.integer({ min: lo * 3600, max: hi * 3600 - 1 });
const approval: fc.Arbitrary<GenApproval> = fc.record({
  kind: fc.constantFrom('leave' as const, 'closure' as const),
  who: fc.constantFrom(0 as const, 1 as const),
  fromMin: fc.integer({ min: 8 * 60, max: 17 * 60 }),
  durMin: fc.integer({ min: 1, max: 240 }),
  enteredBeforeMin: fc.integer({ min: -120, max: 180 }),
  removedAfterMin: fc.option(fc.integer({ min: 0, max: 300 })),
});
const day: fc.Arbitrary<GenDay> = fc.record({
  toggles: fc.array(
    second(6, 18).filter((s) => s > 6 * 3600),
    { maxLength: 30 },
  ),
  signs: fc.array(fc.record({ t: second(6, 18), sign: fc.constantFrom<Sign>('none', 'away', 'paused') }), {
    maxLength: 8,
  }),
  longPause: fc.option(fc.tuple(second(7, 17), fc.integer({ min: 30 * 60 + 1, max: 6 * 3600 }))),
  approvals: fc.array(approval, { maxLength: 3 }),
});
const plainDay = (toggles: number[]): GenDay => ({ toggles, signs: [], longPause: null, approvals: [] });

function checkTiles(date: string, g: GenDay): void {
  const { intervals, sessions, scheduledMs, expected, stats } = dayOf(date, g);
  // Every interval lies inside one effective session (never inside a closure), none overlap …
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  for (const [i, iv] of sorted.entries()) {
    expect(iv.end).toBeGreaterThan(iv.start);
    expect(sessions.some((s) => s.start <= iv.start && iv.end <= s.end)).toBe(true);
    if (i > 0) expect(iv.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
  }
  // … and together they are exactly the scheduled time with approved closures removed.
  expect(intervals.reduce((s, i) => s + i.end - i.start, 0)).toBe(scheduledMs);
  expect(stats.scheduledSeconds).toBe(scheduledMs / 1000);
  expect(
    stats.staffedSeconds +
      stats.awaySeconds +
      stats.pausedSeconds +
      stats.unattendedSeconds +
      stats.unknownSeconds,
  ).toBe(scheduledMs / 1000);
  expect(stats.unknownSeconds).toBe(0);
  expect(stats.staffedSeconds).toBe(expected.staffed / 1000);
  expect(stats.pausedSeconds).toBe(expected.paused / 1000);
  expect(stats.awaySeconds + stats.unattendedSeconds).toBe(expected.absent / 1000);
}

describe('S19 uptime-tiles', () => {
  it('an ordinary working day: intervals tile 23,400 s exactly; staffed is the scripted time on post', () => {
    fc.assert(
      fc.property(
        fc.array(
          second(6, 18).filter((s) => s > 6 * 3600),
          { maxLength: 30 },
        ),
        (t) => {
          const { scheduledMs } = dayOf('2026-03-09', plainDay(t));
          expect(scheduledMs).toBe(23_400_000);
          checkTiles('2026-03-09', plainDay(t));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('with signs, paused boards beyond pausedLimit, leave and closures: intervals tile the schedule minus closures', () => {
    fc.assert(
      fc.property(day, (g) => checkTiles('2026-03-09', g)),
      { numRuns: 150 },
    );
  });

  it('2026-10-01 (National Day): no intervals, nothing scheduled', () => {
    fc.assert(
      fc.property(day, (g) => {
        const { intervals } = dayOf('2026-10-01', g);
        expect(intervals).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });
});
