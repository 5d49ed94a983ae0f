// Feishu (飞书) custom bot (open.feishu.cn bot-v3 "自定义机器人使用指南"): POST
// {"timestamp":"<s>","sign":"…","msg_type":"text","content":{"text":…}}. 签名校验: sign =
// base64(HmacSHA256(key = timestamp+"\n"+secret, message = "")), timestamp in seconds, both in
// the body, within 1 hour. 100 requests/minute and 5/second per bot; request body ≤ 20 KB.
// Answer {"code":0,…}; errors come as HTTP 200 with a non-zero code.
import { createHmac } from 'node:crypto';
import { postJson } from './http.ts';
import { bytes, fitCount, literal, partsOf } from './markup.ts';
import { digestTitle, peopleOf } from './render.ts';
import { checkRobotAnswer, type RobotCodes } from './robot.ts';
import type { Notification, Notifier } from './types.ts';

/** The platform's rules, as data. */
export const FEISHU = {
  perMinute: 100,
  perSecond: 5,
  /** Request body limit (20 KB), kept with some room. */
  bytes: 20 * 1024 - 512,
  /** 11232 is also answered under system load at whole and half hours: retry soon. */
  rateBlockMs: 10_000,
  codes: {
    field: 'code',
    rate: [11232],
    // 19021 sign match fail or timestamp not within one hour; 19022 ip not allowed;
    // 19024 key words not found; 19001 incoming webhook access token invalid (bot removed).
    permanent: [19021, 19022, 19024, 19001],
  } satisfies RobotCodes,
};

export function feishuSign(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

export function feishuBody(
  batch: Notification[],
  secret: string | undefined,
  timestampSec: number,
): Record<string, unknown> {
  const e = (s: string) => literal(s, 'text');
  const body =
    batch.length === 1
      ? [e(batch[0]!.title), ...batch[0]!.lines.map(e)]
      : [digestTitle(batch), ...batch.map((n, i) => `${i + 1}. ${e(n.title)}\n${n.lines.map(e).join('\n')}`)];
  const link = batch.find((n) => n.link)?.link;
  if (link) body.push(`查看：${link}`);
  // A custom bot can @ by user id only; people without one are named in the text (通知：…).
  const at = peopleOf(batch)
    .flatMap((p) => (p.feishuUserId ? [`<at user_id="${p.feishuUserId}">${e(p.name)}</at>`] : []))
    .join(' ');
  return {
    ...(secret ? { timestamp: String(timestampSec), sign: feishuSign(secret, timestampSec) } : {}),
    msg_type: 'text',
    content: { text: [...body, at].filter(Boolean).join('\n') },
  };
}

const size = (batch: Notification[]) => bytes(JSON.stringify(feishuBody(batch, 'x', 1_700_000_000)));

export function createFeishuNotifier(o: {
  id: string;
  url: string;
  secret?: string;
  ratePerMinute?: number;
  ratePerSecond?: number;
  maxBatch?: number;
  rateBlockMs?: number;
  now?: () => number;
  /** Private addresses this channel may reach (notifications.allowPrivateTargets). */
  allowTargets?: readonly string[];
}): Notifier {
  const now = o.now ?? Date.now;
  return {
    id: o.id,
    type: 'feishu',
    maxBatch: o.maxBatch ?? 10,
    rates: [
      { windowMs: 60_000, max: o.ratePerMinute ?? FEISHU.perMinute },
      { windowMs: 1_000, max: o.ratePerSecond ?? FEISHU.perSecond },
    ],
    fit: (batch) => fitCount(batch, (b) => size(b) <= FEISHU.bytes),
    async send(batch, signal) {
      const messages =
        batch.length === 1 ? partsOf(batch[0]!, (p) => size([p]) <= FEISHU.bytes).map((p) => [p]) : [batch];
      for (const m of messages) {
        const body = feishuBody(m, o.secret, Math.floor(now() / 1000));
        const r = await postJson(o.url, JSON.stringify(body), {}, signal, o.allowTargets);
        checkRobotAnswer(r.body, FEISHU.codes, o.rateBlockMs ?? FEISHU.rateBlockMs);
      }
      return messages.length;
    },
  };
}
