// Local stand-ins for the three group-robot platforms on one loopback HTTP server: they check
// signatures and timestamps, enforce each platform's rate and size limits and refuse the way the
// platforms refuse (HTTP 200 with the documented error code), so channel tests fail where a real
// robot would. `received` holds what a group member would read; `refused` what the platform refused.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DingtalkStandInOptions, dingtalkStandIn } from './dingtalk.ts';
import { type FeishuStandInOptions, feishuStandIn } from './feishu.ts';
import type { Verdict } from './rules.ts';
import { type WecomStandInOptions, wecomStandIn } from './wecom.ts';

export type Platform = 'wecom' | 'dingtalk' | 'feishu';

export interface Delivered {
  platform: Platform;
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON of the documented shapes, read by assertions
  body: any;
  /** What the group reads. */
  text: string;
  /** Who got an @ notification (user ids / mobiles). */
  reached: string[];
  at: number;
}

export interface Refusal {
  platform: Platform;
  code: number;
  msg: string;
  at: number;
}

export interface Robots {
  url: string;
  wecomUrl(key?: string): string;
  dingtalkUrl(token?: string): string;
  feishuUrl(token?: string): string;
  received: Delivered[];
  refused: Refusal[];
  /** Alert ids (告警编号) each platform delivered, in arrival order, repeats kept. */
  items(platform: Platform): string[];
  dingtalkBlocked(): boolean;
  /** While true, the server answers 502 like a gateway in front of an unreachable platform. */
  setDown(down: boolean): void;
  /**
   * `down`: 502 (as setDown); `hang`: the request is read and never answered (a platform that
   * times out); `too_fast`: each platform's own "too fast" answer (WeCom 45009, DingTalk 130101,
   * Feishu 11232) although its limit is not reached (another sender shares the robot); `ok`.
   */
  setMode(mode: RobotMode): void;
  /** Times of the requests answered 502. */
  downHits: number[];
  /** Times of the requests left unanswered (`hang`) and answered "too fast" (`too_fast`). */
  hungHits: number[];
  tooFastHits: number[];
  close(): Promise<void>;
}

export type RobotMode = 'ok' | 'down' | 'hang' | 'too_fast';

const TOO_FAST: Record<Platform, Record<string, unknown>> = {
  wecom: { errcode: 45009, errmsg: 'api freq out of limit, hint: [stand-in: shared robot]' },
  dingtalk: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' },
  feishu: { code: 11232, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]' },
};

export interface RobotsOptions {
  now?: () => number;
  wecom?: WecomStandInOptions;
  dingtalk?: DingtalkStandInOptions;
  feishu?: FeishuStandInOptions;
}

export async function startRobots(o: RobotsOptions = {}): Promise<Robots> {
  const now = o.now ?? Date.now;
  const wecom = wecomStandIn(o.wecom);
  const dingtalk = dingtalkStandIn(o.dingtalk);
  const feishu = feishuStandIn(o.feishu);
  const received: Delivered[] = [];
  const refused: Refusal[] = [];
  const downHits: number[] = [];
  const hungHits: number[] = [];
  const tooFastHits: number[] = [];
  let mode: RobotMode = 'ok';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (mode === 'down') {
        downHits.push(now());
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
        return;
      }
      if (mode === 'hang') return void hungHits.push(now());
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://robot');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {}
      const platform: Platform = url.pathname.startsWith('/cgi-bin/')
        ? 'wecom'
        : url.pathname.startsWith('/robot/')
          ? 'dingtalk'
          : 'feishu';
      const t = now();
      if (mode === 'too_fast') {
        tooFastHits.push(t);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(TOO_FAST[platform]));
        return;
      }
      const handler = { wecom, dingtalk, feishu }[platform];
      const v: Verdict = handler({ url, raw, body, now: t });
      if (v.accepted)
        received.push({
          platform,
          url: req.url ?? '',
          headers: req.headers,
          raw,
          body,
          at: t,
          ...v.accepted,
        });
      else {
        const b = v.body as { errcode?: number; code?: number; errmsg?: string; msg?: string };
        refused.push({ platform, code: Number(b.errcode ?? b.code), msg: String(b.errmsg ?? b.msg), at: t });
      }
      res.writeHead(v.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    wecomUrl: (key = 'WK') => `${url}/cgi-bin/webhook/send?key=${key}`,
    dingtalkUrl: (token = 'DT') => `${url}/robot/send?access_token=${token}`,
    feishuUrl: (token = 'FS') => `${url}/open-apis/bot/v2/hook/${token}`,
    received,
    refused,
    items: (p) =>
      received
        .filter((r) => r.platform === p)
        .flatMap((r) => [...r.text.matchAll(/告警编号：([A-Za-z0-9_.:-]+)/g)].map((m) => m[1]!)),
    dingtalkBlocked: () => dingtalk.blocked(now()),
    setDown: (d) => {
      mode = d ? 'down' : 'ok';
    },
    setMode: (m) => {
      mode = m;
    },
    downHits,
    hungHits,
    tooFastHits,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
