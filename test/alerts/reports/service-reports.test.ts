// The 日报 and 月报 through the real alerts service: a real InfluxDB holding DOMAIN's Monday
// 2026-03-09, the platform stand-ins for the supervisors' robots, an SMTP stand-in for the
// assessors' mail, and a fake clock moved to each due time. The numbers in the messages are the
// numbers the API's reports functions give for the same day and month.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertsServiceInternal, startAlerts } from '../../../alerts/index.ts';
import { FakeClock } from '../../../core/clock.ts';
import { parseConfig } from '../../../core/config/load.ts';
import type { Config } from '../../../core/config/schema.ts';
import { formatDurationZh } from '../../../core/duration.ts';
import { createReports, type Reports, type UptimeRow } from '../../../reports/index.ts';
import { at, config as hallConfig } from '../../core/stats/fixtures.ts';
import {
  D,
  derivedLines,
  deviceLine,
  equipment,
  influxWithDb,
  runLive,
  SCRIPT,
} from '../../reports/helpers.ts';
import {
  type Mail,
  silentLogger,
  startSmtpRecorder,
  startTestBroker,
  type TestBroker,
  tempDir,
  waitFor,
} from '../helpers.ts';
import { type Robots, startRobots } from '../notify/platforms/index.ts';
import { DING_SECRET } from '../service-fixture.ts';
import { calendarOf } from './fixtures.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The decoded attachments of a raw RFC 5322 message (nodemailer's multipart/mixed, base64 parts). */
function attachmentsOf(mail: Mail): { type: string; filename: string; content: Buffer }[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(mail.raw)?.[1];
  if (!boundary) return [];
  return mail.raw
    .split(`--${boundary}`)
    .map((part) => {
      const [head = '', ...body] = part.split(/\r?\n\r?\n/);
      const type = /content-type:\s*([^;\r\n]+)/i.exec(head)?.[1]?.trim() ?? '';
      const filename = /filename="?([^";\r\n]+)"?/i.exec(head)?.[1] ?? '';
      if (!/content-disposition:\s*attachment/i.test(head)) return undefined;
      return { type, filename, content: Buffer.from(body.join('').replace(/\s+/g, ''), 'base64') };
    })
    .filter((x) => x !== undefined);
}

const subjectOf = (m: Mail) => {
  const raw = /^Subject: (.+(?:\r?\n[ \t].+)*)/im.exec(m.raw)?.[1] ?? '';
  // =?UTF-8?B?…?= / =?UTF-8?Q?…?= words, as nodemailer writes a Chinese subject.
  return raw
    .replace(/\r?\n[ \t]/g, '')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, t: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(t, 'base64').toString('utf8')
        : Buffer.from(
            t
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
};

describe('scheduled reports through the alerts service', () => {
  let db: Awaited<ReturnType<typeof influxWithDb>>;
  let broker: TestBroker;
  let robots: Robots;
  let smtp: Awaited<ReturnType<typeof startSmtpRecorder>>;
  let svc: AlertsServiceInternal | undefined;
  let api: Reports;
  let config: Config;
  const dir = tempDir('hw-reports-');
  const clock = new FakeClock(at(D, '17:29:00'));

  const start = () =>
    startAlerts(
      { config, logger: silentLogger(), clock, mqtt: { url: broker.url }, services: new Map() },
      {
        settleMs: 50,
        tickMs: 3_600_000,
        reportPollMs: 50,
        dbFile: join(dir.dir, 'alerts.sqlite'),
        clientId: `alerts-reports-${process.pid}`,
      },
    );

  beforeAll(async () => {
    db = await influxWithDb();
    const calendar = calendarOf(hallConfig);
    // Monday as DOMAIN plays it, and the hall's queue machine failing at 16:58, still open at night.
    const events = [
      ...SCRIPT,
      equipment(D, '08:00:00', undefined, 'queue', 'ok'),
      equipment(D, '16:58:00', undefined, 'queue', 'fault'),
    ];
    const live = runLive(
      hallConfig,
      calendar,
      events,
      calendar.startOfDay(D),
      calendar.startOfDay('2026-03-10'),
    );
    await db.db.write([...events.map(deviceLine), ...derivedLines(live)]);
    broker = await startTestBroker();
    robots = await startRobots({ now: () => clock.now(), dingtalk: { secret: DING_SECRET } });
    smtp = await startSmtpRecorder();
    config = parseConfig({
      ...hallConfig,
      dataDir: dir.dir,
      influx: { url: db.target.url, database: db.target.database },
      notifications: {
        allowPrivateTargets: ['127.0.0.1'],
        boardUrl: 'http://hallwatch.example.gov.cn/',
        channels: [
          { id: 'ops', type: 'wecom', url: robots.wecomUrl() },
          { id: 'ding', type: 'dingtalk', url: robots.dingtalkUrl(), secret: DING_SECRET },
          {
            id: 'kaohe',
            type: 'email',
            smtp: { host: '127.0.0.1', port: smtp.port },
            from: 'hallwatch@example.gov.cn',
            to: ['kaohe@example.gov.cn'],
          },
        ],
        routes: [{ channels: ['ops', 'ding'], recipients: ['role:supervisor'] }],
        recipients: [
          { id: 'sup', name: '王主管', role: 'supervisor', mobile: '13900000001' },
          { id: 'kao', name: '陈考核', role: 'assessor', email: 'chen@example.gov.cn' },
        ],
        reports: { daily: { halls: ['cz-main'] } },
      },
    });
    api = createReports({ config, calendar: calendarOf(config), influx: db.target, logger: silentLogger() });
    svc = await start();
  }, 60_000);

  afterAll(async () => {
    await svc?.stop();
    await api?.close();
    await Promise.all([broker?.close(), robots?.close(), smtp?.close()]);
    await db?.influxd.cleanup();
    dir.cleanup();
  });

  const dailies = (platform: 'wecom' | 'dingtalk', day = D) =>
    robots.received.filter(
      (r) => r.platform === platform && r.text.includes(`【日报】`) && r.text.includes(day),
    );

  it('日报 at 17:30 to both supervisor robots, with the API’s numbers for the day', async () => {
    await new Promise((r) => setTimeout(r, 200));
    expect(robots.received).toEqual([]);
    clock.set(at(D, '17:30:00'));
    await waitFor(
      () => dailies('wecom').length && dailies('dingtalk').length,
      15_000,
      'the 日报 on both robots',
    );
    const day = { hall: 'cz-main', from: at(D, '00:00:00'), to: at('2026-03-10', '00:00:00') };
    const hall = (await api.uptime({ ...day, by: 'day', scope: 'hall' })).rows[0] as UptimeRow;
    const eq = await api.equipment(day);
    expect(hall.interruptionCount).toBeGreaterThan(0);
    const text = dailies('wecom')[0]!.text;
    expect(text).toContain('常州市政务服务中心 2026-03-09（周一）');
    expect(text).toContain(`缺位次数：${hall.interruptionCount}`);
    expect(text).toContain('10:42 7号窗口 不动产登记，责任人 张三(E1023)');
    expect(text).toContain(`迟到开窗次数：${hall.lateOpenings}`);
    expect(text).toContain(`暂停服务时长：${formatDurationZh(hall.pausedSeconds * 1000)}`);
    if (process.env.SHOW_REPORT) console.log(text);
    expect(eq.rows.find((r) => r.equipment === 'queue')!.openFaults).toBe(1);
    expect(text).toContain('未修复设备故障：1');
    expect(text).toContain(`传感器覆盖率：${(Math.round(hall.sensorCoverage! * 1000) / 10).toFixed(1)}%`);
    // The supervisor is @-mentioned where the platform lets a mobile reach them.
    expect(dailies('dingtalk')[0]!.reached).toContain('13900000001');
  }, 30_000);

  it('月报 on the first working day (2026-04-01 09:00) by e-mail to the assessors, the 考核 workbook attached', async () => {
    clock.set(at('2026-04-01', '09:00:00'));
    const mail = await waitFor(
      () => smtp.mails.find((m) => subjectOf(m).includes('【月报】')),
      15_000,
      'the 月报 mail',
    );
    expect(subjectOf(mail)).toBe('【月报】常州市政务服务中心 2026年03月 考核统计');
    expect(mail.to.sort()).toEqual(['chen@example.gov.cn', 'kaohe@example.gov.cn']);
    const [file, ...more] = attachmentsOf(mail);
    expect(more).toEqual([]);
    expect(file!.type).toBe(XLSX_TYPE);
    expect(file!.filename).toBe('hallwatch-cz-main-2026-03.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file!.content as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('在岗统计')!;
    expect(sheet).toBeDefined();
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const w07 = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === 'w07')!;
    const month = (
      await api.uptime({
        hall: 'cz-main',
        counter: 'w07',
        from: at('2026-03-01', '00:00:00'),
        to: at('2026-04-01', '00:00:00'),
        by: 'month',
      })
    ).rows[0] as UptimeRow;
    expect(w07.getCell(header.indexOf('缺位次数') + 1).value).toBe(month.interruptionCount);
    // The period is an Excel date (March 2026, shown as a month), as the API's workbook writes it.
    const period = w07.getCell(header.indexOf('统计周期') + 1);
    expect(period.value).toEqual(new Date(Date.UTC(2026, 2, 1)));
    expect(period.numFmt).toMatch(/yyyy/);
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['在岗统计', '人员统计', '设备完好', '环境达标', '无缺位']),
    );
  }, 30_000);

  it('a restart at the same moment sends nothing twice', async () => {
    const before = { robots: robots.received.length, mails: smtp.mails.length };
    const outbox = svc!.health().details.outboxPending;
    expect(outbox).toBe(0);
    await svc!.stop();
    svc = await start();
    await svc.reports!.check();
    await new Promise((r) => setTimeout(r, 300));
    expect(robots.received.length).toBe(before.robots);
    expect(smtp.mails.length).toBe(before.mails);
    expect(dailies('wecom')).toHaveLength(1);
  }, 30_000);
});
