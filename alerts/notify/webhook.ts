// Generic webhook: one JSON POST per notification, signed with HMAC-SHA256 over "timestamp.body"
// (X-HallWatch-Signature: sha256=<hex>), carrying the idempotency key so receivers can drop repeats.
import { createHmac } from 'node:crypto';
import { postJson } from './http.ts';
import { type Notification, type Notifier, perMinute } from './types.ts';

export interface WebhookOptions {
  id: string;
  url: string;
  secret?: string;
  headers?: Record<string, string>;
  ratePerMinute?: number;
  now?: () => number;
  /** Private addresses this channel may reach (notifications.allowPrivateTargets). */
  allowTargets?: readonly string[];
}

/** The signature a receiver recomputes: hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`). */
export function webhookSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export function webhookBody(n: Notification): Record<string, unknown> {
  return {
    version: 1,
    idempotencyKey: n.key,
    kind: n.kind,
    title: n.title,
    text: [n.title, ...n.lines].join('\n'),
    alert: n.alert,
    mentions: n.mentions.names,
    createdAt: n.createdAt,
  };
}

export function createWebhookNotifier(o: WebhookOptions): Notifier {
  const now = o.now ?? Date.now;
  return {
    id: o.id,
    type: 'webhook',
    maxBatch: 1,
    rates: perMinute(o.ratePerMinute),
    async send(batch, signal) {
      const n = batch[0]!;
      const body = JSON.stringify(webhookBody(n));
      const ts = String(now());
      const headers: Record<string, string> = {
        ...o.headers,
        'idempotency-key': n.key,
        'x-hallwatch-timestamp': ts,
      };
      if (o.secret) headers['x-hallwatch-signature'] = webhookSignature(o.secret, ts, body);
      await postJson(o.url, body, headers, signal, o.allowTargets);
      return 1;
    },
  };
}
