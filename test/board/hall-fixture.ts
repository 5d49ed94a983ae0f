// A live hall for the board tests: the real broker (aedes), the real alerts service with its
// engine and SQLite store, and the API serving the board, with second-scale rule limits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { startAlerts } from '../../alerts/index.ts';
import { type ApiService, startApi } from '../../api/index.ts';
import { startBroker } from '../../broker/index.ts';
import { systemClock } from '../../core/clock.ts';
import { parseConfig } from '../../core/config/load.ts';
import type { Config } from '../../core/config/schema.ts';
import type { Reports } from '../../reports/types.ts';
import { hashToken } from '../../runtime/secrets.ts';
import type { Service, ServiceContext, ServiceName } from '../../runtime/service.ts';

export const BOARD_TOKENS = { supervisor: 'board-supervisor-token', assessor: 'board-assessor-token' };
const COUNTERS = [
  ['w01', '1号窗口 综合受理'],
  ['w02', '2号窗口 不动产登记'],
  ['w03', '3号窗口 不动产登记'],
  ['w04', '4号窗口 社保'],
  ['w05', '5号窗口 医保'],
  ['w06', '6号窗口 公积金'],
  ['w07', '7号窗口 公积金'],
  ['w08', '8号窗口 税务'],
] as const;

export function boardConfig(dataDir: string, awayLimit = '8s'): Config {
  return parseConfig({
    timezone: 'Asia/Shanghai',
    dataDir,
    mqtt: { listen: { host: '127.0.0.1', port: 0 }, allowAnonymous: true },
    api: {
      listen: { host: '127.0.0.1', port: 0 },
      tokens: [
        { name: '张主任', tokenHash: hashToken(BOARD_TOKENS.supervisor), role: 'supervisor' },
        { name: '考核办王科长', tokenHash: hashToken(BOARD_TOKENS.assessor), role: 'assessor' },
      ],
    },
    rules: { awayLimit, unsignedGrace: '30s', gapGrace: '5s', readinessLead: '0s', offGrace: '5s' },
    halls: [
      {
        id: 'cz-main',
        name: '市政务服务中心',
        calendar: 'none',
        // Open around the clock so the test can run at any hour.
        sessions: { 'mon-sun': ['00:00-24:00'] },
        thresholds: { lux: { min: 300 }, temperature: { min: 16, max: 28 }, co2: { max: 1000 } },
        equipment: [{ id: 'queue', kind: 'queue', name: '排队叫号机' }],
        sensors: [{ id: 'env1', name: '东区环境传感器', counter: 'w07' }],
        counters: COUNTERS.map(([id, name], i) => ({
          id,
          name,
          seats: ['s1'],
          roster: { a: `E10${i}1`, b: `E10${i}2` },
          position: { row: Math.floor(i / 4), col: i % 4 },
          equipment: [
            { id: 'pc', kind: 'pc' },
            { id: 'printer', kind: 'printer' },
          ],
        })),
      },
    ],
  });
}

export interface LiveHall {
  config: Config;
  api: ApiService;
  boardUrl: string;
  device: MqttClient;
  publish(topic: string, body: object): Promise<void>;
  /** An environment reading (not retained, like a real sensor). */
  env(sensor: string, readings: Record<string, number>): Promise<void>;
  /** Stops the API (the board loses its server) and starts it again on the same port. */
  stopApi(): Promise<void>;
  restartApi(): Promise<void>;
  close(): Promise<void>;
}

export async function startLiveHall(
  opts: {
    reports?: Reports;
    awayLimit?: string;
    config?: (dataDir: string) => Config;
    /** Counters whose seats are empty when the engine starts (e.g. one nobody opens, R22). */
    vacant?: readonly string[];
  } = {},
): Promise<LiveHall> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-board-'));
  let config = opts.config ? opts.config(dir) : boardConfig(dir, opts.awayLimit);
  const hallConf = config.halls[0]!;
  const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const services = new Map<ServiceName, Service>();
  const ctx = (c: Config): ServiceContext => ({
    config: c,
    logger,
    clock: systemClock,
    mqtt: { url: '' },
    services,
  });
  const broker = await startBroker(ctx(config));
  services.set('broker', broker);
  const url = broker.url!;
  const device = await mqtt.connectAsync(url, {
    clientId: `board-device-${process.pid}`,
    reconnectPeriod: 200,
  });
  const publish = async (topic: string, body: object) => {
    await device.publishAsync(topic, JSON.stringify({ ...body, ts: Date.now() }), { qos: 1, retain: true });
  };
  // Everyone on post before the engine starts (but the vacant), so no counter begins as an absence.
  for (const c of hallConf.counters) {
    const base = `hall/${hallConf.id}/counter/${c.id}`;
    const occupied = !opts.vacant?.includes(c.id);
    for (const seat of c.seats) await publish(`${base}/seat/${seat}`, { occupied });
    await publish(`${base}/sign`, { sign: 'none' });
    for (const e of c.equipment) await publish(`${base}/equipment/${e.id}`, { status: 'ok' });
  }
  for (const e of hallConf.equipment)
    await publish(`hall/${hallConf.id}/equipment/${e.id}`, { status: 'ok' });
  const alerts = await startAlerts({ ...ctx(config), mqtt: { url } }, { settleMs: 500, tickMs: 250 });
  services.set('alerts', alerts);

  let api = await startApi({ ...ctx(config), mqtt: { url } }, opts.reports);
  services.set('api', api);
  const port = Number(new URL(api.url).port);
  const hall: LiveHall = {
    config,
    api,
    boardUrl: `${api.url}/`,
    device,
    publish,
    env: async (sensor, readings) => {
      await device.publishAsync(
        `hall/${hallConf.id}/env/${sensor}`,
        JSON.stringify({ ...readings, ts: Date.now() }),
        { qos: 1 },
      );
    },
    stopApi: async () => {
      await api.stop();
      services.delete('api');
    },
    restartApi: async () => {
      config = { ...config, api: { ...config.api!, listen: { host: '127.0.0.1', port } } };
      api = await startApi({ ...ctx(config), mqtt: { url } }, opts.reports);
      hall.api = api;
      services.set('api', api);
    },
    close: async () => {
      if (services.has('api')) await api.stop();
      await alerts.stop();
      device.end(true);
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return hall;
}
