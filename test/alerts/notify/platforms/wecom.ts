// Stand-in for the WeCom (企业微信) group robot, as developer.work.weixin.qq.com/document/path/91770
// describes it: …/cgi-bin/webhook/send?key=KEY; text ≤ 2048 bytes with mentioned_list /
// mentioned_mobile_list; markdown ≤ 4096 bytes, @ only by <@userid> in the content; 20 messages a
// minute per robot. Errors are HTTP 200 with errcode: 93000 invalid webhook url, 40058 invalid
// parameter (content too long), 45009 api freq out of limit.
import { bytes, perRobot, RateWindow, type Request, type Verdict } from './rules.ts';

export interface WecomStandInOptions {
  keys?: string[];
  perMinute?: number;
  windowMs?: number;
}

export function wecomStandIn(o: WecomStandInOptions = {}) {
  const keys = new Set(o.keys ?? ['WK']);
  // The limit is per robot, i.e. per key.
  const rateOf = perRobot(() => new RateWindow(o.windowMs ?? 60_000, o.perMinute ?? 20));
  const err = (errcode: number, errmsg: string): Verdict => ({ status: 200, body: { errcode, errmsg } });
  return (r: Request): Verdict => {
    if (r.url.pathname !== '/cgi-bin/webhook/send' || !keys.has(r.url.searchParams.get('key') ?? ''))
      return err(93000, 'invalid webhook url, hint: [stand-in]');
    const b = r.body;
    if (!b || typeof b !== 'object') return err(40058, 'invalid parameter, hint: body is not json');
    let text: string;
    let reached: string[];
    if (b.msgtype === 'text') {
      text = b.text?.content;
      if (typeof text !== 'string' || !text) return err(44004, 'text content is empty');
      if (bytes(text) > 2048) return err(40058, 'text.content exceed max length 2048');
      reached = [
        ...(b.text.mentioned_list ?? []),
        ...(b.text.mentioned_mobile_list ?? []),
        ...[...text.matchAll(/<@([^>]+)>/g)].map((m) => m[1]!),
      ];
    } else if (b.msgtype === 'markdown') {
      text = b.markdown?.content;
      if (typeof text !== 'string' || !text) return err(44004, 'markdown content is empty');
      if (bytes(text) > 4096) return err(40058, 'markdown.content exceed max length 4096');
      // Markdown ignores mentioned_list / mentioned_mobile_list: only <@userid> in the content notifies.
      reached = [...text.matchAll(/<@([^>]+)>/g)].map((m) => m[1]!);
    } else return err(40008, 'invalid message type');
    if (!rateOf(r.url.searchParams.get('key')!).take(r.now)) return err(45009, 'api freq out of limit');
    return {
      status: 200,
      body: { errcode: 0, errmsg: 'ok' },
      accepted: { text, reached: [...new Set(reached)] },
    };
  };
}
