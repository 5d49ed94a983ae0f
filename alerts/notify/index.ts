// Builds one notifier per configured channel.
import type { ChannelConfig } from '../../core/config/schema.ts';
import { createDingtalkNotifier } from './dingtalk.ts';
import { createEmailNotifier } from './email.ts';
import { createFeishuNotifier } from './feishu.ts';
import { createMqttNotifier, type PublishFn } from './mqtt.ts';
import type { Notifier } from './types.ts';
import { createWebhookNotifier } from './webhook.ts';
import { createWecomNotifier } from './wecom.ts';

export type { Notification, Notifier } from './types.ts';

function rateOf(ch: ChannelConfig): number | undefined {
  if (ch.ratePerMinute) return ch.ratePerMinute;
  if (ch.minIntervalMs) return Math.max(1, Math.floor(60_000 / ch.minIntervalMs));
  return undefined;
}

export function createNotifier(
  ch: ChannelConfig,
  deps: { publish: PublishFn; now: () => number; allowTargets?: readonly string[] },
): Notifier {
  const common = {
    id: ch.id,
    allowTargets: deps.allowTargets ?? [],
    ...(rateOf(ch) !== undefined ? { ratePerMinute: rateOf(ch)! } : {}),
    ...(ch.maxBatch !== undefined ? { maxBatch: ch.maxBatch } : {}),
  };
  const robot = {
    ...(ch.rateBlock ? { rateBlockMs: ch.rateBlock } : {}),
  };
  switch (ch.type) {
    case 'webhook':
      return createWebhookNotifier({
        ...common,
        url: ch.url,
        ...(ch.secret ? { secret: ch.secret } : {}),
        ...(ch.headers ? { headers: ch.headers } : {}),
        now: deps.now,
      });
    case 'wecom':
      return createWecomNotifier({ ...common, ...robot, url: ch.url, format: ch.format });
    case 'dingtalk':
      return createDingtalkNotifier({
        ...common,
        ...robot,
        url: ch.url,
        format: ch.format,
        ...(ch.secret ? { secret: ch.secret } : {}),
        now: deps.now,
      });
    case 'feishu':
      return createFeishuNotifier({
        ...common,
        ...robot,
        ...(ch.ratePerSecond ? { ratePerSecond: ch.ratePerSecond } : {}),
        url: ch.url,
        ...(ch.secret ? { secret: ch.secret } : {}),
        now: deps.now,
      });
    case 'email':
      return createEmailNotifier({
        ...common,
        smtp: ch.smtp,
        from: ch.from,
        to: ch.to,
        timeoutMs: ch.timeout,
      });
    case 'mqtt':
      return createMqttNotifier({ id: ch.id, topic: ch.topic, publish: deps.publish });
  }
}
