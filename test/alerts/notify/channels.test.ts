// Each channel against a local server that records what it receives, checked against the
// platforms' documented formats (docs/alerts.md cites them).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDingtalkNotifier, dingtalkSign } from '../../../alerts/notify/dingtalk.ts';
import { createEmailNotifier } from '../../../alerts/notify/email.ts';
import { createFeishuNotifier } from '../../../alerts/notify/feishu.ts';
import { DeliveryError } from '../../../alerts/notify/types.ts';
import { createWebhookNotifier } from '../../../alerts/notify/webhook.ts';
import { createWecomNotifier } from '../../../alerts/notify/wecom.ts';
import { type RecordingServer, startRecordingServer, startSmtpRecorder, testConfig } from '../helpers.ts';
import { notificationOf, unattendedAlert } from './fixtures.ts';

const config = testConfig({ dataDir: '/tmp/unused' });
const signal = () => AbortSignal.timeout(5000);
let robot: RecordingServer;

beforeAll(async () => {
  robot = await startRecordingServer((r) =>
    r.url.startsWith('/feishu')
      ? { status: 200, body: { code: 0, msg: 'success', data: {} } }
      : { status: 200, body: { errcode: 0, errmsg: 'ok' } },
  );
});
afterAll(() => robot.close());

describe('message text', () => {
  it('names hall, counter, staff roles and how long, in Chinese', () => {
    const n = notificationOf(config);
    expect(n.title).toBe('【严重·脱岗】市政务服务中心 7号窗口 不动产登记');
    const text = n.lines.join('\n');
    expect(text).toContain('已持续：10分钟5秒');
    expect(text).toContain('A角 张三(E1023)');
    expect(text).toContain('B角 李四(E2051)');
    expect(text).toContain('发生时间：2026-03-09 10:12:00');
  });
});

describe('WeCom group robot', () => {
  it('posts {"msgtype":"markdown","markdown":{"content"}} with <@userid> mentions', async () => {
    const n = createWecomNotifier({
      id: 'wecom',
      url: `${robot.url}/cgi-bin/webhook/send?key=K1`,
      format: 'markdown',
    });
    await n.send([notificationOf(config)], signal());
    const r = robot.received.at(-1)!;
    expect(r.url).toBe('/cgi-bin/webhook/send?key=K1');
    expect(r.headers['content-type']).toContain('application/json');
    expect(Object.keys(r.body)).toEqual(['msgtype', 'markdown']);
    expect(r.body.msgtype).toBe('markdown');
    expect(r.body.markdown.content).toContain('7号窗口 不动产登记');
    expect(r.body.markdown.content).toContain('<@wangzr>');
    expect(Buffer.byteLength(r.body.markdown.content)).toBeLessThanOrEqual(4096);
  });

  it('text form carries mentioned_list and mentioned_mobile_list', async () => {
    const n = createWecomNotifier({
      id: 'wecom',
      url: `${robot.url}/cgi-bin/webhook/send?key=K1`,
      format: 'text',
    });
    await n.send([notificationOf(config)], signal());
    const b = robot.received.at(-1)!.body;
    expect(b.msgtype).toBe('text');
    expect(b.text.mentioned_list).toEqual(['wangzr']);
    expect(b.text.mentioned_mobile_list).toEqual(['13900000009']);
    expect(Buffer.byteLength(b.text.content)).toBeLessThanOrEqual(2048);
  });

  it('a non-zero errcode (45009 rate limit) is a failed delivery with a retry hint', async () => {
    const busy = await startRecordingServer(() => ({
      status: 200,
      body: { errcode: 45009, errmsg: 'api freq out of limit' },
    }));
    const n = createWecomNotifier({ id: 'wecom', url: `${busy.url}/send?key=K`, format: 'markdown' });
    const err = await n.send([notificationOf(config)], signal()).catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err.retryAfterMs).toBe(60_000);
    await busy.close();
  });
});

describe('DingTalk robot', () => {
  it('signs timestamp+"\\n"+secret with HMAC-SHA256, base64, URL-encoded, and @mentions by mobile', async () => {
    const secret = 'SEC0123456789abcdef';
    const n = createDingtalkNotifier({
      id: 'ding',
      url: `${robot.url}/robot/send?access_token=T1`,
      secret,
      format: 'markdown',
    });
    const before = Date.now();
    await n.send([notificationOf(config)], signal());
    const r = robot.received.at(-1)!;
    const u = new URL(r.url, 'http://x');
    expect(u.pathname).toBe('/robot/send');
    expect(u.searchParams.get('access_token')).toBe('T1');
    const ts = Number(u.searchParams.get('timestamp'));
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Date.now());
    // Recompute as DingTalk does: raw query value is the urlEncoded base64 signature.
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    const rawSign = r.url.match(/[?&]sign=([^&]+)/)![1]!;
    expect(rawSign).toBe(encodeURIComponent(expected));
    expect(decodeURIComponent(rawSign)).toBe(dingtalkSign(secret, ts));
    expect(r.body.msgtype).toBe('markdown');
    expect(r.body.markdown.title).toContain('脱岗');
    expect(r.body.markdown.text).toContain('#### 【严重·脱岗】');
    expect(r.body.markdown.text).toContain('@13900000009');
    expect(r.body.at).toEqual({ atMobiles: ['13900000009'], atUserIds: ['dt-wang'], isAtAll: false });
  });

  it('text form: {"msgtype":"text","text":{"content"},"at":{…}}', async () => {
    const n = createDingtalkNotifier({
      id: 'ding',
      url: `${robot.url}/robot/send?access_token=T1`,
      format: 'text',
    });
    await n.send([notificationOf(config)], signal());
    const r = robot.received.at(-1)!;
    expect(r.url).toBe('/robot/send?access_token=T1');
    expect(r.body.msgtype).toBe('text');
    expect(r.body.text.content).toContain('7号窗口');
    expect(r.body.at.atMobiles).toEqual(['13900000009']);
  });
});

describe('Feishu custom bot', () => {
  it('puts timestamp (seconds) and sign = base64(HMAC-SHA256(key=timestamp+"\\n"+secret, "")) in the body', async () => {
    const secret = 'feishu-secret';
    const n = createFeishuNotifier({ id: 'fs', url: `${robot.url}/feishu/open-apis/bot/v2/hook/H1`, secret });
    await n.send([notificationOf(config)], signal());
    const b = robot.received.at(-1)!.body;
    expect(b.msg_type).toBe('text');
    expect(typeof b.timestamp).toBe('string');
    expect(Math.abs(Number(b.timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(b.sign).toBe(createHmac('sha256', `${b.timestamp}\n${secret}`).update('').digest('base64'));
    expect(b.content.text).toContain('7号窗口 不动产登记');
    expect(b.content.text).toContain('<at user_id="ou_wang"></at>');
  });
});

describe('generic webhook', () => {
  it('sends JSON with the idempotency key and an HMAC-SHA256 signature of "timestamp.body"', async () => {
    const n = createWebhookNotifier({ id: 'hook', url: `${robot.url}/hook`, secret: 'whsec' });
    const note = notificationOf(config);
    await n.send([note], signal());
    const r = robot.received.at(-1)!;
    expect(r.headers['idempotency-key']).toBe(note.key);
    const ts = r.headers['x-hallwatch-timestamp'] as string;
    const sig = createHmac('sha256', 'whsec').update(`${ts}.${r.raw}`).digest('hex');
    expect(r.headers['x-hallwatch-signature']).toBe(`sha256=${sig}`);
    expect(r.body.idempotencyKey).toBe(note.key);
    expect(r.body.alert.id).toBe(unattendedAlert().id);
    expect(r.body.alert.status).toBe('open');
  });

  it('HTTP 503 with Retry-After is a failed delivery', async () => {
    const down = await startRecordingServer(() => ({ status: 503, body: {} }));
    const n = createWebhookNotifier({ id: 'hook', url: `${down.url}/hook` });
    await expect(n.send([notificationOf(config)], signal())).rejects.toBeInstanceOf(DeliveryError);
    await down.close();
  });
});

describe('e-mail', () => {
  it('sends over SMTP to the channel list and the mentioned recipients, Chinese subject', async () => {
    const smtp = await startSmtpRecorder();
    const n = createEmailNotifier({
      id: 'mail',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, rejectUnauthorized: false },
      from: 'hallwatch@example.gov.cn',
      to: ['duty@example.gov.cn'],
      timeoutMs: 5000,
    });
    const note = notificationOf(config);
    await n.send([note], signal());
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0]!;
    expect(m.to.sort()).toEqual(['director@example.gov.cn', 'duty@example.gov.cn']);
    expect(m.raw).toMatch(new RegExp(`x-hallwatch-idempotency-keys: ${note.key}`, 'i'));
    const subject = m.raw.replace(/\r?\n[ \t]+/g, ' ').match(/^Subject: (.+)$/m)![1]!;
    expect(decodeMimeWord(subject)).toBe(note.title);
    const body = Buffer.from(m.raw.split(/\r?\n\r?\n/)[1]!.replace(/\s/g, ''), 'base64').toString('utf8');
    expect(body).toContain('A角 张三(E1023)');
    await n.close?.();
    await smtp.close();
  });
});

/** RFC 2047 encoded-words (=?UTF-8?B?…?=), as nodemailer writes a Chinese subject. */
function decodeMimeWord(s: string): string {
  return s.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}
