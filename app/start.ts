// Production start: `npm start -- --config FILE [--only broker,ingest,alerts,api]
// [--halls a,b | --partition NAME|i/n] [--api-port N]` (scale-out by hall: app/partition.ts, docs/scaling.md).

import { systemClock } from '../core/clock.ts';
import { exposureOf, refusedExposure } from '../core/config/exposure.ts';
import { ConfigError } from '../core/errors.ts';
import { createLogger } from '../runtime/logger.ts';
import { metricsListenOf, startMetricsListener } from '../runtime/metrics-listener.ts';
import { type MqttEndpoint, mqttEndpointOf, type Service, type ServiceName } from '../runtime/service.ts';
import { configPath, loadConfig } from './config.ts';
import { demoSecretsMessage, findDemoSecrets } from './demo-secrets.ts';
import { parseOnly, UsageError } from './options.ts';
import { parsePartition, withApiPort } from './partition.ts';
import { startServices } from './services.ts';
import { stopOnSignals } from './signals.ts';

const runs = (only: ReturnType<typeof parseOnly>) => ({
  broker: only.includes('broker'),
  api: only.includes('api'),
});

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let file: string;
  let only: ReturnType<typeof parseOnly>;
  let config: ReturnType<typeof loadConfig>;
  let mqtt: MqttEndpoint;
  let partition: ReturnType<typeof parsePartition>;
  let metricsListen: ReturnType<typeof metricsListenOf>;
  try {
    only = parseOnly(argv);
    file = configPath(argv);
    config = withApiPort(argv, loadConfig(file));
    partition = parsePartition(argv, config);
    if (partition && !only.includes('ingest') && !only.includes('alerts'))
      throw new UsageError('--halls/--partition applies to the ingest and alerts: add them to --only');
    const refused = refusedExposure(exposureOf(config, runs(only)));
    if (refused.length) throw new ConfigError(refused, file);
    mqtt = mqttEndpointOf(config, {
      embeddedBroker: only.includes('broker'),
      needsLogin: only.includes('ingest') || only.includes('alerts'),
      env: process.env,
    });
    metricsListen = metricsListenOf(config, process.env);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  // The example's demo secrets are public (README): only `npm run demo` may run with them.
  const demo = findDemoSecrets(config);
  if (demo.length) {
    console.error(demoSecretsMessage(demo, file));
    process.exit(2);
  }
  const logger = createLogger(config.log?.level);
  if (partition) logger.info({ partition: partition.key, halls: partition.halls }, 'partition');
  for (const f of exposureOf(config, runs(only)))
    if (f.kind === 'plaintext_listener')
      logger.warn(
        f,
        'plaintext listener reachable beyond this machine (S12: put TLS or a reverse proxy in front)',
      );
  const services = new Map<ServiceName, Service>();
  const stopServices = await startServices(only, {
    config,
    logger,
    clock: systemClock,
    mqtt,
    services,
    ...(partition ? { partition } : {}),
  });
  const metrics = metricsListen && (await startMetricsListener(metricsListen, services, logger));
  stopOnSignals(async () => {
    await metrics?.close();
    await stopServices();
  }, logger);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
