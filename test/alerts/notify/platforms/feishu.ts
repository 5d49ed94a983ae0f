// Stand-in for the Feishu (飞书) custom bot (open.feishu.cn "自定义机器人使用指南"):
// /open-apis/bot/v2/hook/TOKEN; 签名校验 (HmacSHA256 keyed by timestamp+"\n"+secret over an empty
// message, base64; timestamp in seconds within one hour) and keywords; 100 requests a minute and
// 5 a second per bot; request body ≤ 20 KB. Errors are HTTP 200 with code: 19001 access token
// invalid, 19021 sign match fail or timestamp is not within one hour, 19024 Key Words Not Found,
// 11232 frequency limited, 9499 Bad Request (an oversize body).
import { createHmac } from 'node:crypto';
import { bytes, perRobot, RateWindow, type Request, type Verdict } from './rules.ts';

export interface FeishuStandInOptions {
  tokens?: string[];
  secret?: string;
  keywords?: string[];
  perMinute?: number;
  perSecond?: number;
}

export function feishuStandIn(o: FeishuStandInOptions = {}) {
  const tokens = new Set(o.tokens ?? ['FS']);
  // Per bot (hook token): a minute and a second window.
  const robot = perRobot(() => ({
    minute: new RateWindow(60_000, o.perMinute ?? 100),
    second: new RateWindow(1_000, o.perSecond ?? 5),
  }));
  const err = (code: number, msg: string): Verdict => ({ status: 200, body: { code, data: {}, msg } });
  return (r: Request): Verdict => {
    const token = r.url.pathname.match(/^\/open-apis\/bot\/v2\/hook\/([^/]+)$/)?.[1];
    if (!token || !tokens.has(token))
      return err(19001, 'param invalid: incoming webhook access token invalid');
    if (bytes(r.raw) > 20 * 1024) return err(9499, 'Bad Request');
    const b = r.body;
    if (o.secret) {
      const ts = Number(b?.timestamp);
      const expected = createHmac('sha256', `${b?.timestamp}\n${o.secret}`).update('').digest('base64');
      if (!Number.isFinite(ts) || Math.abs(r.now / 1000 - ts) > 3600 || b.sign !== expected)
        return err(19021, 'sign match fail or timestamp is not within one hour from current time');
    }
    const text: unknown = b?.msg_type === 'text' ? b.content?.text : undefined;
    if (typeof text !== 'string' || !text) return err(9499, 'Bad Request');
    if (o.keywords && !o.keywords.some((k) => text.includes(k))) return err(19024, 'Key Words Not Found');
    // Both windows count every request; either one over its limit refuses.
    const { minute, second } = robot(token);
    const okSecond = second.take(r.now);
    if (!okSecond || !minute.take(r.now))
      return err(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]');
    const reached = [...text.matchAll(/<at user_id="([^"]+)">/g)].map((m) => m[1]!);
    return { status: 200, body: { code: 0, data: {}, msg: 'success' }, accepted: { text, reached } };
  };
}
