// One interface for every channel (Alertmanager's notify/ layout): a notifier only formats and
// sends; retry, backoff, rate limits and digests live once, in the dispatcher.
import type { AlertObject } from '../../core/protocol/payloads.ts';
import type { NotificationKind } from '../store/index.ts';

/** Who a notification names: resolved from route recipients and the counter's roster. */
export interface Mentions {
  /** Display names with role, e.g. 张主任(主任). */
  names: string[];
  mobiles: string[];
  emails: string[];
  wecomUserIds: string[];
  dingtalkUserIds: string[];
  feishuUserIds: string[];
}

/** A rendered notification, frozen in the outbox when the alert changed. */
export interface Notification {
  /** Idempotency key: alert id + kind (+ repeat number) + channel. */
  key: string;
  kind: NotificationKind;
  alert: AlertObject;
  /** One line, Simplified Chinese: 【严重·脱岗】大厅 窗口. */
  title: string;
  /** Body lines, Simplified Chinese (message, since when, how long, staff roles, alert id). */
  lines: string[];
  mentions: Mentions;
  createdAt: number;
}

export interface Notifier {
  readonly id: string;
  readonly type: 'webhook' | 'wecom' | 'dingtalk' | 'feishu' | 'email' | 'mqtt';
  /** Most notifications folded into one message (1: one message each). */
  readonly maxBatch: number;
  /** Most messages per minute (robots: 20), or undefined for no limit. */
  readonly ratePerMinute: number | undefined;
  /** Delivers one message carrying every notification of the batch; throws DeliveryError on failure. */
  send(batch: Notification[], signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** A failed delivery; `retryAfterMs` when the far end said how long to wait (429 / rate limit codes). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
