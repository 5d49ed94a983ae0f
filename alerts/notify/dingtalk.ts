// DingTalk (钉钉) custom robot. Body: {"msgtype":"markdown","markdown":{"title","text"},"at":{…}}
// or {"msgtype":"text","text":{"content"},"at":{"atMobiles","atUserIds","isAtAll"}}.
// 加签: sign = urlEncode(base64(HmacSHA256(key=secret, msg=timestamp+"\n"+secret))), timestamp in
// ms, appended as &timestamp=…&sign=… to the webhook URL; the timestamp must be within 1 hour.
// Answer {"errcode":0,"errmsg":"ok"}; 130101 = sending too fast (20 messages/minute per robot).
import { createHmac } from 'node:crypto';
import { checkRobotCode, postJson } from './http.ts';
import { digestTitle, mergeMentions } from './render.ts';
import type { Notification, Notifier } from './types.ts';

/** The signature before URL-encoding (base64 of the HMAC-SHA256). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

export function dingtalkUrl(url: string, secret: string | undefined, timestampMs: number): string {
  if (!secret) return url;
  const sep = url.includes('?') ? '&' : '?';
  return `${url}${sep}timestamp=${timestampMs}&sign=${encodeURIComponent(dingtalkSign(secret, timestampMs))}`;
}

export function dingtalkBody(batch: Notification[], format: 'markdown' | 'text'): Record<string, unknown> {
  const m = mergeMentions(batch);
  const at = { atMobiles: m.mobiles, atUserIds: m.dingtalkUserIds, isAtAll: false };
  // In DingTalk an @ only pings when "@<mobile>" also appears in the text.
  const atLine = [...m.mobiles, ...m.dingtalkUserIds].map((x) => `@${x}`).join(' ');
  const title = batch.length === 1 ? batch[0]!.title : digestTitle(batch);
  if (format === 'text') {
    const body =
      batch.length === 1
        ? [batch[0]!.title, ...batch[0]!.lines]
        : [title, ...batch.map((n, i) => `${i + 1}. ${n.title}\n${n.lines.join('\n')}`)];
    return { msgtype: 'text', text: { content: [...body, atLine].filter(Boolean).join('\n') }, at };
  }
  const block = (n: Notification) => [`#### ${n.title}`, ...n.lines.map((l) => `- ${l}`)].join('\n');
  const parts = batch.length === 1 ? [block(batch[0]!)] : [`### ${title}`, ...batch.map(block)];
  if (atLine) parts.push(atLine);
  return { msgtype: 'markdown', markdown: { title, text: parts.join('\n\n') }, at };
}

export function createDingtalkNotifier(o: {
  id: string;
  url: string;
  secret?: string;
  format: 'markdown' | 'text';
  ratePerMinute?: number;
  maxBatch?: number;
  now?: () => number;
}): Notifier {
  const now = o.now ?? Date.now;
  return {
    id: o.id,
    type: 'dingtalk',
    maxBatch: o.maxBatch ?? 10,
    ratePerMinute: o.ratePerMinute ?? 20,
    async send(batch, signal) {
      const r = await postJson(
        dingtalkUrl(o.url, o.secret, now()),
        JSON.stringify(dingtalkBody(batch, o.format)),
        {},
        signal,
      );
      checkRobotCode(r.body, 'errcode', [130101]);
    },
  };
}
