// Feishu (飞书) custom bot: POST {"timestamp":"<s>","sign":"…","msg_type":"text","content":{"text":…}}.
// 签名校验: sign = base64(HmacSHA256(key = timestamp+"\n"+secret, message = "")), timestamp in
// seconds, both in the JSON body; must be within 1 hour. Answer {"code":0,…} on success.
import { createHmac } from 'node:crypto';
import { checkRobotCode, postJson } from './http.ts';
import { digestTitle, mergeMentions } from './render.ts';
import type { Notification, Notifier } from './types.ts';

export function feishuSign(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

export function feishuBody(
  batch: Notification[],
  secret: string | undefined,
  timestampSec: number,
): Record<string, unknown> {
  const m = mergeMentions(batch);
  const body =
    batch.length === 1
      ? [batch[0]!.title, ...batch[0]!.lines]
      : [digestTitle(batch), ...batch.map((n, i) => `${i + 1}. ${n.title}\n${n.lines.join('\n')}`)];
  const at = m.feishuUserIds.map((u) => `<at user_id="${u}"></at>`).join(' ');
  return {
    ...(secret ? { timestamp: String(timestampSec), sign: feishuSign(secret, timestampSec) } : {}),
    msg_type: 'text',
    content: { text: [...body, at].filter(Boolean).join('\n') },
  };
}

export function createFeishuNotifier(o: {
  id: string;
  url: string;
  secret?: string;
  ratePerMinute?: number;
  maxBatch?: number;
  now?: () => number;
}): Notifier {
  const now = o.now ?? Date.now;
  return {
    id: o.id,
    type: 'feishu',
    maxBatch: o.maxBatch ?? 10,
    // Feishu allows 100/min and 5/s per bot; stay well below.
    ratePerMinute: o.ratePerMinute ?? 60,
    async send(batch, signal) {
      const body = feishuBody(batch, o.secret, Math.floor(now() / 1000));
      const r = await postJson(o.url, JSON.stringify(body), {}, signal);
      checkRobotCode(r.body, 'code', [11232]);
    },
  };
}
