// One interface for every channel (Alertmanager's notify/ layout): a notifier only formats and
// sends; ordering, retry, backoff, rate windows, digests and byte budgets live once, in the
// dispatcher. Platform rules (limits, error codes) are data next to each channel.
import type { AlertObject } from '../../core/protocol/payloads.ts';
import type { NotificationKind } from '../store/index.ts';

/** One person a notification names, with every address a channel may use to reach them. */
export interface MentionedPerson {
  name: string;
  mobile?: string;
  email?: string;
  wecomUserId?: string;
  dingtalkUserId?: string;
  feishuUserId?: string;
}

/** Who a notification names: resolved from route recipients and the counter's roster. */
export interface Mentions {
  /** Display names with role, e.g. 张主任(主任). */
  names: string[];
  mobiles: string[];
  emails: string[];
  wecomUserIds: string[];
  dingtalkUserIds: string[];
  feishuUserIds: string[];
  /** Per person (absent in rows queued by older versions): lets a channel choose what reaches each one. */
  people?: MentionedPerson[];
}

/** A rendered notification, frozen in the outbox when the alert changed (or the report was due). */
export interface Notification {
  /** Idempotency key: alert id + kind (+ repeat number) + channel; report/day/channel for reports. */
  key: string;
  kind: NotificationKind;
  /** Absent for reports and channel-error notices. */
  alert?: AlertObject;
  /** One line, Simplified Chinese: 【严重·脱岗】大厅 窗口. Plain text (channels escape it). */
  title: string;
  /** Body lines, Simplified Chinese, plain text (channels escape them for their markup). */
  lines: string[];
  /** A link shown after the lines (the board); channels lay it out in their own markup. */
  link?: string;
  mentions: Mentions;
  createdAt: number;
  /** Files a report carries (the 月报's 考核 workbook); e-mail attaches them, robots only name them. */
  attachments?: Attachment[];
}

/** A file frozen into the outbox with its notification (base64, so the row is plain JSON). */
export interface Attachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

/** A rate window of a platform: at most `max` messages in any `windowMs`. */
export interface RateWindow {
  windowMs: number;
  max: number;
}

export interface Notifier {
  readonly id: string;
  readonly type: 'webhook' | 'wecom' | 'dingtalk' | 'feishu' | 'email' | 'mqtt';
  /** Most notifications folded into one message (1: one message each). */
  readonly maxBatch: number;
  /** Rate windows the platform enforces per robot (WeCom 20/min; Feishu 100/min and 5/s). */
  readonly rates: RateWindow[];
  /**
   * How many leading notifications of the batch fit in one message within the platform's byte
   * budget (at least 1: a single notification too large for one message is sent in parts).
   */
  fit?(batch: Notification[]): number;
  /** Delivers the batch; returns how many platform messages it posted. Throws DeliveryError. */
  send(batch: Notification[], signal: AbortSignal): Promise<number>;
  close?(): Promise<void>;
}

/**
 * A failed delivery. `retryAfterMs` when the far end said how long to wait (429, a robot's
 * "too fast" code: DingTalk blocks the robot for 10 minutes); `permanent` when retrying cannot
 * help (bad signature, keyword missing, robot removed) until someone fixes the configuration.
 */
export class DeliveryError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly permanent: boolean;
  /** The platform's error code, when it answered with one. */
  readonly code: number | undefined;
  constructor(message: string, retryAfterMs?: number, opts: { permanent?: boolean; code?: number } = {}) {
    super(message);
    this.name = 'DeliveryError';
    this.retryAfterMs = retryAfterMs;
    this.permanent = opts.permanent ?? false;
    this.code = opts.code;
  }
}

/** A per-minute limit as a rate window (none when undefined). */
export const perMinute = (max: number | undefined): RateWindow[] => (max ? [{ windowMs: 60_000, max }] : []);
