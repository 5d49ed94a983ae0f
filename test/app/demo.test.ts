// `npm run demo` as a newcomer meets it (the same entry point, with its own data dir and ports):
// it seeds the hall's last 30 days, serves live counters, fires alerts, and the printed one-time
// link signs the supervisor in to a board whose date, statistics pickers and 30 days of statistics
// agree with the simulated clock. The screenshots of the README are taken here.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../core/calendar/zone.ts';
import { freePort } from '../../runtime/ports.ts';
import { launchChromium } from '../board/chromium.ts';

const root = new URL('../../', import.meta.url).pathname;
const HALL = 'cz-main';

const daysBefore = (date: string, days: number) => addDays(date, -days);

describe('npm run demo', () => {
  let child: ChildProcess | undefined;
  let dataDir: string;
  let out = '';
  let board: string;
  let link: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hw-demo-'));
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'app/demo.ts',
        '--duration',
        '240',
        '--speed',
        '30',
        '--data-dir',
        dataDir,
        '--api-port',
        String(await freePort()),
        '--mqtt-port',
        String(await freePort()),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    child.stdout!.on('data', (b) => (out += b));
    child.stderr!.on('data', (b) => (out += b));
    exited = new Promise((r) => child!.once('exit', (code) => r(code)));
    board = await poll(
      'the board URL',
      async () => out.match(/看板 \/ board:\s+(http:\/\/\S+)\//)?.[1],
      120_000,
    );
    link = out.match(/(http:\/\/\S+\/#login=[\w-]+)/)![1]!;
  }, 130_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(board + path, { headers: { authorization: 'Bearer demo-supervisor' } });
    expect(r.status, path).toBe(200);
    return (await r.json()) as T;
  };

  it('seeds 30 days with a progress bar, serves the hall live and fires alerts', async () => {
    expect(out).toMatch(/模拟历史 \/ history \[█{30}\] 31\/31 天/);
    expect(out).toMatch(/31 天,\d+ 条设备消息,\d+ 个状态区间,\d+ 条告警,共 \d+ 个数据点,用时 [\d.]+ 秒/);
    const page = await fetch(`${board}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    expect(await get<unknown[]>(`/api/halls/${HALL}/counters`)).toHaveLength(24);

    const alert = await poll(
      'an alert',
      async () => {
        const alerts = await get<{ message: string }[]>(`/api/alerts?hall=${HALL}`);
        return alerts.length ? alerts[0] : undefined;
      },
      70_000,
    );
    expect(alert.message).toMatch(/[\u4e00-\u9fff]/);
    // Staff arrive as the simulated morning goes on: counters turn staffed.
    await poll(
      'a staffed counter',
      async () =>
        (await get<{ state: string }[]>(`/api/halls/${HALL}/counters`)).some((x) => x.state === 'staffed')
          ? true
          : undefined,
      60_000,
    );
  }, 150_000);

  it('the printed link signs the supervisor in once; board date, pickers and 30 days of statistics agree', async () => {
    const browser = await launchChromium({ width: 1920, height: 1080 });
    try {
      const page = await browser.context.newPage();
      await page.goto(link);
      await expect.poll(() => page.locator('#user').textContent(), { timeout: 15_000 }).toContain('大厅主任');
      expect(new URL(page.url()).hash).toBe(''); // the used code leaves the address bar
      const me = await page.evaluate(async () => {
        const r = await fetch('/api/me', {
          headers: { authorization: `Bearer ${localStorage.getItem('hallwatch.token')}` },
        });
        return (await r.json()) as { role: string; clock: { now: number } };
      });
      expect(me.role).toBe('supervisor');
      const simDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(me.clock.now);
      const boardDay = await page.locator('#clock-date').getAttribute('data-date');
      expect(boardDay).toBe(simDay);
      expect(await page.locator('#clock-date').textContent()).toContain(
        `${Number(simDay.slice(5, 7))}月${Number(simDay.slice(8))}日`,
      );

      // The link works once: a second browser gets the login form and says why.
      const other = await launchChromium();
      try {
        const p2 = await other.context.newPage();
        await p2.goto(link);
        await expect.poll(() => p2.locator('#login-error').textContent()).toContain('登录链接无效');
        expect(await p2.locator('#login').isVisible()).toBe(true);
      } finally {
        await other.close();
      }

      await waitForBusyHall(page);
      // Today's timeline runs up to now: the states holding now are there, not only closed intervals.
      const today = await get<{ date: string; intervals: { current?: boolean }[] }>(
        `/api/halls/${HALL}/history`,
      );
      expect(today.date).toBe(boardDay);
      expect(today.intervals.filter((i) => i.current).length).toBeGreaterThanOrEqual(16);
      mkdirSync(join(root, 'artifacts'), { recursive: true });
      await page.screenshot({ path: join(root, 'artifacts/demo-board.png') });

      const uptime = page.waitForResponse((r) => r.url().includes('/api/stats/uptime?'), { timeout: 30_000 });
      await page.click('#nav-stats');
      await page.waitForSelector('#view-stats:not([hidden])');
      expect(await page.inputValue('#timeline-date')).toBe(boardDay);
      expect(await page.inputValue('#stats-to')).toBe(daysBefore(boardDay!, 1));
      expect(await page.inputValue('#stats-from')).toBe(daysBefore(boardDay!, 30));
      const { rows } = (await (await uptime).json()) as {
        rows: { periodStart: number; scheduledSeconds: number; unknownSeconds: number }[];
      };
      const days = new Set(rows.map((r) => r.periodStart));
      expect(days.size).toBe(30);
      const scheduled = rows.reduce((s, r) => s + r.scheduledSeconds, 0);
      const unknown = rows.reduce((s, r) => s + r.unknownSeconds, 0);
      expect(scheduled).toBeGreaterThan(15 * 24 * 6 * 3600); // working days × counters × hours
      expect(unknown / scheduled).toBeLessThan(0.01);
      await expect
        .poll(() => page.locator('#stats-table tbody tr').count(), { timeout: 15_000 })
        .toBe(rows.length);
      // The README's picture: the 30 days, and yesterday's whole day on the timeline.
      const yesterday = page.waitForResponse((r) =>
        r.url().includes(`/history?date=${daysBefore(boardDay!, 1)}`),
      );
      await page.fill('#timeline-date', daysBefore(boardDay!, 1));
      await yesterday;
      await page.locator('#timeline-date').blur();
      await page.waitForFunction(() => document.querySelectorAll('#chart-timeline canvas').length > 0);
      await page.screenshot({ path: join(root, 'artifacts/demo-stats.png') });
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('stops cleanly', async () => {
    child!.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('已停止 / stopped');
  }, 30_000);
});

/** The morning under way: most counters staffed and some alert on the list. */
async function waitForBusyHall(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('.tile[data-state="staffed"]').count(), { timeout: 90_000 })
    .toBeGreaterThanOrEqual(16);
  await expect.poll(() => page.locator('#alert-list .alert').count(), { timeout: 60_000 }).toBeGreaterThan(0);
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`demo: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
