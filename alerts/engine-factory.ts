// How the service gets its rule engine: core/engine's createEngine by default; tests and the
// benchmark may pass another factory.
import type { ServiceCalendar } from '../core/calendar/types.ts';
import type { Config } from '../core/config/schema.ts';
import type { EngineSnapshot, RuleEngine } from '../core/engine/types.ts';

export type EngineFactory = (o: {
  config: Config;
  calendar: ServiceCalendar;
  now: number;
  snapshot?: EngineSnapshot;
}) => RuleEngine;

export async function defaultEngineFactory(): Promise<EngineFactory> {
  const m = await import('../core/engine/index.ts');
  return m.createEngine as EngineFactory;
}
