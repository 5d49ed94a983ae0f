// Checks what a supervisor registers (silences, leave, closures) against the configuration.
import type { Config } from '../core/config/schema.ts';
import { STAFF_ID } from '../core/ids.ts';
import { ALERT_TYPES } from '../core/protocol/payloads.ts';
import {
  AlertInputError,
  type AttributionInput,
  type ClosureInput,
  type LeaveInput,
  type SilenceInput,
} from './types.ts';

function window(from: unknown, to: unknown): void {
  if (typeof from !== 'number' || !Number.isFinite(from))
    throw new AlertInputError('from', 'must be epoch milliseconds');
  if (typeof to !== 'number' || !Number.isFinite(to))
    throw new AlertInputError('to', 'must be epoch milliseconds');
  if (to <= from) throw new AlertInputError('to', 'must be after from');
}

function hallAndCounter(config: Config, hall: string, counter: string | undefined) {
  const h = config.halls.find((x) => x.id === hall);
  if (!h) throw new AlertInputError('hall', `unknown hall "${hall}"`);
  if (counter !== undefined && !h.counters.some((c) => c.id === counter))
    throw new AlertInputError('counter', `unknown counter "${counter}" in hall ${hall}`);
  return h;
}

export function checkSilence(config: Config, i: SilenceInput): SilenceInput {
  const h = hallAndCounter(config, i.hall, i.counter);
  window(i.from, i.to);
  if (i.equipment !== undefined) {
    const eq = i.counter
      ? h.counters.find((c) => c.id === i.counter)?.equipment
      : [...h.equipment, ...h.counters.flatMap((c) => c.equipment)];
    if (!eq?.some((e) => e.id === i.equipment))
      throw new AlertInputError('equipment', `unknown equipment "${i.equipment}"`);
  }
  for (const t of i.types ?? [])
    if (!(ALERT_TYPES as readonly string[]).includes(t))
      throw new AlertInputError('types', `unknown alert type "${t}"`);
  if (typeof i.reason !== 'string' || !i.reason.trim())
    throw new AlertInputError('reason', 'a reason is required');
  return i;
}

const MINUTE_MS = 60_000;

/** R24: leave and closures are entered to the minute. */
function minuteWindow(from: unknown, to: unknown): void {
  window(from, to);
  for (const [field, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if ((v as number) % MINUTE_MS !== 0)
      throw new AlertInputError(field, 'must be a whole minute (no seconds)');
}

function reason(r: unknown): void {
  if (typeof r !== 'string' || !r.trim()) throw new AlertInputError('reason', 'a reason is required');
}

export function checkLeave(config: Config, i: LeaveInput): LeaveInput {
  hallAndCounter(config, i.hall, undefined);
  if (typeof i.staff !== 'string' || !STAFF_ID.test(i.staff))
    throw new AlertInputError('staff', 'a staff id is required');
  minuteWindow(i.from, i.to);
  reason(i.reason);
  return i;
}

export function checkClosure(config: Config, i: ClosureInput): ClosureInput {
  hallAndCounter(config, i.hall, i.counter);
  minuteWindow(i.from, i.to);
  reason(i.reason);
  return i;
}

export function checkAttribution(config: Config, i: AttributionInput): AttributionInput {
  if (typeof i.note !== 'string' || !i.note.trim())
    throw new AlertInputError('note', 'a note (why) is required');
  if (i.void === true) {
    if (i.responsible !== undefined)
      throw new AlertInputError('responsible', 'give responsible or void, not both');
    return i;
  }
  if (typeof i.responsible !== 'string' || !STAFF_ID.test(i.responsible))
    throw new AlertInputError('responsible', 'a staff id (or void: true) is required');
  if (config.staff.length && !config.staff.some((s) => s.id === i.responsible))
    throw new AlertInputError('responsible', `unknown staff "${i.responsible}"`);
  return i;
}
