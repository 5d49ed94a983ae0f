// The example hall (24 counters) live on the board and a week of its statistics, rendered in
// Chromium and saved to artifacts/ (the README's docs/board.png and docs/stats.png come from the
// demo instead: test/app/demo.test.ts).
// Real broker, alerts service, influxd and reports; the device messages set up a typical moment.
import { mkdirSync, readFileSync } from 'node:fs';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { createCalendar } from '../../core/calendar/index.ts';
import type { Config } from '../../core/config/schema.ts';
import { createReports, type Reports } from '../../reports/index.ts';
import { startTestInfluxd } from '../helpers/influxd.ts';
import { launchChromium } from './chromium.ts';
import { type LiveHall, startLiveHall } from './hall-fixture.ts';
import { hallHistory } from './hall-history.ts';

const WEEK = ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'];
const H = 'hall/cz-main';

/** The example hall, open around the clock, without heartbeats, on free ports. */
function exampleHall(influxUrl: string) {
  const ex = loadConfig('config/hallwatch.example.yaml');
  return (dataDir: string): Config => ({
    ...ex,
    dataDir,
    mqtt: {
      ...ex.mqtt,
      listen: { host: '127.0.0.1', port: 0 },
      allowAnonymous: true,
      users: [],
      limits: { ...ex.mqtt.limits, maxMessagesPerSecond: 5_000 },
    },
    api: { ...ex.api!, listen: { host: '127.0.0.1', port: 0 } },
    influx: { url: influxUrl, api: 'v1', database: 'hallwatch' },
    notifications: { ...ex.notifications!, routes: [] },
    rules: { ...ex.rules, unsignedGrace: 2_000, readinessLead: 0, faultGrace: 0 },
    halls: ex.halls.map((h) => ({
      ...h,
      calendar: 'none' as const,
      sessions: { 'mon-sun': ['00:00-24:00'] },
      overrides: [],
      devices: [],
      sensors: h.sensors.map(({ heartbeat: _h, ...s }) => s),
      equipment: h.equipment.map(({ heartbeat: _h, ...e }) => e),
      counters: h.counters.map(({ heartbeat: _h, extraSessions: _x, ...c }) =>
        c.id === 'w24' ? { ...c, sessions: { sun: ['09:00-09:01'] } } : c,
      ),
    })),
  });
}

describe('screenshots of the board and the statistics page', () => {
  let influxd: Awaited<ReturnType<typeof startTestInfluxd>>;
  let reports: Reports;
  let hall: LiveHall;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  beforeAll(async () => {
    mkdirSync('artifacts', { recursive: true });
    influxd = await startTestInfluxd();
    await influxd.query('CREATE DATABASE hallwatch');
    const build = exampleHall(influxd.url);
    // Statistics use the example hall's real timetable (09:00–12:00, 13:30–17:00 on working days).
    const example: Config = {
      ...loadConfig('config/hallwatch.example.yaml'),
      influx: { url: influxd.url, api: 'v1', database: 'hallwatch' },
    };
    const history = hallHistory(example, WEEK);
    await fetch(`${influxd.url}/write?db=hallwatch&precision=ms`, {
      method: 'POST',
      body: history.lines.join('\n'),
    });
    reports = createReports({
      config: example,
      calendar: createCalendar(example, { onWarning: () => {} }),
      logger: pino({ level: 'silent' }),
    });
    hall = await startLiveHall({ config: build, reports });
    browser = await launchChromium({ width: 1920, height: 1080 });
    page = await browser.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hall?.close();
    await reports?.close();
    await influxd?.cleanup();
  });

  it('the board of a typical moment', async () => {
    await hall.publish(`${H}/counter/w07/sign`, { sign: 'away' });
    await hall.publish(`${H}/counter/w07/seat/s1`, { occupied: false });
    await hall.publish(`${H}/counter/w11/seat/s1`, { occupied: false });
    await hall.publish(`${H}/counter/w15/sign`, { sign: 'paused' });
    await hall.publish(`${H}/counter/w04/seat/s2`, { occupied: false });
    await hall.publish(`${H}/counter/w03/equipment/printer`, { status: 'fault', code: 'PAPER_OUT' });
    await hall.publish(`${H}/equipment/display2`, { status: 'fault', code: 'NO_SIGNAL' });
    await hall.device.publishAsync(`${H}/device/ctl-w20/status`, 'offline', { qos: 1, retain: true });
    await hall.env('env1', { lux: 430, temperature: 23.5, humidity: 48, co2: 720, noise: 52 });
    await hall.env('env2', { lux: 260, temperature: 24.1, humidity: 51, co2: 1180, noise: 55 });
    await hall.env('env3', { lux: 380, temperature: 23.8, humidity: 50, co2: 860, noise: 58 });

    await page.goto(hall.boardUrl);
    await page.fill('#token', 'demo-supervisor');
    await page.click('#login-form button[type=submit]');
    await expect
      .poll(() => page.locator('#alert-list .alert').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
    // the facility engineer has already acknowledged the printer
    const printer = (
      await (
        await fetch(`${hall.api.url}/api/alerts?hall=cz-main&type=equipment_fault&status=open`, {
          headers: { authorization: 'Bearer demo-facility' },
        })
      ).json()
    ).find((a: { counter?: string }) => a.counter === 'w03');
    await fetch(`${hall.api.url}/api/alerts/${printer.id}/ack`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-facility', 'content-type': 'application/json' },
      body: JSON.stringify({ note: '已张贴故障警示牌,维修人员30分钟内到场' }),
    });
    await expect.poll(() => page.locator('#alert-list .alert[data-status="acknowledged"]').count()).toBe(1);
    expect(await page.locator('.tile[data-counter="w07"]').getAttribute('data-state')).toBe('away');
    expect(await page.locator('.tile[data-counter="w11"]').getAttribute('data-state')).toBe('unattended');
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: 'artifacts/board-hall.png' });
  });

  it('the statistics page of a week', async () => {
    await page.goto(`${hall.boardUrl}#stats`);
    await page.waitForSelector('#view-stats:not([hidden])');
    await page.fill('#stats-from', WEEK[0]!);
    await page.fill('#stats-to', WEEK.at(-1)!);
    await page.fill('#timeline-date', '2026-03-10');
    await page.click('#stats-form button[type=submit]');
    await expect.poll(() => page.locator('#stats-table tbody tr').count(), { timeout: 15_000 }).toBe(24 * 5);
    // Rules v2 figures (R21, R23, R29, R28) are columns of the table, filled from the API rows.
    const heads = await page.locator('#stats-table thead th').allTextContents();
    const v2 = [
      '超时暂停服务时长(分)',
      '人员不足时长(分)',
      '个人迟到次数',
      '受影响等候人次',
      '已撤销缺位次数',
    ];
    expect(heads).toEqual(expect.arrayContaining(v2));
    const firstRow = await page.locator('#stats-table tbody tr').first().locator('td').allTextContents();
    for (const h of v2) expect(firstRow[heads.indexOf(h)], h).toMatch(/^\d+(\.\d)?$/);
    await page.waitForTimeout(800);
    await page.screenshot({ path: 'artifacts/stats.png' });
    await page.setViewportSize({ width: 1920, height: 1500 });
    await page.screenshot({ path: 'artifacts/stats-full.png' });
    // the CSV button downloads the same figures through the API (format=csv)
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#stats-csv')]);
    expect(download.suggestedFilename()).toBe('在岗统计-2026-03-09.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.trim().split('\n')).toHaveLength(1 + 24 * 5);
  });

  it('facility staff get the equipment availability table instead of the uptime figures', async () => {
    const p2 = await browser.context.newPage();
    await p2.goto(hall.boardUrl);
    await p2.evaluate(() => localStorage.setItem('hallwatch.token', 'demo-facility'));
    await p2.goto(`${hall.boardUrl}#stats`);
    await p2.reload();
    await p2.waitForSelector('#view-stats:not([hidden])');
    await p2.fill('#stats-from', WEEK[0]!);
    await p2.fill('#stats-to', WEEK.at(-1)!);
    await p2.click('#stats-form button[type=submit]');
    const rows = p2.locator('#equipment-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(24);
    expect(await p2.locator('#chart-uptime').isVisible()).toBe(false);
    expect(await p2.locator('#stats-error').textContent()).toBe('');
    expect(await p2.locator('#equipment-table thead').textContent()).toContain('完好率');
    await p2.screenshot({ path: 'artifacts/stats-equipment.png', fullPage: true });
    await p2.close();
  });
});
