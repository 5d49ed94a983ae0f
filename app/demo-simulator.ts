// The demo's hall: the simulator library on the demo's simulated clock, publishing as every
// controller of the example hall with its demo password (`demo-<username>`).
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config/schema.ts';
import type { Logger } from '../runtime/logger.ts';
import { mqttSink, passwordTemplate, type Simulator, startSimulator } from '../simulator/index.ts';

export function startDemoSimulator(o: {
  config: Config;
  clock: Clock;
  mqttUrl: string;
  seed: number;
  logger: Logger;
}): Promise<Simulator> {
  return startSimulator({
    config: o.config,
    seed: o.seed,
    clock: o.clock,
    logger: o.logger,
    sink: mqttSink({ url: o.mqttUrl, password: passwordTemplate('demo-{username}'), logger: o.logger }),
  });
}
