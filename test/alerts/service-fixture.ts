// A running alerts service against a real aedes broker, with every channel pointed at local
// recorders and the robots at their platform stand-ins; device and observer MQTT clients to drive
// and watch it.
import { createHmac } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { type AlertsServiceInternal, startAlerts } from '../../alerts/index.ts';
import { systemClock } from '../../core/clock.ts';
import type { ConfigInput } from '../../core/config/schema.ts';
import {
  connectClient,
  type RecordingServer,
  silentLogger,
  startRecordingServer,
  startSmtpRecorder,
  startTestBroker,
  type TestBroker,
  tempDir,
  testConfig,
} from './helpers.ts';
import { type Robots, type RobotsOptions, startRobots } from './notify/platforms/index.ts';

export const DING_SECRET = 'SECtest-dingtalk-secret';
export const FEISHU_SECRET = 'feishu-test-secret';

export interface Observed {
  topic: string;
  payload: string;
  retain: boolean;
  at: number;
}

export interface Fixture {
  broker: TestBroker;
  svc: AlertsServiceInternal;
  hook: RecordingServer;
  escalation: RecordingServer;
  robots: Robots;
  smtp: Awaited<ReturnType<typeof startSmtpRecorder>>;
  device: MqttClient;
  observer: MqttClient;
  seen: Observed[];
  publish(topic: string, body: object | string, retain?: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startFixture(
  over: Partial<ConfigInput> = {},
  notif: object = {},
  platforms: RobotsOptions = {},
): Promise<Fixture> {
  const broker = await startTestBroker();
  const hook = await startRecordingServer();
  const escalation = await startRecordingServer();
  const robots = await startRobots({
    ...platforms,
    dingtalk: { secret: DING_SECRET, ...platforms.dingtalk },
    feishu: { secret: FEISHU_SECRET, ...platforms.feishu },
  });
  const smtp = await startSmtpRecorder();
  const t = tempDir();
  const config = testConfig({
    dataDir: t.dir,
    notifications: {
      // The stand-in robots listen on loopback: allowed explicitly, as an operator would.
      allowPrivateTargets: ['127.0.0.1'],
      channels: [
        { id: 'hook', type: 'webhook', url: `${hook.url}/alerts`, secret: 'whsec' },
        { id: 'wecom', type: 'wecom', url: robots.wecomUrl() },
        { id: 'ding', type: 'dingtalk', url: robots.dingtalkUrl(), secret: DING_SECRET },
        { id: 'feishu', type: 'feishu', url: robots.feishuUrl(), secret: FEISHU_SECRET },
        {
          id: 'mail',
          type: 'email',
          smtp: { host: '127.0.0.1', port: smtp.port },
          from: 'hallwatch@example.gov.cn',
          to: ['duty@example.gov.cn'],
        },
        { id: 'screen', type: 'mqtt', topic: 'hallwatch/notifications' },
        { id: 'director-hook', type: 'webhook', url: `${escalation.url}/escalate` },
      ],
      routes: [
        { channels: ['hook', 'wecom', 'ding', 'feishu', 'mail', 'screen'], recipients: ['role:supervisor'] },
      ],
      recipients: [
        { id: 'sup', name: '王主管', role: 'supervisor', mobile: '13900000001', email: 'sup@example.gov.cn' },
        { id: 'dir', name: '赵主任', role: 'director', mobile: '13900000009' },
      ],
      escalateTo: ['director-hook'],
      retry: { initial: '200ms', max: '1s' },
      ...notif,
    },
    ...over,
  });
  const svc = await startAlerts(
    { config, logger: silentLogger(), clock: systemClock, mqtt: { url: broker.url }, services: new Map() },
    { settleMs: 200, clientId: `alerts-${process.pid}-${Math.random().toString(36).slice(2)}` },
  );
  const device = await connectClient(broker.url);
  const observer = await connectClient(broker.url);
  const seen: Observed[] = [];
  observer.on('message', (topic, payload, packet) =>
    seen.push({ topic, payload: payload.toString(), retain: packet.retain, at: Date.now() }),
  );
  await observer.subscribeAsync(['hall/#', 'hallwatch/#'], { qos: 1 });
  return {
    broker,
    svc,
    hook,
    escalation,
    robots,
    smtp,
    device,
    observer,
    seen,
    publish: async (topic, body, retain = true) => {
      await device.publishAsync(topic, typeof body === 'string' ? body : JSON.stringify(body), {
        qos: 1,
        retain,
      });
    },
    close: async () => {
      await svc.stop();
      device.end(true);
      observer.end(true);
      await Promise.all([broker.close(), hook.close(), escalation.close(), robots.close(), smtp.close()]);
      t.cleanup();
    },
  };
}

export const dingtalkSignOk = (url: string): boolean => {
  const u = new URL(url, 'http://x');
  const ts = u.searchParams.get('timestamp')!;
  const raw = url.match(/[?&]sign=([^&]+)/)?.[1];
  const expected = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
  return raw === encodeURIComponent(expected) && Math.abs(Number(ts) - Date.now()) < 3_600_000;
};

export const feishuSignOk = (body: { timestamp: string; sign: string }): boolean =>
  body.sign === createHmac('sha256', `${body.timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
