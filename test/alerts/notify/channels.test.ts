// Each robot channel against a stand-in of its platform that checks signatures, limits and
// refuses with the documented codes (docs/alerts.md cites them); webhook and e-mail against
// recording servers of their own protocols.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDingtalkNotifier, dingtalkSign } from '../../../alerts/notify/dingtalk.ts';
import { createEmailNotifier } from '../../../alerts/notify/email.ts';
import { createFeishuNotifier } from '../../../alerts/notify/feishu.ts';
import { DeliveryError } from '../../../alerts/notify/types.ts';
import { createWebhookNotifier } from '../../../alerts/notify/webhook.ts';
import { createWecomNotifier } from '../../../alerts/notify/wecom.ts';
import {
  LOOPBACK,
  type RecordingServer,
  startRecordingServer,
  startSmtpRecorder,
  testConfig,
} from '../helpers.ts';
import { notificationOf, unattendedAlert } from './fixtures.ts';
import { type Robots, startRobots } from './platforms/index.ts';

const config = testConfig({ dataDir: '/tmp/unused' });
const signal = () => AbortSignal.timeout(5000);
const DING_SECRET = 'SEC0123456789abcdef';
const FEISHU_SECRET = 'feishu-secret';
let robot: RecordingServer;
let robots: Robots;

beforeAll(async () => {
  robot = await startRecordingServer();
  robots = await startRobots({ dingtalk: { secret: DING_SECRET }, feishu: { secret: FEISHU_SECRET } });
});
afterAll(async () => {
  await robot.close();
  await robots.close();
});

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

describe('WeCom group robot (stand-in)', () => {
  it('markdown: the alert in the group, the director @-ed by <@userid>', async () => {
    const n = createWecomNotifier({
      ...LOOPBACK,
      id: 'wecom',
      url: robots.wecomUrl(),
      format: 'markdown',
    });
    await n.send([notificationOf(config)], signal());
    const r = robots.received.at(-1)!;
    expect(r.platform).toBe('wecom');
    expect(Object.keys(r.body)).toEqual(['msgtype', 'markdown']);
    expect(r.text).toContain('7号窗口 不动产登记');
    expect(r.reached).toEqual(['wangzr']);
  });

  it('a person known only by phone is reached: the message goes as text with mentioned_mobile_list', async () => {
    const n = createWecomNotifier({
      ...LOOPBACK,
      id: 'wecom',
      url: robots.wecomUrl(),
      format: 'markdown',
    });
    const note = notificationOf(config, unattendedAlert(), 'k', 'open', true);
    await n.send([note], signal());
    const r = robots.received.at(-1)!;
    expect(r.body.msgtype).toBe('text');
    expect(r.body.text.mentioned_list).toEqual(['wangzr']);
    expect(r.body.text.mentioned_mobile_list).toEqual(['13800001023']);
    expect(r.reached.sort()).toEqual(['13800001023', 'wangzr']);
  });

  it('device text cannot @all, link or format: it is shown literally', async () => {
    const a = { ...unattendedAlert(), message: '故障码 <@all> [点此](http://evil.example) **E#7** @所有人' };
    for (const format of ['markdown', 'text'] as const) {
      const n = createWecomNotifier({
        ...LOOPBACK,
        id: 'wecom',
        url: robots.wecomUrl(),
        format,
      });
      await n.send([notificationOf(config, a)], signal());
      const r = robots.received.at(-1)!;
      expect(r.reached).not.toContain('all');
      expect(r.text).not.toContain('<@all>');
      // Plain text renders no links; markdown must not get one.
      if (format === 'markdown') expect(r.text).not.toContain('](http://evil');
      expect(r.text).toContain('故障码 ＜＠all＞');
    }
  });

  it('unknown key (robot removed) is a permanent error 93000; a full minute is a rate error 45009', async () => {
    const gone = createWecomNotifier({
      ...LOOPBACK,
      id: 'wecom',
      url: robots.wecomUrl('REMOVED'),
      format: 'markdown',
    });
    const e1 = await gone.send([notificationOf(config)], signal()).catch((e) => e);
    expect(e1).toBeInstanceOf(DeliveryError);
    expect(e1).toMatchObject({ permanent: true, code: 93000 });
    const busy = await startRobots({ wecom: { perMinute: 1 } });
    const n = createWecomNotifier({
      ...LOOPBACK,
      id: 'wecom',
      url: busy.wecomUrl(),
      format: 'markdown',
    });
    await n.send([notificationOf(config)], signal());
    const e2 = await n.send([notificationOf(config)], signal()).catch((e) => e);
    expect(e2).toMatchObject({ permanent: false, code: 45009, retryAfterMs: 60_000 });
    expect(busy.refused.map((r) => r.code)).toEqual([45009]);
    await busy.close();
  });
});

describe('DingTalk robot (stand-in with 加签 and a keyword)', () => {
  it('a signed message is accepted; @ reaches the director by user id and staff by mobile', async () => {
    const n = createDingtalkNotifier({
      ...LOOPBACK,
      id: 'ding',
      url: robots.dingtalkUrl(),
      secret: DING_SECRET,
      format: 'markdown',
    });
    await n.send([notificationOf(config, unattendedAlert(), 'k', 'open', true)], signal());
    const r = robots.received.at(-1)!;
    expect(r.platform).toBe('dingtalk');
    expect(r.body.markdown.title).toContain('脱岗');
    expect(r.body.markdown.text).toContain('#### 【严重·脱岗】');
    expect(r.reached.sort()).toEqual(['13800001023', 'dt-wang']);
    const u = new URL(r.url, 'http://x');
    expect(decodeURIComponent(u.search.match(/sign=([^&]+)/)![1]!)).toBe(
      dingtalkSign(DING_SECRET, Number(u.searchParams.get('timestamp'))),
    );
  });

  it('text form: {"msgtype":"text","text":{"content"},"at":{…}}', async () => {
    const n = createDingtalkNotifier({
      ...LOOPBACK,
      id: 'ding',
      url: robots.dingtalkUrl(),
      secret: DING_SECRET,
      format: 'text',
    });
    await n.send([notificationOf(config)], signal());
    const r = robots.received.at(-1)!;
    expect(r.body.msgtype).toBe('text');
    expect(r.text).toContain('7号窗口');
    expect(r.reached).toEqual(['dt-wang']);
  });

  it('a wrong secret, an old timestamp or a missing keyword is refused with 310000 and is permanent', async () => {
    const wrong = createDingtalkNotifier({
      ...LOOPBACK,
      id: 'ding',
      url: robots.dingtalkUrl(),
      secret: 'SECwrong',
      format: 'text',
    });
    expect(await wrong.send([notificationOf(config)], signal()).catch((e) => e)).toMatchObject({
      permanent: true,
      code: 310000,
    });
    const stale = createDingtalkNotifier({
      ...LOOPBACK,
      id: 'ding',
      url: robots.dingtalkUrl(),
      secret: DING_SECRET,
      format: 'text',
      now: () => Date.now() - 3_700_000,
    });
    expect(await stale.send([notificationOf(config)], signal()).catch((e) => e)).toMatchObject({
      code: 310000,
    });
    const strict = await startRobots({ dingtalk: { secret: DING_SECRET, keywords: ['值班提醒'] } });
    const n = createDingtalkNotifier({
      ...LOOPBACK,
      id: 'ding',
      url: strict.dingtalkUrl(),
      secret: DING_SECRET,
      format: 'text',
    });
    expect(await n.send([notificationOf(config)], signal()).catch((e) => e)).toMatchObject({ code: 310000 });
    expect(strict.refused[0]!.msg).toContain('keywords not in content');
    await strict.close();
    expect(robots.refused.filter((r) => r.platform === 'dingtalk').map((r) => r.msg)).toEqual([
      expect.stringContaining('sign not match'),
      'invalid timestamp',
    ]);
  });
});

describe('Feishu custom bot (stand-in with 签名校验)', () => {
  it('timestamp (s) and sign in the body are accepted; <at user_id> reaches the director', async () => {
    const n = createFeishuNotifier({
      ...LOOPBACK,
      id: 'fs',
      url: robots.feishuUrl(),
      secret: FEISHU_SECRET,
    });
    await n.send([notificationOf(config)], signal());
    const r = robots.received.at(-1)!;
    expect(r.platform).toBe('feishu');
    expect(r.body.msg_type).toBe('text');
    expect(r.body.sign).toBe(
      createHmac('sha256', `${r.body.timestamp}\n${FEISHU_SECRET}`).update('').digest('base64'),
    );
    expect(r.text).toContain('7号窗口 不动产登记');
    expect(r.reached).toEqual(['ou_wang']);
  });

  it('device text cannot <at user_id="all">', async () => {
    const n = createFeishuNotifier({
      ...LOOPBACK,
      id: 'fs',
      url: robots.feishuUrl(),
      secret: FEISHU_SECRET,
    });
    const a = { ...unattendedAlert(), message: '传感器备注 <at user_id="all">所有人</at>' };
    await n.send([notificationOf(config, a)], signal());
    expect(robots.received.at(-1)!.reached).toEqual(['ou_wang']);
  });

  it('a wrong secret is 19021, a removed bot 19001: both permanent', async () => {
    const wrong = createFeishuNotifier({
      ...LOOPBACK,
      id: 'fs',
      url: robots.feishuUrl(),
      secret: 'nope',
    });
    expect(await wrong.send([notificationOf(config)], signal()).catch((e) => e)).toMatchObject({
      permanent: true,
      code: 19021,
    });
    const gone = createFeishuNotifier({
      ...LOOPBACK,
      id: 'fs',
      url: robots.feishuUrl('GONE'),
      secret: FEISHU_SECRET,
    });
    expect(await gone.send([notificationOf(config)], signal()).catch((e) => e)).toMatchObject({
      permanent: true,
      code: 19001,
    });
  });

  it('a single alert larger than 20 KB goes in parts that each fit, nothing cut', async () => {
    const n = createFeishuNotifier({
      ...LOOPBACK,
      id: 'fs',
      url: robots.feishuUrl(),
      secret: FEISHU_SECRET,
    });
    const long = `设备明细 ${'温度传感器读数异常；'.repeat(1200)}结束`;
    const a = { ...unattendedAlert(), message: long };
    const before = robots.received.length;
    const sent = await n.send([notificationOf(config, a)], signal());
    const parts = robots.received.slice(before);
    expect(sent).toBe(parts.length);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => Buffer.byteLength(p.raw) <= 20 * 1024)).toBe(true);
    const joined = parts.map((p) => p.text).join('');
    // Parts may break inside the long line, never drop a character of it.
    expect(joined.split('温').length - 1).toBe(1200);
    expect(joined).toContain('结束');
  });
});

describe('generic webhook', () => {
  it('sends JSON with the idempotency key and an HMAC-SHA256 signature of "timestamp.body"', async () => {
    const n = createWebhookNotifier({
      ...LOOPBACK,
      id: 'hook',
      url: `${robot.url}/hook`,
      secret: 'whsec',
    });
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
    const n = createWebhookNotifier({
      ...LOOPBACK,
      id: 'hook',
      url: `${down.url}/hook`,
    });
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
