// Checks what a supervisor registers (silences, approved absences) against the configuration.
import type { Config } from '../core/config/schema.ts';
import { ALERT_TYPES } from '../core/protocol/payloads.ts';
import { type AbsenceInput, AlertInputError, type SilenceInput } from './types.ts';

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

export function checkAbsence(config: Config, i: AbsenceInput): AbsenceInput {
  if (typeof i.counter !== 'string') throw new AlertInputError('counter', 'required');
  hallAndCounter(config, i.hall, i.counter);
  window(i.from, i.to);
  if (typeof i.reason !== 'string' || !i.reason.trim())
    throw new AlertInputError('reason', 'a reason is required');
  return i;
}
