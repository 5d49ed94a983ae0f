// Rule limits resolved per counter: defaults < top-level rules < hall rules < counter rules.
import { parseDuration } from '../duration.ts';
import type { Config, RulesInput } from './schema.ts';

export interface Rules {
  awayLimitMs: number;
  unsignedGraceMs: number;
  gapGraceMs: number;
  openingGraceMs: number;
  readinessLeadMs: number;
  faultGraceMs: number;
  offGraceMs: number;
  heartbeatMisses: number;
  envSustainMs: number;
  envClearSustainMs: number;
  pausedMeansAway: boolean;
}

/** DOMAIN §2 defaults. */
export const DEFAULT_RULES: Required<RulesInput> = {
  awayLimit: '10m',
  unsignedGrace: '2m',
  gapGrace: '1m',
  openingGrace: '0s',
  readinessLead: '15m',
  faultGrace: '0s',
  offGrace: '5m',
  heartbeatMisses: 3,
  envSustain: '10m',
  envClearSustain: '5m',
  pausedMeansAway: false,
};

export function mergeRules(...layers: (RulesInput | undefined)[]): Rules {
  const r: Required<RulesInput> = { ...DEFAULT_RULES };
  for (const l of layers)
    if (l) for (const [k, v] of Object.entries(l)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
  return {
    awayLimitMs: parseDuration(r.awayLimit),
    unsignedGraceMs: parseDuration(r.unsignedGrace),
    gapGraceMs: parseDuration(r.gapGrace),
    openingGraceMs: parseDuration(r.openingGrace),
    readinessLeadMs: parseDuration(r.readinessLead),
    faultGraceMs: parseDuration(r.faultGrace),
    offGraceMs: parseDuration(r.offGrace),
    heartbeatMisses: r.heartbeatMisses,
    envSustainMs: parseDuration(r.envSustain),
    envClearSustainMs: parseDuration(r.envClearSustain),
    pausedMeansAway: r.pausedMeansAway,
  };
}

export function rulesFor(config: Config, hallId: string, counterId?: string): Rules {
  const hall = config.halls.find((h) => h.id === hallId);
  const counter = counterId ? hall?.counters.find((c) => c.id === counterId) : undefined;
  return mergeRules(config.rules, hall?.rules, counter?.rules);
}
