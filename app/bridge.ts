// npm run bridge -- --port /dev/ttyUSB0 [--baud 115200] --controller ctl-w07 [--config FILE]
//   [--modbus-port /dev/ttyUSB1] [--url mqtt://…] [--username U] [--password P | HALLWATCH_BRIDGE_PASSWORD]
//   [--ca FILE] [--rate 50] [--max-queue 10000]
// The firmware bridge for one controller's serial line (docs/serial-protocol.md).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.ts';
import { ConfigError } from '../core/errors.ts';
import { startBridge } from '../firmware-bridge/index.ts';
import { createLogger } from '../runtime/logger.ts';
import { mqttEndpointOf } from '../runtime/service.ts';
import { configPath, loadConfig } from './config.ts';
import { stopOnSignals } from './signals.ts';

const USAGE = `用法 / usage: npm run bridge -- --controller ctl-w07 --port /dev/ttyUSB0 [--baud 115200]
  [--config FILE] [--modbus-port /dev/ttyUSB1] [--url mqtt://host:1883] [--username U]
  [--password P]  (or HALLWATCH_BRIDGE_PASSWORD; or bridges[].password in the config)
  [--ca FILE] [--rate 50] [--max-queue 10000]`;

function main(): void {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const v = args.values;
  if (!v.controller) {
    console.error(`--controller is required\n${USAGE}`);
    process.exit(2);
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(v.config ?? configPath(process.argv));
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.log?.level);
  const entry = config.bridges?.find((b) => b.controller === v.controller);
  const password = v.password ?? process.env.HALLWATCH_BRIDGE_PASSWORD ?? entry?.password;
  if (password === undefined) {
    console.error(
      `no MQTT password for ${v.controller}: give --password, HALLWATCH_BRIDGE_PASSWORD or bridges[].password`,
    );
    process.exit(2);
  }
  const url = v.url ?? mqttEndpointOf(config).url;
  let bridge: ReturnType<typeof startBridge>;
  try {
    bridge = startBridge({
      config,
      controller: v.controller,
      ...(v.port ? { serialPath: v.port } : {}),
      ...(v.baud ? { baud: Number(v.baud) } : {}),
      ...(v['modbus-port'] ? { modbusPort: v['modbus-port'] } : {}),
      url,
      ...(v.username ? { username: v.username } : {}),
      password,
      ...(v.rate ? { rate: Number(v.rate) } : {}),
      ...(v['max-queue'] ? { maxQueue: Number(v['max-queue']) } : {}),
      ...(v.ca ? { mqttOptions: { ca: readFileSync(v.ca) } } : {}),
      clock: systemClock,
      logger,
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const report = setInterval(() => logger.info(bridge.stats(), 'bridge stats'), 60_000);
  report.unref();
  stopOnSignals(async () => {
    clearInterval(report);
    await bridge.stop();
    logger.info(bridge.stats(), 'bridge stopped');
  }, logger);
}

function parse() {
  return parseArgs({
    options: {
      config: { type: 'string' },
      controller: { type: 'string' },
      port: { type: 'string' },
      baud: { type: 'string' },
      'modbus-port': { type: 'string' },
      url: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      ca: { type: 'string' },
      rate: { type: 'string' },
      'max-queue': { type: 'string' },
    },
    strict: true,
  });
}

main();
