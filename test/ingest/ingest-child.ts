// The real ingest as a child process of a test (kill -9 tests): config from a JSON file.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { systemClock } from '../../core/clock.ts';
import type { Config } from '../../core/config/schema.ts';
import { startIngest } from '../../ingest/index.ts';

// Parsed once, by the test: durations are milliseconds already.
const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
const ingest = await startIngest({
  config,
  logger: pino({ level: 'info' }),
  clock: systemClock,
  mqtt: { url: config.mqtt.url! },
  services: new Map(),
});
process.on('SIGTERM', async () => {
  await ingest.stop();
  process.exit(0);
});
