// E-mail over SMTP (nodemailer). A digest folds several alerts into one mail; the idempotency
// key becomes the Message-ID so a mail client shows a resend as the same message.
import nodemailer from 'nodemailer';
import { digestTitle, mergeMentions } from './render.ts';
import { DeliveryError, type Notification, type Notifier, perMinute } from './types.ts';

export interface EmailOptions {
  id: string;
  smtp: {
    host: string;
    port: number;
    secure: boolean;
    user?: string;
    password?: string;
    rejectUnauthorized: boolean;
  };
  from: string;
  to: string[];
  timeoutMs: number;
  maxBatch?: number;
  ratePerMinute?: number;
}

export function emailContent(batch: Notification[]): { subject: string; text: string } {
  if (batch.length === 1) {
    const n = batch[0]!;
    return { subject: n.title, text: `${n.lines.join('\n')}\n\n—— HallWatch 政务服务大厅在岗监测\n` };
  }
  return {
    subject: digestTitle(batch),
    text: `${batch.map((n, i) => `${i + 1}. ${n.title}\n${n.lines.map((l) => `   ${l}`).join('\n')}`).join('\n\n')}\n\n—— HallWatch 政务服务大厅在岗监测\n`,
  };
}

export function createEmailNotifier(o: EmailOptions): Notifier {
  const transport = nodemailer.createTransport({
    host: o.smtp.host,
    port: o.smtp.port,
    secure: o.smtp.secure,
    ...(o.smtp.user ? { auth: { user: o.smtp.user, pass: o.smtp.password ?? '' } } : {}),
    tls: { rejectUnauthorized: o.smtp.rejectUnauthorized },
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
  });
  return {
    id: o.id,
    type: 'email',
    maxBatch: o.maxBatch ?? 20,
    rates: perMinute(o.ratePerMinute),
    async send(batch) {
      const { subject, text } = emailContent(batch);
      const to = [...new Set([...o.to, ...mergeMentions(batch).emails])];
      const keys = batch.map((n) => n.key);
      try {
        await transport.sendMail({
          from: o.from,
          to,
          subject,
          text,
          messageId: `<${keys[0]!.replace(/[^A-Za-z0-9._-]/g, '.')}${batch.length > 1 ? `.d${batch.length}` : ''}@hallwatch>`,
          headers: { 'X-HallWatch-Idempotency-Keys': keys.join(' ') },
          attachments: batch.flatMap((n) =>
            (n.attachments ?? []).map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              content: a.contentBase64,
              encoding: 'base64',
            })),
          ),
        });
      } catch (e) {
        throw new DeliveryError(`SMTP: ${(e as Error).message}`);
      }
      return 1;
    },
    async close() {
      transport.close();
    },
  };
}
