// The statistics routes against the real reports module and a real influxd holding two engine-run
// days of the example hall: JSON, CSV (BOM, Chinese headers), day history, roles.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, buildApi } from '../../api/index.ts';
import { loadConfig } from '../../app/config.ts';
import { createCalendar } from '../../core/calendar/index.ts';
import type { Config } from '../../core/config/schema.ts';
import { createReports, type Reports } from '../../reports/index.ts';
import { hallHistory } from '../board/hall-history.ts';
import { startTestInfluxd } from '../helpers/influxd.ts';
import { type LiveAlerts, startLiveAlerts } from './live-alerts.ts';

const DAYS = ['2026-03-09', '2026-03-10'];
const demo = (role: string) => ({ authorization: `Bearer demo-${role}` });

describe('statistics routes on InfluxDB', () => {
  let influxd: Awaited<ReturnType<typeof startTestInfluxd>>;
  let reports: Reports;
  let app: Api;
  let config: Config;
  let live: LiveAlerts;

  beforeAll(async () => {
    influxd = await startTestInfluxd();
    await influxd.query('CREATE DATABASE hallwatch');
    const example = loadConfig('config/hallwatch.example.yaml');
    config = { ...example, influx: { url: influxd.url, api: 'v1', database: 'hallwatch' } };
    const history = hallHistory(config, DAYS);
    const res = await fetch(`${influxd.url}/write?db=hallwatch&precision=ms`, {
      method: 'POST',
      body: history.lines.join('\n'),
    });
    expect(res.status).toBe(204);
    reports = createReports({
      config,
      calendar: createCalendar(config, { onWarning: () => {} }),
      logger: pino({ level: 'silent' }),
    });
    live = await startLiveAlerts(config);
    app = await buildApi({
      config,
      alerts: live.service,
      reports,
      logger: pino({ level: 'silent' }),
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await live?.close();
    await reports?.close();
    await influxd?.cleanup();
  });

  const get = (url: string, role: string) => app.inject({ method: 'GET', url, headers: demo(role) });

  it('uptime per counter and day: the parts add up to the scheduled time', async () => {
    const res = await get('/api/stats/uptime?hall=cz-main&from=2026-03-09&to=2026-03-11&by=day', 'assessor');
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows;
    expect(rows).toHaveLength(24 * 2);
    for (const r of rows) {
      expect(r.scheduledSeconds).toBe(23_400);
      expect(r.unknownSeconds).toBeLessThan(600); // only before the first message of the run
      expect(
        r.staffedSeconds + r.awaySeconds + r.pausedSeconds + r.unattendedSeconds + r.unknownSeconds,
      ).toBe(r.scheduledSeconds);
    }
    expect(rows.some((r: { awaySeconds: number }) => r.awaySeconds > 0)).toBe(true);
  });

  it('one counter by month for a supervisor', async () => {
    const res = await get(
      '/api/stats/uptime?hall=cz-main&counter=w07&from=2026-03-01&to=2026-04-01&by=month',
      'supervisor',
    );
    expect(res.statusCode, res.body).toBe(200);
    // 22 working days in March 2026; the 20 days without data count as unknown, not as absence
    expect(res.json().rows).toMatchObject([
      { counter: 'w07', period: '2026-03', scheduledSeconds: 22 * 23_400, unknownSeconds: 20 * 23_400 },
    ]);
  });

  it('format=csv gives UTF-8 CSV with a BOM and Chinese headers, as a download', async () => {
    const res = await get(
      '/api/stats/uptime?hall=cz-main&from=2026-03-09&to=2026-03-10&format=csv',
      'assessor',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(
      'attachment; filename="uptime-cz-main-2026-03-09.csv"',
    );
    expect(res.body.charCodeAt(0)).toBe(0xfeff);
    expect(res.body.split('\n')[0]).toMatch(/窗口/);
    expect(res.body.trim().split('\n')).toHaveLength(1 + 24);
  });

  it('equipment statistics for facility staff', async () => {
    const res = await get('/api/stats/equipment?hall=cz-main&from=2026-03-09&to=2026-03-11', 'facility');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows.map((r: { equipment: string }) => r.equipment)).toContain('queue');
  });

  it("a counter's day history: intervals from the first arrival to closing", async () => {
    const res = await get('/api/halls/cz-main/counters/w07/history?date=2026-03-09', 'assessor');
    expect(res.statusCode, res.body).toBe(200);
    const day = res.json();
    expect(day.from).toBe(Date.parse('2026-03-08T16:00:00Z'));
    const seconds = day.intervals.reduce(
      (s: number, i: { start: number; end: number }) => s + (i.end - i.start),
      0,
    );
    expect(seconds / 1000).toBe(23_400);
    const all = await get('/api/halls/cz-main/history?date=2026-03-09', 'assessor');
    expect(new Set(all.json().intervals.map((i: { counter: string }) => i.counter)).size).toBe(24);
  });

  it('the workbook downloads as xlsx', async () => {
    const res = await get('/api/stats/workbook.xlsx?hall=cz-main&from=2026-03-09&to=2026-03-10', 'assessor');
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
