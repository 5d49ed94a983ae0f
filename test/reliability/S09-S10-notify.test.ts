// S9 and S10 against the product as `npm start` runs it, with an equipment fault routed to every
// kind of HTTP channel:
// - S9: the DingTalk and Feishu robots (stand-ins that check 加签 / 签名校验 as the platforms do)
//   accept the product's signatures, which also match fixed vectors; a robot whose clock is 2 h
//   ahead refuses (310000) and the channel stops for good; robot secrets, access tokens and the
//   WeCom key appear in no log line and in no API answer.
// - S10: webhook targets at another loopback address, at 169.254.169.254, and a redirect from an
//   allowed target towards a refused one: nothing reaches them, each channel reports why.
// Throughout, the legitimate controller's messages and the supervisor's API calls keep flowing.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dingtalkSign } from '../../alerts/notify/dingtalk.ts';
import { feishuSign } from '../../alerts/notify/feishu.ts';
import { type Robots, startRobots } from '../alerts/notify/platforms/index.ts';
import { EXAMPLE_CONFIG, hallsInServiceNow, productPassword } from '../helpers/product.ts';
import { until } from '../helpers/system.ts';
import {
  ADMIN,
  api,
  flowed,
  legitimateFlow,
  login,
  type Product,
  SUPERVISOR,
  startProduct,
} from './attack.ts';

const SECRET = {
  dingToken: 'dt-7f3a9c1e5b2d',
  dingSecret: 'SEC9d8c7b6a5f4e3d2c1b0a99887766554433221100',
  feishuToken: 'fs-0c4e8a1b9d7f',
  feishuSecret: 'fsSecret-5e6f7a8b9c0d',
  wecomKey: 'wk-3b5d7f9a1c2e',
  webhookSecret: 'whSecret-a1b2c3d4e5',
};

/** An HTTP server on a chosen loopback address that records every request. */
async function listener(
  host: string,
  answer: (url: string) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 }),
): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    const a = answer(req.url ?? '');
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, hits, server };
}

describe('S09/S10 notification channels under attack', () => {
  let p: Product;
  let robots: Robots;
  let skewed: Robots;
  let allowed: Awaited<ReturnType<typeof listener>>;
  let inside: Awaited<ReturnType<typeof listener>>;
  let redirector: Awaited<ReturnType<typeof listener>>;
  const httpChannels = [
    'ding',
    'feishu',
    'wecom',
    'ding-skewed',
    'hook-ok',
    'hook-lan',
    'hook-metadata',
    'hook-redirect',
  ];

  beforeAll(async () => {
    const platforms = {
      dingtalk: { tokens: [SECRET.dingToken], secret: SECRET.dingSecret },
      feishu: { tokens: [SECRET.feishuToken], secret: SECRET.feishuSecret },
      wecom: { keys: [SECRET.wecomKey] },
    };
    robots = await startRobots(platforms);
    skewed = await startRobots({ ...platforms, now: () => Date.now() + 2 * 3_600_000 });
    allowed = await listener('127.0.0.1');
    inside = await listener('127.0.0.3');
    redirector = await listener('127.0.0.1', () => ({
      status: 302,
      headers: { location: `${inside.url}/stolen` },
    }));
    p = await startProduct({
      halls: hallsInServiceNow(),
      notifications: {
        channels: [
          { id: 'board-mqtt', type: 'mqtt', topic: 'hallwatch/notifications' },
          {
            id: 'ding',
            type: 'dingtalk',
            url: robots.dingtalkUrl(SECRET.dingToken),
            secret: SECRET.dingSecret,
          },
          {
            id: 'feishu',
            type: 'feishu',
            url: robots.feishuUrl(SECRET.feishuToken),
            secret: SECRET.feishuSecret,
          },
          { id: 'wecom', type: 'wecom', url: robots.wecomUrl(SECRET.wecomKey) },
          {
            id: 'ding-skewed',
            type: 'dingtalk',
            url: skewed.dingtalkUrl(SECRET.dingToken),
            secret: SECRET.dingSecret,
          },
          { id: 'hook-ok', type: 'webhook', url: `${allowed.url}/hook`, secret: SECRET.webhookSecret },
          { id: 'hook-lan', type: 'webhook', url: `${inside.url}/hook` },
          { id: 'hook-metadata', type: 'webhook', url: 'http://169.254.169.254/latest/meta-data/' },
          { id: 'hook-redirect', type: 'webhook', url: `${redirector.url}/go` },
        ],
        routes: [
          { channels: ['board-mqtt'], minSeverity: 'info' },
          { channels: httpChannels, types: ['equipment_fault'] },
        ],
        // The robots and the allowed webhook live on 127.0.0.1; nothing else private is allowed.
        allowPrivateTargets: ['127.0.0.1/32'],
        retry: { initial: '500ms', max: '2s' },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await p?.env.cleanup();
    await Promise.all([robots?.close(), skewed?.close()]);
    for (const l of [allowed, inside, redirector]) l?.server.closeAllConnections();
    await Promise.all([allowed, inside, redirector].map((l) => l && new Promise((r) => l.server.close(r))));
  });

  const channelHealth = async () => {
    const h = await api(p.env, '/api/health', ADMIN);
    const list = (h.body.services?.alerts?.details?.channels ?? []) as {
      id: string;
      status: string;
      lastError?: string;
      consecutiveFailures: number;
    }[];
    return new Map(list.map((c) => [c.id, c]));
  };

  it('S09: signed robots accept, a skewed robot refuses for good, no secret in logs or the API', async () => {
    // The product's signing against fixed vectors (DingTalk: ms timestamp, HMAC keyed by the
    // secret; Feishu: s timestamp, HMAC keyed by timestamp+"\n"+secret over nothing).
    expect(dingtalkSign('SECtest', 1_700_000_000_000)).toBe('aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=');
    expect(feishuSign('fsTest', 1_700_000_000)).toBe('ESLemZSCntFYKQhP7JukvzknxsgM1cUhQ0l83rHk/GU=');
    const flow = await legitimateFlow(p);
    const ctl = await login(p.env.mqttUrl, 'ctl-w01', { clientId: 'ctl-w01:eq' });
    await ctl.publishAsync(
      'hall/cz-main/counter/w01/equipment/printer',
      JSON.stringify({ status: 'fault', code: 'PAPER_OUT', ts: Date.now() }),
      { qos: 1, retain: true },
    );
    await until(
      'DingTalk, Feishu and WeCom deliveries',
      async () =>
        ['dingtalk', 'feishu', 'wecom'].every((pl) => robots.received.some((r) => r.platform === pl)) ||
        undefined,
      60_000, // an alert through the whole product on a loaded machine
    );
    await until(
      'the skewed robot refuses',
      async () => (skewed.refused.length > 0 ? true : undefined),
      60_000,
    );
    const ding = robots.received.find((r) => r.platform === 'dingtalk')!;
    const u = new URL(ding.url, 'http://robot');
    const ts = Number(u.searchParams.get('timestamp'));
    expect(Math.abs(ts - ding.at)).toBeLessThan(60_000); // milliseconds, from the product's clock
    expect(u.searchParams.get('sign')).toBe(
      createHmac('sha256', SECRET.dingSecret).update(`${ts}\n${SECRET.dingSecret}`).digest('base64'),
    );
    const fs = robots.received.find((r) => r.platform === 'feishu')!;
    expect(fs.body.sign).toBe(
      createHmac('sha256', `${fs.body.timestamp}\n${SECRET.feishuSecret}`).update('').digest('base64'),
    );
    expect(skewed.refused[0]).toMatchObject({ platform: 'dingtalk', code: 310000 });
    expect(skewed.received.filter((r) => r.platform === 'dingtalk')).toEqual([]);
    const health = await until('the skewed channel broken', async () => {
      const h = await channelHealth();
      return h.get('ding-skewed')?.status === 'broken' ? h : undefined;
    });
    expect(health.get('ding')?.status).toBe('ok');
    const tries = skewed.refused.length;

    // Whatever a caller with any token reads, and every log line, carries no secret.
    const answers = await Promise.all([
      api(p.env, '/api/health'),
      api(p.env, '/api/health', ADMIN),
      api(p.env, '/api/alerts', ADMIN),
      api(p.env, '/api/alerts?type=equipment_fault', SUPERVISOR),
      api(p.env, '/api/halls/cz-main', SUPERVISOR),
      api(p.env, '/api/me', ADMIN),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const alerts = answers[3]!.body as unknown as { items?: { type: string }[] } | { type: string }[];
    expect(JSON.stringify(alerts)).toContain('equipment_fault');
    const logs = p.proc.output() + readFileSync(join(p.env.dir, 'all.log'), 'utf8');
    expect(logs).toContain('channel refused for good'); // the skewed robot's refusal is logged…
    // The callers' own credentials are not echoed either (API tokens, the device password).
    const credentials = [ADMIN, SUPERVISOR, productPassword('ctl-w01'), productPassword('svc-hallwatch')];
    for (const secret of [...Object.values(SECRET), ...credentials]) {
      expect(logs, `logs contain ${secret}`).not.toContain(secret); // …without the URL's token or any secret
      for (const a of answers) expect(a.text, `API contains ${secret}`).not.toContain(secret);
    }
    await ctl.endAsync();
    expect(flowed(await flow.stop())).toEqual([]);
    expect(skewed.refused.length).toBe(tries); // stopped for good: not retried
  }, 120_000);

  it('S10: private, link-local and redirected webhook targets receive nothing; the allowed one does', async () => {
    const flow = await legitimateFlow(p);
    await until(
      'the allowed webhook delivery',
      async () => (allowed.hits.length > 0 ? true : undefined),
      60_000,
    );
    const health = await until(
      'each refused channel failed at least twice',
      async () => {
        const h = await channelHealth();
        return ['hook-lan', 'hook-metadata', 'hook-redirect'].every(
          (id) => (h.get(id)?.consecutiveFailures ?? 0) >= 2,
        )
          ? h
          : undefined;
      },
      60_000,
    );
    expect(health.get('hook-lan')?.lastError).toMatch(/127\.0\.0\.3.*allowPrivateTargets/);
    expect(health.get('hook-metadata')?.lastError).toMatch(/169\.254\.169\.254.*allowPrivateTargets/);
    expect(health.get('hook-redirect')?.lastError).toMatch(/redirect .* not followed/);
    expect(redirector.hits.length).toBeGreaterThanOrEqual(2); // asked, answered 302, never followed
    expect(inside.hits).toEqual([]);
    expect(health.get('hook-ok')?.status).toBe('ok');
    expect(flowed(await flow.stop())).toEqual([]);
  }, 120_000);
});
