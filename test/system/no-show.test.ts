// S23 (DOMAIN §2b, R22) through the product as `npm start` wires it: w07 stays empty with no sign
// when its 09:00 session starts; the real alerts service, fed over MQTT, opens late_opening at
// 09:00:00 and, noShowLimit later, the unattended alert (not_opened) charged to the rostered A; the
// supervisor reads both from the API and the assessor's InfluxDB holds their points.
//
// The installation runs on a clock set to the DOMAIN's Monday 2026-03-09 08:59:50 (Asia/Shanghai),
// as `npm run demo` runs on a ScaledClock: held there while the services start, then running at
// wall-clock speed, so the session start comes 10 s later whatever the machine's load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../core/clock.ts';
import { type System, startSystem, until } from '../helpers/system.ts';

const T = Date.parse('2026-03-09T09:00:00+08:00');

/** Stands at `start` until `run()`, then moves with the wall clock. */
class HeldClock implements Clock {
  private runningSince: number | undefined;
  constructor(private readonly start: number) {}
  now(): number {
    return this.runningSince === undefined ? this.start : this.start + Date.now() - this.runningSince;
  }
  run(): void {
    this.runningSince = Date.now();
  }
}

describe('S23 no-show through the product', () => {
  let sys: System;
  const clock = new HeldClock(T - 10_000);

  beforeAll(async () => {
    sys = await startSystem({
      clock,
      // R22 in seconds: the unattended alert 5 s after the session start.
      rules: { noShowLimit: '5s', openingGrace: '0s' },
      hall: {
        id: 'cz-main',
        name: '政务服务中心',
        // No holiday data needed for a fixed Monday; `cn` would warn about 2027 on the real date.
        calendar: 'none',
        sessions: { 'mon-fri': ['09:00-12:00', '13:30-17:00'] },
        counters: [
          {
            id: 'w07',
            name: '7号窗口 不动产登记',
            controller: 'ctl-w07',
            seats: ['s1'],
            roster: { a: 'E1023', b: 'E2051' },
          },
        ],
      },
    });
  }, 90_000);

  afterAll(async () => {
    await sys?.stop();
  });

  const alerts = async (query: string) =>
    (await sys.api(`/api/alerts?hall=cz-main&counter=w07&${query}`)) as {
      id: string;
      type: string;
      severity: string;
      status: string;
      openedAt: number;
      message: string;
      details: Record<string, unknown>;
    }[];

  it('opens late_opening at the session start and unattended (not_opened, roster) noShowLimit later; API and InfluxDB', async () => {
    // The controller reports what the counter is: seat empty, no sign.
    await sys.publish('seat/s1', { occupied: false });
    await sys.publish('sign', { sign: 'none' });
    await until('w07 seen empty before the session', async () => {
      const body = await sys.api('/api/halls/cz-main/counters');
      const w07 = (body.counters ?? body).find((c: { counter: string }) => c.counter === 'w07');
      return w07 && w07.state !== 'staffed' ? w07 : undefined;
    });
    expect(await alerts('type=late_opening')).toEqual([]);
    clock.run();

    const late = await until('late_opening', async () => (await alerts('type=late_opening'))[0], 40_000);
    expect(late).toMatchObject({ type: 'late_opening', status: 'open', openedAt: T });
    const unattended = await until(
      'unattended (not_opened)',
      async () => (await alerts('type=unattended'))[0],
      40_000,
    );
    expect(unattended).toMatchObject({
      type: 'unattended',
      severity: 'critical',
      status: 'open',
      openedAt: T + 5_000,
      details: {
        reason: 'not_opened',
        absenceStartedAt: T,
        responsible: { staff: 'E1023', basis: 'roster' },
      },
    });
    expect(unattended.message).toContain('7号窗口');
    expect(unattended.message).toContain('09:00');
    // The readiness warning gave way to the late opening at 09:00:00 (S23).
    const [notReady] = await alerts('type=not_ready&status=resolved');
    expect(notReady).toMatchObject({ resolvedAt: T, details: expect.anything() });
    expect(JSON.stringify(notReady)).toContain('superseded');

    // The ingest stored both alerts at their opening instants, the interruption charged to E1023.
    const points = await until(
      'late_opening and unattended points in InfluxDB',
      async () => {
        const q = await sys.influx.query(
          `SELECT "id", "opened_at_ms", "responsible", "status" FROM "alert" WHERE "type" = 'late_opening' OR "type" = 'unattended' GROUP BY "type"`,
          'hallwatch',
        );
        const series = q.results[0]?.series ?? [];
        return series.length === 2 ? series : undefined;
      },
      20_000,
    );
    const byType = Object.fromEntries(
      points.map((s) => [s.tags?.type, Object.fromEntries(s.columns.map((c, i) => [c, s.values[0]?.[i]]))]),
    );
    expect(byType.late_opening).toMatchObject({ id: late.id, opened_at_ms: T });
    expect(byType.unattended).toMatchObject({
      id: unattended.id,
      opened_at_ms: T + 5_000,
      responsible: 'E1023',
    });
  }, 90_000);
});
