// WeCom (企业微信) group robot: POST {"msgtype":"markdown","markdown":{"content":…}} or
// {"msgtype":"text","text":{"content":…,"mentioned_list":[…],"mentioned_mobile_list":[…]}} to the
// webhook URL (…/cgi-bin/webhook/send?key=…); the key in the URL is the only credential.
// Answer {"errcode":0,"errmsg":"ok"}; 45009 = over the ~20 messages/minute limit.
import { checkRobotCode, postJson } from './http.ts';
import { digestTitle, mergeMentions, truncateBytes } from './render.ts';
import type { Notification, Notifier } from './types.ts';

const COLOR = { critical: 'warning', warning: 'warning', info: 'comment' } as const;

export function wecomBody(batch: Notification[], format: 'markdown' | 'text'): Record<string, unknown> {
  const m = mergeMentions(batch);
  if (format === 'text') {
    const text =
      batch.length === 1
        ? [batch[0]!.title, ...batch[0]!.lines].join('\n')
        : [digestTitle(batch), ...batch.map((n, i) => `${i + 1}. ${n.title}\n${n.lines.join('\n')}`)].join(
            '\n\n',
          );
    return {
      msgtype: 'text',
      text: {
        content: truncateBytes(text, 2048),
        ...(m.wecomUserIds.length ? { mentioned_list: m.wecomUserIds } : {}),
        ...(m.mobiles.length ? { mentioned_mobile_list: m.mobiles } : {}),
      },
    };
  }
  const block = (n: Notification) =>
    [
      `### <font color="${n.kind === 'resolve' ? 'info' : COLOR[n.alert.severity]}">${n.title}</font>`,
      ...n.lines.map((l) => `> ${l}`),
    ].join('\n');
  const parts = batch.length === 1 ? [block(batch[0]!)] : [`## ${digestTitle(batch)}`, ...batch.map(block)];
  // Markdown messages cannot carry mentioned_list: @ a member inline with <@userid>.
  if (m.wecomUserIds.length) parts.push(m.wecomUserIds.map((u) => `<@${u}>`).join(' '));
  return { msgtype: 'markdown', markdown: { content: truncateBytes(parts.join('\n\n'), 4096) } };
}

export function createWecomNotifier(o: {
  id: string;
  url: string;
  format: 'markdown' | 'text';
  ratePerMinute?: number;
  maxBatch?: number;
}): Notifier {
  return {
    id: o.id,
    type: 'wecom',
    maxBatch: o.maxBatch ?? 10,
    ratePerMinute: o.ratePerMinute ?? 20,
    async send(batch, signal) {
      const r = await postJson(o.url, JSON.stringify(wecomBody(batch, o.format)), {}, signal);
      checkRobotCode(r.body, 'errcode', [45009]);
    },
  };
}
