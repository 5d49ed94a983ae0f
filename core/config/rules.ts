// Rule limits resolved per counter: defaults < top-level rules < hall rules < counter rules.
import { parseDuration } from '../duration.ts';
import { ENV_METRICS, type EnvMetric } from '../protocol/payloads.ts';
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
  /** R27: the sustain window of each environment metric. */
  envSustainMs: Record<EnvMetric, number>;
  envClearSustainMs: number;
  pausedMeansAway: boolean;
  pausedLimitMs: number;
  noShowLimitMs: number;
}

/** R27 defaults: 10 minutes, CO2 one hour (GB/T 18883 judges CO2 over an hour). */
export const DEFAULT_ENV_SUSTAIN: Record<EnvMetric, string> = {
  lux: '10m',
  temperature: '10m',
  humidity: '10m',
  co2: '60m',
  noise: '10m',
};

/** DOMAIN §2 and §2b defaults. */
export const DEFAULT_RULES: Required<RulesInput> = {
  awayLimit: '10m',
  unsignedGrace: '2m',
  gapGrace: '1m',
  openingGrace: '0s',
  readinessLead: '15m',
  faultGrace: '0s',
  offGrace: '5m',
  heartbeatMisses: 3,
  envSustain: DEFAULT_ENV_SUSTAIN,
  envClearSustain: '5m',
  pausedMeansAway: false,
  pausedLimit: '30m',
  noShowLimit: '10m',
};

export function mergeRules(...layers: (RulesInput | undefined)[]): Rules {
  const r: Required<RulesInput> = { ...DEFAULT_RULES };
  const sustain: Record<EnvMetric, string> = { ...DEFAULT_ENV_SUSTAIN };
  for (const l of layers) {
    if (!l) continue;
    for (const [k, v] of Object.entries(l)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
    // One duration sets every metric; a per-metric object sets the metrics it names.
    if (typeof l.envSustain === 'string') for (const m of ENV_METRICS) sustain[m] = l.envSustain;
    else if (l.envSustain) Object.assign(sustain, l.envSustain);
  }
  return {
    awayLimitMs: parseDuration(r.awayLimit),
    unsignedGraceMs: parseDuration(r.unsignedGrace),
    gapGraceMs: parseDuration(r.gapGrace),
    openingGraceMs: parseDuration(r.openingGrace),
    readinessLeadMs: parseDuration(r.readinessLead),
    faultGraceMs: parseDuration(r.faultGrace),
    offGraceMs: parseDuration(r.offGrace),
    heartbeatMisses: r.heartbeatMisses,
    envSustainMs: Object.fromEntries(ENV_METRICS.map((m) => [m, parseDuration(sustain[m])])) as Record<
      EnvMetric,
      number
    >,
    envClearSustainMs: parseDuration(r.envClearSustain),
    pausedMeansAway: r.pausedMeansAway,
    pausedLimitMs: parseDuration(r.pausedLimit),
    noShowLimitMs: parseDuration(r.noShowLimit),
  };
}

export function rulesFor(config: Config, hallId: string, counterId?: string): Rules {
  const hall = config.halls.find((h) => h.id === hallId);
  const counter = counterId ? hall?.counters.find((c) => c.id === counterId) : undefined;
  return mergeRules(config.rules, hall?.rules, counter?.rules);
}
