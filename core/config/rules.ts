// Rule limits resolved per counter: top-level rules (with the schema's defaults) < hall < counter.
import { ENV_METRICS, type EnvMetric } from '../protocol/payloads.ts';
import type { Config, RuleLimits } from './schema.ts';

export interface Rules {
  awayLimitMs: number;
  unsignedGraceMs: number;
  gapGraceMs: number;
  openingGraceMs: number;
  readinessLeadMs: number;
  faultGraceMs: number;
  offGraceMs: number;
  heartbeatMisses: number;
  /** R27: the sustain window of each environment metric. */
  envSustainMs: Record<EnvMetric, number>;
  envClearSustainMs: number;
  pausedMeansAway: boolean;
  pausedLimitMs: number;
  noShowLimitMs: number;
}

/** The top-level limits (defaults filled in by the schema), overridden by hall then counter rules. */
export function mergeRules(base: RuleLimits, ...layers: (Partial<RuleLimits> | undefined)[]): Rules {
  const r: RuleLimits = { ...base };
  const sustain = {} as Record<EnvMetric, number>;
  for (const l of [base, ...layers]) {
    if (!l) continue;
    for (const [k, v] of Object.entries(l)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
    // One duration sets every metric; a per-metric object sets the metrics it names.
    if (typeof l.envSustain === 'number') for (const m of ENV_METRICS) sustain[m] = l.envSustain;
    else if (l.envSustain) Object.assign(sustain, l.envSustain);
  }
  return {
    awayLimitMs: r.awayLimit,
    unsignedGraceMs: r.unsignedGrace,
    gapGraceMs: r.gapGrace,
    openingGraceMs: r.openingGrace,
    readinessLeadMs: r.readinessLead,
    faultGraceMs: r.faultGrace,
    offGraceMs: r.offGrace,
    heartbeatMisses: r.heartbeatMisses,
    envSustainMs: sustain,
    envClearSustainMs: r.envClearSustain,
    pausedMeansAway: r.pausedMeansAway,
    pausedLimitMs: r.pausedLimit,
    noShowLimitMs: r.noShowLimit,
  };
}

export function rulesFor(config: Config, hallId: string, counterId?: string): Rules {
  const hall = config.halls.find((h) => h.id === hallId);
  const counter = counterId ? hall?.counters.find((c) => c.id === counterId) : undefined;
  return mergeRules(config.rules, hall?.rules, counter?.rules);
}
