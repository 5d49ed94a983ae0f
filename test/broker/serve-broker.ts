// Test fixture: runs one broker in its own process (`tsx serve-broker.ts config.json`) and prints
// `PORT <n>`; SIGTERM stops it. Used to prove that two broker processes share one Redis.
import { readFileSync } from 'node:fs';
import { startBroker } from '../../broker/index.ts';
import { systemClock } from '../../core/clock.ts';
import type { Config } from '../../core/config/schema.ts';
import { createLogger } from '../../runtime/logger.ts';

// Parsed once, by the test: durations are milliseconds already.
const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
const broker = await startBroker({
  config,
  logger: createLogger('error'),
  clock: systemClock,
  mqtt: { url: '' },
  services: new Map(),
});
console.log(`PORT ${broker.addresses.tcp!.port}`);
process.once('SIGTERM', () => void broker.stop().then(() => process.exit(0)));
