// Production start: `npm start -- --config FILE [--only broker,ingest,alerts,api]`.

import { systemClock } from '../core/clock.ts';
import { ConfigError } from '../core/errors.ts';
import { createLogger } from '../runtime/logger.ts';
import { mqttEndpointOf } from '../runtime/service.ts';
import { configPath, loadConfig } from './config.ts';
import { parseOnly, UsageError } from './options.ts';
import { startServices } from './services.ts';
import { stopOnSignals } from './signals.ts';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let only: ReturnType<typeof parseOnly>;
  let config: ReturnType<typeof loadConfig>;
  try {
    only = parseOnly(argv);
    config = loadConfig(configPath(argv));
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.log?.level);
  const stop = await startServices(only, {
    config,
    logger,
    clock: systemClock,
    mqtt: mqttEndpointOf(config),
    services: new Map(),
  });
  stopOnSignals(stop, logger);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
