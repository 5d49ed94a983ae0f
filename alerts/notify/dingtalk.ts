// DingTalk (钉钉) custom robot: POST {"msgtype":"markdown","markdown":{"title","text"},"at":{…}} or
// {"msgtype":"text","text":{"content"},"at":{"atMobiles","atUserIds","isAtAll"}}.
// 加签: sign = urlEncode(base64(HmacSHA256(key=secret, msg=timestamp+"\n"+secret))), timestamp in
// ms, appended as &timestamp=…&sign=… to the webhook URL; the timestamp must be within 1 hour.
// 20 messages/minute per robot; a robot that exceeds it is throttled for 10 minutes (130101).
import { createHmac } from 'node:crypto';
import { postJson } from './http.ts';
import { bytes, fitCount, literal, partsOf } from './markup.ts';
import { digestTitle, peopleOf } from './render.ts';
import { checkRobotAnswer, type RobotCodes } from './robot.ts';
import type { Notification, Notifier } from './types.ts';

/** The platform's rules, as data. */
export const DINGTALK = {
  perMinute: 20,
  /** After 130101 the robot refuses everything for 10 minutes; sending into the block prolongs nothing but wastes tries. */
  rateBlockMs: 600_000,
  /** No byte limit is documented for custom robots; digests stay under this. */
  bytes: 20_000,
  codes: {
    field: 'errcode',
    rate: [130101],
    // 310000: keywords not in content / sign not match / ip not in whitelist / invalid timestamp;
    // 300001: token is not exist (robot removed).
    permanent: [310000, 300001],
  } satisfies RobotCodes,
};

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
  // A person is @-ed by user id when known, else by mobile; the "@x" must also appear in the text.
  const people = peopleOf(batch);
  const userIds = people.flatMap((p) => (p.dingtalkUserId ? [p.dingtalkUserId] : []));
  const mobiles = people.flatMap((p) => (!p.dingtalkUserId && p.mobile ? [p.mobile] : []));
  const at = { atMobiles: mobiles, atUserIds: userIds, isAtAll: false };
  const atLine = [...mobiles, ...userIds].map((x) => `@${x}`).join(' ');
  const e = (s: string) => literal(s, format);
  const title = batch.length === 1 ? e(batch[0]!.title) : digestTitle(batch);
  const link = batch.find((n) => n.link)?.link;
  if (format === 'text') {
    const body =
      batch.length === 1
        ? [e(batch[0]!.title), ...batch[0]!.lines.map(e)]
        : [title, ...batch.map((n, i) => `${i + 1}. ${e(n.title)}\n${n.lines.map(e).join('\n')}`)];
    if (link) body.push(`查看：${link}`);
    return { msgtype: 'text', text: { content: [...body, atLine].filter(Boolean).join('\n') }, at };
  }
  const block = (n: Notification) => [`#### ${e(n.title)}`, ...n.lines.map((l) => `- ${e(l)}`)].join('\n');
  const parts = batch.length === 1 ? [block(batch[0]!)] : [`### ${title}`, ...batch.map(block)];
  if (link) parts.push(`[查看看板](${link})`);
  if (atLine) parts.push(atLine);
  return { msgtype: 'markdown', markdown: { title, text: parts.join('\n\n') }, at };
}

const size = (batch: Notification[], format: 'markdown' | 'text') =>
  bytes(JSON.stringify(dingtalkBody(batch, format)));

export function createDingtalkNotifier(o: {
  id: string;
  url: string;
  secret?: string;
  format: 'markdown' | 'text';
  ratePerMinute?: number;
  maxBatch?: number;
  rateBlockMs?: number;
  now?: () => number;
  /** Private addresses this channel may reach (notifications.allowPrivateTargets). */
  allowTargets?: readonly string[];
}): Notifier {
  const now = o.now ?? Date.now;
  return {
    id: o.id,
    type: 'dingtalk',
    maxBatch: o.maxBatch ?? 10,
    rates: [{ windowMs: 60_000, max: o.ratePerMinute ?? DINGTALK.perMinute }],
    fit: (batch) => fitCount(batch, (b) => size(b, o.format) <= DINGTALK.bytes),
    async send(batch, signal) {
      const messages =
        batch.length === 1
          ? partsOf(batch[0]!, (p) => size([p], o.format) <= DINGTALK.bytes).map((p) => [p])
          : [batch];
      for (const m of messages) {
        const r = await postJson(
          dingtalkUrl(o.url, o.secret, now()),
          JSON.stringify(dingtalkBody(m, o.format)),
          {},
          signal,
          o.allowTargets,
        );
        checkRobotAnswer(r.body, DINGTALK.codes, o.rateBlockMs ?? DINGTALK.rateBlockMs);
      }
      return messages.length;
    },
  };
}
