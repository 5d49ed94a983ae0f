// One path for live, replay and tests: every input (device events, leave and closure changes) and
// every clock tick reaches the engine through `step`, and a recorded stream through `drive`. The
// live service steps as messages and its timer arrive; replay and the tests build the same stream
// with `timeline`, so the same inputs at the same instants give the same outputs.
import type { ApprovalRecord } from '../protocol/approval.ts';
import type { EngineOutput, RuleEngine } from './types.ts';

/** What RuleEngine.handle accepts: device events and approvals (leave, closures), each with its `ts`. */
export type EngineInput = Parameters<RuleEngine['handle']>[0];

export type DriveStep = { kind: 'tick'; at: number } | { kind: 'input'; input: EngineInput };

/** Feeds one step. A rule that throws propagates: the caller decides (the live service logs and goes on). */
export function step(engine: RuleEngine, s: DriveStep): EngineOutput[] {
  return s.kind === 'tick' ? engine.tick(s.at) : engine.handle(s.input);
}

/** Feeds a stream in order, handing each step's outputs to `sink`. */
export function drive(
  engine: RuleEngine,
  steps: Iterable<DriveStep>,
  sink: (out: EngineOutput[], s: DriveStep) => void = () => {},
): void {
  for (const s of steps) sink(step(engine, s), s);
}

/**
 * Inputs in `ts` order (stable for equal ts) merged with a tick at every multiple of `tickMs` in
 * (from, to]. An input at instant t goes before the tick at t: events before timers (R2).
 */
export function* timeline(
  inputs: Iterable<EngineInput>,
  from: number,
  to: number,
  tickMs: number,
): Generator<DriveStep> {
  const sorted = [...inputs]
    .map((input, i) => ({ input, i }))
    .sort((a, b) => a.input.ts - b.input.ts || a.i - b.i);
  let next = Math.floor(from / tickMs) * tickMs + tickMs;
  for (const { input } of sorted) {
    for (; next < input.ts && next <= to; next += tickMs) yield { kind: 'tick', at: next };
    yield { kind: 'input', input };
  }
  for (; next <= to; next += tickMs) yield { kind: 'tick', at: next };
}

/**
 * The engine inputs of one approved leave or closure as entered (R24): set at `enteredAt`, and
 * withdrawn at `removedAt` when it was. Live, restart and replay all feed exactly these.
 */
export function approvalInputs(a: ApprovalRecord): EngineInput[] {
  const base = { id: a.id, hall: a.hall, from: a.from, to: a.to, reason: a.reason, approvedBy: a.approvedBy };
  const set: EngineInput =
    a.kind === 'leave'
      ? { kind: 'leave', hall: a.hall, ts: a.enteredAt, leave: { ...base, staff: a.staff ?? '' } }
      : {
          kind: 'closure',
          hall: a.hall,
          ts: a.enteredAt,
          closure: { ...base, ...(a.counter ? { counter: a.counter } : {}) },
        };
  if (a.removedAt === undefined) return [set];
  return [set, { kind: `${a.kind}_removed`, hall: a.hall, ts: a.removedAt, id: a.id }];
}
