// The one-command demo: `npm ci && npm run demo`. Broker, ingest, alerts, API and board in one
// process against a real local InfluxDB (Debian's influxd as a managed child under data/demo),
// with the simulator playing the example hall on a fast simulated clock, after the hall's last 30
// days have been simulated into InfluxDB (app/demo-history.ts).
//   npm run demo -- [--speed 20] [--duration SECONDS] [--seed N]
//                   [--data-dir DIR] [--api-port N] [--mqtt-port N]   (tests: their own dir and ports)
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AlertsService } from '../alerts/types.ts';
import type { ApiService } from '../api/index.ts';
import { createCalendar } from '../core/calendar/index.ts';
import { ScaledClock } from '../core/clock.ts';
import { ConfigError } from '../core/errors.ts';
import { COUNTER_STATE_LABELS, zhOf } from '../core/vocabulary.ts';
import { influxTargetOf } from '../reports/index.ts';
import { createInfluxClient } from '../reports/influx.ts';
import { startInfluxd } from '../runtime/influxd.ts';
import { createLogger } from '../runtime/logger.ts';
import { mqttEndpointOf, type ServiceContext } from '../runtime/service.ts';
import { seedDemoHistory } from './demo-history.ts';
import { demoConfig, demoStart, ensureInfluxd, historyStart, portOr } from './demo-setup.ts';
import { startDemoSimulator } from './demo-simulator.ts';
import { progressBar } from './progress.ts';
import { startServices } from './services.ts';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`${name} 需要正数 / needs a positive number`);
    process.exit(2);
  }
  return v;
};
const text = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const speed = opt('--speed', 20);
const duration = argv.includes('--duration') ? opt('--duration', 60) : undefined;
const seed = opt('--seed', 7);
// Checked before anything starts: a bad value must not leave a managed influxd behind.
const fixedPorts = {
  mqtt: argv.includes('--mqtt-port') ? opt('--mqtt-port', 1883) : undefined,
  api: argv.includes('--api-port') ? opt('--api-port', 8080) : undefined,
};

const t0 = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}`);

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const dataDir = resolve(text('--data-dir') ?? resolve(root, 'data/demo'));
  // A fresh demo every run: yesterday's simulated morning replayed from the start.
  rmSync(resolve(dataDir, 'alerts.sqlite'), { force: true });
  rmSync(resolve(dataDir, 'alerts.sqlite-wal'), { force: true });
  rmSync(resolve(dataDir, 'alerts.sqlite-shm'), { force: true });
  rmSync(resolve(dataDir, 'ingest'), { recursive: true, force: true });
  rmSync(resolve(dataDir, 'broker'), { recursive: true, force: true }); // journaled sessions, retained

  say('① 检查 InfluxDB / checking InfluxDB');
  ensureInfluxd(say);
  const influx = await startInfluxd({
    dataDir: resolve(dataDir, 'influxdb'),
    logFile: resolve(dataDir, 'influxd.log'),
  });
  say(`   InfluxDB ${influx.url} (pid ${influx.pid}, 数据 ${influx.dataDir})`);

  const ports = {
    mqtt: fixedPorts.mqtt ?? (await portOr(1883)),
    api: fixedPorts.api ?? (await portOr(8080)),
  };
  let config: ReturnType<typeof demoConfig>;
  try {
    config = demoConfig(resolve(root, 'config/hallwatch.example.yaml'), dataDir, influx.url, ports);
  } catch (e) {
    if (e instanceof ConfigError) console.error(e.message);
    await influx.stop();
    process.exit(2);
  }
  const start = demoStart(config, Date.now());
  const logger = createLogger(config.log?.level);

  const from = historyStart(config, start);
  say(`② 写入近 30 天的模拟历史 / seeding the last 30 days`);
  const seedStarted = Date.now();
  const seeded = await seedDemoHistory({
    config,
    calendar: createCalendar(config, { onWarning: (w) => logger.warn(w, w.message) }),
    db: createInfluxClient(influxTargetOf(config.influx!)),
    seed,
    from,
    to: start,
    onProgress: progressBar('   模拟历史 / history', process.stdout),
  });
  say(
    seeded.reused
      ? '   历史数据已存在,沿用 / history already stored, kept'
      : `   ${seeded.days} 天,${seeded.events} 条设备消息,${seeded.intervals} 个状态区间,${seeded.alerts} 条告警,共 ${seeded.points} 个数据点,用时 ${((Date.now() - seedStarted) / 1000).toFixed(1)} 秒`,
  );
  // The simulated clock starts once the past is written: the live morning follows it seamlessly.
  const clock = new ScaledClock(start, speed);
  const ctx: ServiceContext = {
    config,
    logger,
    clock,
    mqtt: mqttEndpointOf(config, { embeddedBroker: true }),
    services: new Map(),
  };

  say('③ 启动 MQTT 代理、入库、告警、接口与看板 / starting broker, ingest, alerts, API and board');
  const stopServices = await startServices(['broker', 'ingest', 'alerts', 'api'], ctx);
  const api = ctx.services.get('api') as ApiService;

  say(`④ 模拟大厅 ${config.halls[0]!.name}：${config.halls[0]!.counters.length} 个窗口，${speed} 倍速`);
  const simulator = await startDemoSimulator({ config, clock, mqttUrl: ctx.mqtt.url, seed, logger });
  say(`   模拟时间从 ${new Date(start).toLocaleString('zh-CN', { timeZone: config.timezone })} 开始`);

  console.log('');
  console.log(`  看板 / board:    ${api.url}/`);
  console.log(`  主任一次性登录 / supervisor one-time login (10 分钟内有效 / valid 10 min):`);
  console.log(`                   ${api.loginLink('supervisor')}`);
  console.log(
    '  登录令牌 / tokens: demo-supervisor (主任)  demo-facility (设备)  demo-assessor (考核)  demo-admin',
  );
  if (process.stdin.isTTY) console.log('  按回车获取新的登录链接 / press Enter for a new login link');
  console.log(`  MQTT:            ${ctx.mqtt.url}   InfluxDB: ${influx.url} (database hallwatch)`);
  console.log(`  接口文档 / API:   ${api.url}/api/docs`);
  console.log('  按 Ctrl-C 停止 / press Ctrl-C to stop');
  console.log('');

  // A progress line every 10 s: simulated time, counters by state, alerts so far.
  const alerts = ctx.services.get('alerts') as AlertsService;
  const hall = config.halls[0]!.id;
  const STATE_ZH = zhOf(COUNTER_STATE_LABELS);
  const progress = setInterval(() => {
    const byState = new Map<string, number>();
    for (const c of alerts.counters(hall))
      byState.set(STATE_ZH[c.state], (byState.get(STATE_ZH[c.state]) ?? 0) + 1);
    const open = alerts.listAlerts({ hall, status: ['open', 'acknowledged'] }).length;
    const all = alerts.listAlerts({ hall }).length;
    const simTime = new Date(clock.now()).toLocaleTimeString('zh-CN', {
      timeZone: config.timezone,
      hour12: false,
    });
    say(
      `模拟 ${simTime}  ${[...byState].map(([k, v]) => `${k} ${v}`).join('  ')}  告警 ${open} 条进行中 / 共 ${all} 条`,
    );
  }, 10_000);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('正在停止 / stopping …');
    clearInterval(progress);
    await simulator.stop().catch((err: unknown) => logger.error({ err }, 'simulator stop failed'));
    await stopServices();
    await influx.stop();
    say('已停止 / stopped');
    process.exit(code);
  };
  if (process.stdin.isTTY)
    process.stdin.on('data', () => say(`新的登录链接 / new login link: ${api.loginLink('supervisor')}`));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  if (duration) setTimeout(() => void stop(0), duration * 1000);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
