// WeCom (企业微信) group robot (developer.work.weixin.qq.com/document/path/91770): POST
// {"msgtype":"markdown","markdown":{"content"}} or {"msgtype":"text","text":{"content",
// "mentioned_list","mentioned_mobile_list"}} to …/cgi-bin/webhook/send?key=…; the key is the only
// credential. Markdown ≤ 4096 bytes and can @ only by userid (<@userid>); text ≤ 2048 bytes and
// can @ by userid or mobile. 20 messages/minute per robot. Answer {"errcode":0,"errmsg":"ok"}.
import { postJson } from './http.ts';
import { bytes, fitCount, literal, partsOf } from './markup.ts';
import { digestTitle, mergeMentions, peopleOf } from './render.ts';
import { checkRobotAnswer, type RobotCodes } from './robot.ts';
import type { Notification, Notifier } from './types.ts';

/** The platform's rules, as data. */
export const WECOM = {
  perMinute: 20,
  bytes: { markdown: 4096, text: 2048 },
  /** After 45009 (too fast) wait for the minute window to pass. */
  rateBlockMs: 60_000,
  codes: {
    field: 'errcode',
    rate: [45009],
    // 93000 invalid webhook url (robot removed or key wrong); 40058 invalid parameter (a malformed message).
    permanent: [93000, 40058],
  } satisfies RobotCodes,
};

const COLOR = { critical: 'warning', warning: 'warning', info: 'comment' } as const;

/**
 * Markdown reaches a person only by userid; someone known only by mobile (staff named by
 * mentionStaff) is reached by a text message. So a batch naming such a person goes as text.
 */
export function wecomFormat(batch: Notification[], preferred: 'markdown' | 'text'): 'markdown' | 'text' {
  if (preferred === 'text') return 'text';
  return peopleOf(batch).some((p) => !p.wecomUserId && p.mobile) ? 'text' : 'markdown';
}

export function wecomBody(batch: Notification[], preferred: 'markdown' | 'text'): Record<string, unknown> {
  const format = wecomFormat(batch, preferred);
  const link = batch.find((n) => n.link)?.link;
  if (format === 'text') {
    const t = (s: string) => literal(s, 'text');
    const item = (n: Notification) => [t(n.title), ...n.lines.map(t)].join('\n');
    const text = [
      ...(batch.length === 1
        ? [item(batch[0]!)]
        : [digestTitle(batch), ...batch.map((n, i) => `${i + 1}. ${item(n)}`)]),
      ...(link ? [`查看：${link}`] : []),
    ].join('\n\n');
    const people = peopleOf(batch);
    const userIds = people.flatMap((p) => (p.wecomUserId ? [p.wecomUserId] : []));
    const mobiles = people.flatMap((p) => (!p.wecomUserId && p.mobile ? [p.mobile] : []));
    return {
      msgtype: 'text',
      text: {
        content: text,
        ...(userIds.length ? { mentioned_list: userIds } : {}),
        ...(mobiles.length ? { mentioned_mobile_list: mobiles } : {}),
      },
    };
  }
  const md = (s: string) => literal(s, 'markdown');
  const block = (n: Notification) =>
    [
      `### <font color="${n.kind === 'resolve' || !n.alert ? 'info' : COLOR[n.alert.severity]}">${md(n.title)}</font>`,
      ...n.lines.map((l) => `> ${md(l)}`),
    ].join('\n');
  const parts = batch.length === 1 ? [block(batch[0]!)] : [`## ${digestTitle(batch)}`, ...batch.map(block)];
  if (link) parts.push(`[查看看板](${link})`);
  const ids = mergeMentions(batch).wecomUserIds;
  if (ids.length) parts.push(ids.map((u) => `<@${u}>`).join(' '));
  return { msgtype: 'markdown', markdown: { content: parts.join('\n\n') } };
}

function contentBytes(body: Record<string, unknown>): number {
  const b = body as { text?: { content: string }; markdown?: { content: string } };
  return bytes(b.text?.content ?? b.markdown?.content ?? '');
}

function fitsOne(batch: Notification[], preferred: 'markdown' | 'text'): boolean {
  return contentBytes(wecomBody(batch, preferred)) <= WECOM.bytes[wecomFormat(batch, preferred)];
}

export function createWecomNotifier(o: {
  id: string;
  url: string;
  format: 'markdown' | 'text';
  ratePerMinute?: number;
  maxBatch?: number;
  rateBlockMs?: number;
  /** Private addresses this channel may reach (notifications.allowPrivateTargets). */
  allowTargets?: readonly string[];
}): Notifier {
  return {
    id: o.id,
    type: 'wecom',
    maxBatch: o.maxBatch ?? 10,
    rates: [{ windowMs: 60_000, max: o.ratePerMinute ?? WECOM.perMinute }],
    fit: (batch) => fitCount(batch, (b) => fitsOne(b, o.format)),
    async send(batch, signal) {
      const messages =
        batch.length === 1
          ? partsOf(batch[0]!, (p) => fitsOne([p], o.format)).map((p, i, all) => [
              i === all.length - 1
                ? p
                : { ...p, mentions: { ...p.mentions, people: [], wecomUserIds: [], mobiles: [] } },
            ])
          : [batch];
      for (const m of messages) {
        const r = await postJson(o.url, JSON.stringify(wecomBody(m, o.format)), {}, signal, o.allowTargets);
        checkRobotAnswer(r.body, WECOM.codes, o.rateBlockMs ?? WECOM.rateBlockMs);
      }
      return messages.length;
    },
  };
}
