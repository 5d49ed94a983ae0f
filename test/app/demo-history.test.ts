// The demo's seeded past (app/demo-history.ts) in a real influxd: written once, kept on a restart
// with the same window, replaced (never doubled) when the seed changes, and the previous run's
// live points after the window are cleared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { seedDemoHistory } from '../../app/demo-history.ts';
import { createCalendar } from '../../core/calendar/index.ts';
import type { Config } from '../../core/config/schema.ts';
import { createInfluxClient, type InfluxClient, rowsOf } from '../../reports/influx.ts';
import { startTestInfluxd } from '../helpers/influxd.ts';

describe('the demo history seed', () => {
  let influxd: Awaited<ReturnType<typeof startTestInfluxd>>;
  let db: InfluxClient;
  let config: Config;
  const calendar = () => createCalendar(config, { onWarning: () => {} });

  beforeAll(async () => {
    influxd = await startTestInfluxd();
    config = {
      ...loadConfig('config/hallwatch.example.yaml'),
      influx: { url: influxd.url, api: 'v1', database: 'hallwatch' },
    };
    db = createInfluxClient({ url: influxd.url, database: 'hallwatch' });
  }, 60_000);
  afterAll(async () => {
    await influxd?.cleanup();
  });

  const count = async (measurement: string, field: string) => {
    const [s] = await db.query([`SELECT count(${field}) FROM ${measurement} WHERE hall = 'cz-main'`]);
    return Number(rowsOf(s ?? [])[0]?.count ?? 0);
  };

  it('seeds once, keeps it on a restart, replaces it for another seed', async () => {
    const cal = calendar();
    const from = cal.startOfDay('2026-03-09');
    const to = cal.startOfDay('2026-03-11') + (8 * 60 + 44) * 60_000;
    const progress: string[] = [];
    const first = await seedDemoHistory({
      config,
      calendar: cal,
      db,
      seed: 7,
      from,
      to,
      onProgress: (done, total, date) => progress.push(`${done}/${total} ${date}`),
    });
    expect(first).toMatchObject({ reused: false, days: 3 });
    expect(progress).toEqual(['1/3 2026-03-09', '2/3 2026-03-10', '3/3 2026-03-11']);
    expect(await count('counter_interval', 'duration_s')).toBe(first.intervals);
    const seats = await count('seat', 'occupied');
    expect(seats).toBeGreaterThan(500);

    // A previous live run wrote after the window: a restart keeps the past and clears that.
    await db.write([`seat,counter=w01,hall=cz-main,seat=s1 occupied=true ${to + 60_000}`]);
    const again = await seedDemoHistory({ config, calendar: cal, db, seed: 7, from, to });
    expect(again.reused).toBe(true);
    expect(await count('seat', 'occupied')).toBe(seats);
    expect(await count('counter_interval', 'duration_s')).toBe(first.intervals);

    const other = await seedDemoHistory({ config, calendar: cal, db, seed: 8, from, to });
    expect(other.reused).toBe(false);
    expect(await count('counter_interval', 'duration_s')).toBe(other.intervals);
    expect(await count('alert', 'opened_at_ms')).toBeLessThanOrEqual(other.alerts);
  }, 120_000);
});
