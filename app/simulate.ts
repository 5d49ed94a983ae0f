// npm run simulate -- --config FILE [--speed 60] [--start 2026-03-09T08:30+08:00] [--seed 1]
//   [--url mqtt://…] [--password-template demo-{username}] [--serial ctl-w07=/dev/pts/5 …] [--hall cz-main]
// A simulated hall publishing to the broker as its controllers (docs/broker.md, simulator/).
import { parseArgs } from 'node:util';
import { createCalendar } from '../core/calendar/index.ts';
import { addDays, zoneOf } from '../core/calendar/zone.ts';
import { ConfigError } from '../core/errors.ts';
import { createLogger } from '../runtime/logger.ts';
import { mqttEndpointOf } from '../runtime/service.ts';
import { mqttSink, passwordTemplate, serialSink, startSimulator } from '../simulator/index.ts';
import { configPath, loadConfig } from './config.ts';
import { stopOnSignals } from './signals.ts';

const USAGE = `用法 / usage: npm run simulate -- --config FILE [--speed N] [--start ISO-TIME] [--seed S]
  [--url mqtt://host:1883] [--password-template 'demo-{username}'] [--serial ctl-w07=/dev/pts/5] [--hall ID]
With --speed > 1 and no --start, simulated time starts at 08:00 local today (yesterday before 08:00),
runs N× faster until it reaches the real clock, then runs in real time: device ts never exceeds now.`;

async function main(): Promise<void> {
  let v: ReturnType<typeof parse>['values'];
  try {
    v = parse().values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
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
  const speed = Number(v.speed ?? '1');
  if (!(speed >= 1)) {
    console.error(`--speed must be a number ≥ 1\n${USAGE}`);
    process.exit(2);
  }
  const now = Date.now();
  let start = now;
  if (v.start) {
    start = Date.parse(v.start);
    if (Number.isNaN(start) || start > now) {
      console.error(`--start must be an ISO time in the past, e.g. 2026-03-09T08:30:00+08:00\n${USAGE}`);
      process.exit(2);
    }
  } else if (speed > 1) {
    const cal = createCalendar(config);
    const date = cal.localDate(now);
    // 08:00 today, or yesterday's when today's is still ahead
    const today = zoneOf(config.timezone).wallTime(date, 8 * 60);
    start = today <= now ? today : zoneOf(config.timezone).wallTime(addDays(date, -1), 8 * 60);
  }
  const logger = createLogger(config.log?.level);
  const serial = new Map<string, string>();
  for (const s of v.serial ?? []) {
    const [controller, path] = s.split('=');
    if (!controller || !path) {
      console.error(`--serial needs controller=path, e.g. ctl-w07=/dev/pts/5\n${USAGE}`);
      process.exit(2);
    }
    serial.set(controller, path);
  }
  const mqtt = mqttSink({
    url: v.url ?? mqttEndpointOf(config).url,
    password: passwordTemplate(v['password-template'] ?? 'demo-{username}'),
    logger,
  });
  const sim = await startSimulator({
    config,
    seed: v.seed ?? '1',
    start,
    speed,
    ...(v.hall ? { halls: v.hall } : {}),
    sink: serial.size ? serialSink(serial, mqtt, logger) : mqtt,
    logger,
  });
  const report = setInterval(
    () => logger.info({ ...sim.stats(), simTime: new Date(sim.clock.now()).toISOString() }, 'simulator'),
    30_000,
  );
  stopOnSignals(async () => {
    clearInterval(report);
    await sim.stop();
  }, logger);
}

function parse() {
  return parseArgs({
    options: {
      config: { type: 'string' },
      speed: { type: 'string' },
      start: { type: 'string' },
      seed: { type: 'string' },
      url: { type: 'string' },
      'password-template': { type: 'string' },
      serial: { type: 'string', multiple: true },
      hall: { type: 'string', multiple: true },
    },
    strict: true,
  });
}

main().catch((err: unknown) => {
  // The reason was logged where it happened; end with one line, not a stack.
  console.error(
    `模拟器无法启动 / simulator cannot start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
