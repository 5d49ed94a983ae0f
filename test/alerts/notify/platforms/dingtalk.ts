// Stand-in for the DingTalk (钉钉) custom robot: /robot/send?access_token=T[&timestamp&sign].
// 加签 checked as DingTalk checks it (HmacSHA256(secret, timestamp+"\n"+secret), base64, urlEncoded;
// timestamp in ms within one hour); keywords; 20 messages a minute, then the robot is throttled
// for 10 minutes (blockMs, configurable so tests run in seconds). Errors are HTTP 200 with
// errcode: 300001 token is not exist, 310000 sign not match / invalid timestamp / keywords not in
// content, 130101 send too fast.
import { createHmac } from 'node:crypto';
import { perRobot, RateWindow, type Request, type Verdict } from './rules.ts';

export interface DingtalkStandInOptions {
  tokens?: string[];
  secret?: string;
  keywords?: string[];
  perMinute?: number;
  windowMs?: number;
  blockMs?: number;
}

export function dingtalkStandIn(o: DingtalkStandInOptions = {}) {
  const tokens = new Set(o.tokens ?? ['DT']);
  const blockMs = o.blockMs ?? 600_000;
  // Per robot (access token): its minute window and the end of its block.
  const robot = perRobot(() => ({
    rate: new RateWindow(o.windowMs ?? 60_000, o.perMinute ?? 20),
    blockedUntil: 0,
  }));
  const err = (errcode: number, errmsg: string): Verdict => ({ status: 200, body: { errcode, errmsg } });
  const handler = (r: Request): Verdict => {
    const token = r.url.searchParams.get('access_token') ?? '';
    if (r.url.pathname !== '/robot/send' || !tokens.has(token)) return err(300001, 'token is not exist');
    const bot = robot(token);
    if (o.secret) {
      const ts = Number(r.url.searchParams.get('timestamp'));
      const rawSign = /[?&]sign=([^&]*)/.exec(r.url.search)?.[1];
      if (!Number.isFinite(ts) || Math.abs(r.now - ts) > 3_600_000) return err(310000, 'invalid timestamp');
      const expected = encodeURIComponent(
        createHmac('sha256', o.secret).update(`${ts}\n${o.secret}`).digest('base64'),
      );
      if (rawSign !== expected) return err(310000, 'sign not match, more: [stand-in]');
    }
    const b = r.body;
    const text: unknown =
      b?.msgtype === 'text' ? b.text?.content : b?.msgtype === 'markdown' ? b.markdown?.text : undefined;
    if (typeof text !== 'string' || !text) return err(40035, '缺少参数 json');
    if (b.msgtype === 'markdown' && !b.markdown.title) return err(40035, '缺少参数 markdown.title');
    if (o.keywords && !o.keywords.some((k) => text.includes(k)))
      return err(310000, 'keywords not in content, more: [stand-in]');
    if (r.now < bot.blockedUntil) return err(130101, 'send too fast, exceed 20 times per minute');
    if (!bot.rate.take(r.now)) {
      // Over the limit: the robot is throttled for 10 minutes, every message refused meanwhile.
      bot.blockedUntil = r.now + blockMs;
      bot.rate.reset();
      return err(130101, 'send too fast, exceed 20 times per minute');
    }
    // An @ notifies only when the mobile / user id is listed in `at` and "@x" appears in the text.
    const at = b.at ?? {};
    const reached = [...(at.atMobiles ?? []), ...(at.atUserIds ?? [])].filter((x: string) =>
      text.includes(`@${x}`),
    );
    if (at.isAtAll) reached.push('@all');
    return { status: 200, body: { errcode: 0, errmsg: 'ok' }, accepted: { text, reached } };
  };
  return Object.assign(handler, { blocked: (now: number, token = 'DT') => now < robot(token).blockedUntil });
}
