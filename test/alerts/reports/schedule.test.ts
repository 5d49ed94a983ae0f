// When the 日报 and 月报 fall due, and what the schedule does with them: a fake clock to the second,
// an in-memory alert store, the reports functions stubbed (the integration test reads real ones).
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../alerts/notify/types.ts';
import { dueReports, ReportScheduler } from '../../../alerts/reports/index.ts';
import { type AlertStore, openStore } from '../../../alerts/store/index.ts';
import { FakeClock } from '../../../core/clock.ts';
import { at } from '../../core/stats/fixtures.ts';
import { silentLogger } from '../helpers.ts';
import { calendarOf, reportsConfig, stubReports } from './fixtures.ts';

const config = reportsConfig();
const calendar = calendarOf(config);
const keys = (t: number, since = 0) => dueReports(config, calendar, t, since).map((d) => d.key);

function scheduler(clock: FakeClock, store: AlertStore = openStore(':memory:'), cfg = config) {
  const reports = stubReports();
  const kicked: string[][] = [];
  const s = new ReportScheduler({
    config: cfg,
    calendar: calendarOf(cfg),
    store,
    reports,
    now: () => clock.now(),
    logger: silentLogger(),
    hasChannel: (id) => cfg.notifications.channels.some((c) => c.id === id),
    kick: (ids) => kicked.push(ids),
  });
  const rows = () =>
    (store as unknown as { outbox: { head(c: string, n: number): { key: string; payload: Notification }[] } })
      .outbox;
  return { s, store, reports, kicked, pending: (ch: string) => rows().head(ch, 100) };
}

describe('日报 schedule', () => {
  it('falls due 30 min after the last session of the day, to the second', () => {
    // Monday 2026-03-09: the last session ends at 17:00.
    const since = at('2026-03-09', '00:00:00');
    expect(keys(at('2026-03-09', '17:29:59'), since)).toEqual([]);
    expect(dueReports(config, calendar, at('2026-03-09', '17:30:00'), since)).toEqual([
      {
        kind: 'daily',
        hall: 'cz-main',
        period: '2026-03-09',
        key: 'report:daily:cz-main:2026-03-09',
        dueAt: at('2026-03-09', '17:30:00'),
        from: at('2026-03-09', '00:00:00'),
        to: at('2026-03-10', '00:00:00'),
      },
    ]);
  });

  it('a Saturday served by one counter only gets its 日报 after that counter’s session (12:00 + 30 min)', () => {
    expect(keys(at('2026-03-14', '12:29:59'), at('2026-03-14', '00:00:00'))).toEqual([]);
    expect(keys(at('2026-03-14', '12:30:00'), at('2026-03-14', '00:00:00'))).toEqual([
      'report:daily:cz-main:2026-03-14',
    ]);
  });

  it('skips closed days: the 清明 holiday (Saturday to Monday) and a Sunday get none, the Friday before does', () => {
    const since = at('2026-04-03', '08:00:00');
    expect(keys(at('2026-04-06', '17:29:59'), since)).toEqual(['report:daily:cz-main:2026-04-03']);
    expect(keys(at('2026-03-15', '23:59:59'), at('2026-03-15', '00:00:00'))).toEqual([]);
  });

  it('nothing from before the schedule first ran, nothing older than lateWithin (3 days)', () => {
    expect(keys(at('2026-03-09', '20:00:00'), at('2026-03-09', '18:00:00'))).toEqual([]);
    // Down from Monday 16:00 to Friday 18:00: Monday's and Tuesday's (17:30) are older than 3 days.
    expect(keys(at('2026-03-13', '18:00:00'), at('2026-03-09', '08:00:00'))).toEqual([
      'report:daily:cz-main:2026-03-11',
      'report:daily:cz-main:2026-03-12',
      'report:daily:cz-main:2026-03-13',
    ]);
  });
});

describe('月报 schedule', () => {
  it('on the first working day of the month at 09:00: 2026-05-06 after the 劳动节 days, covering April', () => {
    const since = at('2026-04-30', '18:00:00');
    expect(keys(at('2026-05-06', '08:59:59'), since).filter((k) => k.includes('monthly'))).toEqual([]);
    const due = dueReports(config, calendar, at('2026-05-06', '09:00:00'), since).filter(
      (d) => d.kind === 'monthly',
    );
    expect(due).toEqual([
      {
        kind: 'monthly',
        hall: 'cz-main',
        period: '2026-04',
        key: 'report:monthly:cz-main:2026-04',
        dueAt: at('2026-05-06', '09:00:00'),
        from: at('2026-04-01', '00:00:00'),
        to: at('2026-05-01', '00:00:00'),
      },
    ]);
  });

  it('a month starting on a Saturday: not the Saturday one counter serves, Monday 2026-08-03', () => {
    const since = at('2026-07-31', '18:00:00');
    expect(keys(at('2026-08-01', '09:00:00'), since).filter((k) => k.includes('monthly'))).toEqual([]);
    const due = dueReports(config, calendar, at('2026-08-03', '09:00:00'), since).filter(
      (d) => d.kind === 'monthly',
    );
    expect(due.map((d) => [d.key, d.dueAt])).toEqual([
      ['report:monthly:cz-main:2026-07', at('2026-08-03', '09:00:00')],
    ]);
  });

  it('time and switch come from the config', () => {
    const c = reportsConfig({ reports: { monthly: { at: '08:15' }, daily: { enabled: false } } });
    const cal = calendarOf(c);
    const since = at('2026-04-30', '18:00:00');
    expect(dueReports(c, cal, at('2026-05-06', '08:14:59'), since)).toEqual([]);
    expect(dueReports(c, cal, at('2026-05-06', '08:15:00'), since).map((d) => d.key)).toEqual([
      'report:monthly:cz-main:2026-04',
    ]);
  });
});

describe('ReportScheduler', () => {
  it('queues the 日报 once per supervisor channel with the reports’ numbers, and never twice', async () => {
    const clock = new FakeClock(at('2026-03-09', '08:00:00'));
    const x = scheduler(clock);
    expect(await x.s.check()).toEqual([]);
    clock.set(at('2026-03-09', '17:30:00'));
    expect(await x.s.check()).toEqual(['report:daily:cz-main:2026-03-09']);
    // The supervisor route's channel only: not the facility route's, not e-mail.
    const [row, ...rest] = x.pending('ops');
    expect(rest).toEqual([]);
    expect(x.pending('alarm')).toEqual([]);
    expect(x.pending('mail')).toEqual([]);
    expect(row!.key).toBe('report:daily:cz-main:2026-03-09:ops');
    const n = row!.payload;
    expect(n.kind).toBe('report');
    expect(n.title).toBe('【日报】常州市政务服务中心 2026-03-09（周一）');
    expect(n.lines).toContain('缺位次数：2');
    expect(n.lines).toContain('迟到开窗次数：1');
    expect(n.lines).toContain('暂停服务时长：30分钟');
    expect(n.lines).toContain('传感器覆盖率：99.0%');
    expect(n.mentions.names).toEqual(['王主管(值班主管)']);
    expect(x.kicked).toEqual([['ops']]);
    // Every number came from the reports functions for that local day.
    const day = { hall: 'cz-main', from: at('2026-03-09', '00:00:00'), to: at('2026-03-10', '00:00:00') };
    expect(x.reports.calls.map((c) => c.fn).sort()).toEqual(['equipment', 'noAbsence', 'uptime', 'uptime']);
    for (const c of x.reports.calls) expect(c.q).toMatchObject(day);
    // Later checks the same day, and a restart on the same store, queue nothing more.
    clock.set(at('2026-03-09', '23:00:00'));
    expect(await x.s.check()).toEqual([]);
    const again = scheduler(clock, x.store);
    expect(await again.s.check()).toEqual([]);
    expect(again.reports.calls).toEqual([]);
    expect(x.pending('ops')).toHaveLength(1);
  });

  it('two checks racing at the due time queue it once', async () => {
    const clock = new FakeClock(at('2026-03-09', '08:00:00'));
    const x = scheduler(clock);
    await x.s.check();
    clock.set(at('2026-03-09', '17:30:00'));
    // The second joins the first check in flight instead of starting its own.
    const [a, b] = await Promise.all([x.s.check(), x.s.check()]);
    expect(a).toEqual(['report:daily:cz-main:2026-03-09']);
    expect(b).toBe(a);
    expect(x.pending('ops')).toHaveLength(1);
  });

  it('sends late after a restart: down at the due time, queued at the next start with a 补发 line', async () => {
    const clock = new FakeClock(at('2026-03-09', '08:00:00'));
    const store = openStore(':memory:');
    await scheduler(clock, store).s.check();
    // The service stops at 16:00 and comes back Tuesday 08:10.
    clock.set(at('2026-03-10', '08:10:00'));
    const x = scheduler(clock, store);
    expect(await x.s.check()).toEqual(['report:daily:cz-main:2026-03-09']);
    const n = x.pending('ops')[0]!.payload;
    expect(n.createdAt).toBe(at('2026-03-10', '08:10:00'));
    expect(n.lines.at(-1)).toBe('补发：原定 2026-03-09 17:30 发送（服务当时未运行）');
  });

  it('a day a closure emptied (no scheduled seconds) is skipped and recorded, not retried', async () => {
    const clock = new FakeClock(at('2026-03-09', '08:00:00'));
    const x = scheduler(clock);
    await x.s.check();
    x.reports.hall = { scheduledSeconds: 0 };
    clock.set(at('2026-03-09', '17:30:00'));
    expect(await x.s.check()).toEqual([]);
    expect(x.pending('ops')).toEqual([]);
    expect(x.store.reportRuns.get('report:daily:cz-main:2026-03-09')).toMatchObject({
      outcome: 'skipped',
      note: 'closed',
    });
    const calls = x.reports.calls.length;
    clock.set(at('2026-03-09', '17:31:00'));
    await x.s.check();
    expect(x.reports.calls.length).toBe(calls);
    expect(x.s.health.skipped).toBe(1);
  });

  it('InfluxDB down at the due time: nothing recorded, queued at the next check once it answers', async () => {
    const clock = new FakeClock(at('2026-03-09', '08:00:00'));
    const x = scheduler(clock);
    await x.s.check();
    x.reports.failWith = new Error('connect ECONNREFUSED');
    clock.set(at('2026-03-09', '17:30:00'));
    expect(await x.s.check()).toEqual([]);
    expect(x.s.health.lastError).toContain('ECONNREFUSED');
    delete x.reports.failWith;
    clock.set(at('2026-03-09', '17:31:00'));
    expect(await x.s.check()).toEqual(['report:daily:cz-main:2026-03-09']);
    expect(x.s.health.lastError).toBeUndefined();
    // A minute late while running is no 补发: the service was up at the due time.
    expect(x.pending('ops')[0]!.payload.lines.some((l) => l.startsWith('补发'))).toBe(false);
  });

  it('the 月报 goes to the e-mail channel naming the assessors, the workbook attached', async () => {
    const clock = new FakeClock(at('2026-04-30', '18:00:00'));
    const x = scheduler(clock);
    await x.s.check();
    clock.set(at('2026-05-06', '09:00:00'));
    expect(await x.s.check()).toEqual(['report:monthly:cz-main:2026-04']);
    const n = x.pending('mail')[0]!.payload;
    expect(n.title).toBe('【月报】常州市政务服务中心 2026年04月 考核统计');
    expect(n.lines[0]).toBe('统计区间：2026-04-01 至 2026-04-30');
    expect(n.mentions.emails).toEqual(['chen@example.gov.cn']);
    expect(n.attachments).toEqual([
      {
        filename: 'hallwatch-cz-main-2026-04.xlsx',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        contentBase64: Buffer.from('PK fake workbook').toString('base64'),
      },
    ]);
    expect(x.reports.calls.find((c) => c.fn === 'xlsx')!.q).toEqual({
      hall: 'cz-main',
      from: at('2026-04-01', '00:00:00'),
      to: at('2026-05-01', '00:00:00'),
      by: 'month',
    });
    expect(x.pending('ops').filter((r) => r.key.includes('monthly'))).toEqual([]);
  });

  it('a 月报 also sent to a robot names the workbook instead of carrying it', async () => {
    const cfg = reportsConfig({
      reports: { monthly: { channels: ['mail', 'ops'] }, daily: { enabled: false } },
    });
    const clock = new FakeClock(at('2026-04-30', '18:00:00'));
    const x = scheduler(clock, openStore(':memory:'), cfg);
    await x.s.check();
    clock.set(at('2026-05-06', '09:00:00'));
    await x.s.check();
    const robot = x.pending('ops')[0]!.payload;
    expect(robot.attachments).toBeUndefined();
    expect(robot.lines.at(-1)).toBe('考核表：hallwatch-cz-main-2026-04.xlsx 已随邮件发送给考核人员');
    expect(x.pending('mail')[0]!.payload.attachments).toHaveLength(1);
  });

  it('configured channels and recipients replace the defaults', async () => {
    const cfg = reportsConfig({
      reports: { daily: { channels: ['alarm', 'mail'], recipients: ['kao'], content: ['openFaults'] } },
    });
    const clock = new FakeClock(at('2026-03-09', '08:00:00'));
    const x = scheduler(clock, openStore(':memory:'), cfg);
    await x.s.check();
    clock.set(at('2026-03-09', '17:30:00'));
    await x.s.check();
    expect(x.pending('ops')).toEqual([]);
    const n = x.pending('alarm')[0]!.payload;
    expect(x.pending('mail')).toHaveLength(1);
    expect(n.mentions.names).toEqual(['陈考核(考核人员)']);
    expect(n.lines.slice(1)).toEqual(['未修复设备故障：0']);
  });
});
