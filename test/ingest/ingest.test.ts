// The ingest against a real influxd 1.6 and a real broker: what lands in InfluxDB, duplicates,
// every bad-input class, and the graceful stop.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestIngest, tempDir, testConfig, useIngestStand, waitFor } from './helpers.ts';

const stand = useIngestStand();

type Row = Record<string, unknown>;
async function rows(db: string, q: string): Promise<Row[]> {
  const r = await stand.influx.query(q, db);
  const s = r.results[0]?.series ?? [];
  return s.flatMap((x) =>
    x.values.map((v) => ({ ...x.tags, ...Object.fromEntries(x.columns.map((c, i) => [c, v[i]])) })),
  );
}
const publish = (topic: string, payload: string | object, retain = false) =>
  stand.pub.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), {
    qos: 1,
    retain,
  });

/** An ingest into `database` of the test influxd, once the broker has granted its subscription. */
async function ingestInto(
  database: string,
  ingest: NonNullable<Parameters<typeof testConfig>[0]['ingest']> & { clientId: string },
  more: Partial<Parameters<typeof testConfig>[0]> = {},
) {
  const service = await startTestIngest(
    testConfig({
      dataDir: tempDir('hw-ingest-'),
      mqttUrl: stand.broker.url,
      influxUrl: stand.influx.url,
      database,
      ingest,
      ...more,
    }),
  );
  await stand.broker.subscribed(ingest.clientId);
  return service;
}

describe('ingest into influxd 1.6', () => {
  it('stores every contract topic as the documented points, with device time as point time', async () => {
    const db = 'points';
    const ingest = await ingestInto(db, { clientId: 'ingest-points' });
    try {
      const T = Date.now() - 60_000;
      await publish('hall/h1/counter/c00/seat/s1', { occupied: true, ts: T, seq: 1, fw: '2.3.1' });
      await publish('hall/h1/counter/c00/seat/s2', { occupied: false });
      await publish('hall/h1/counter/c00/sign', { sign: 'away', ts: T + 1, seq: 4 });
      await publish('hall/h1/counter/c00/badge', { staff: 'E1023', action: 'in', ts: T + 2 });
      await publish('hall/h1/counter/c00/equipment/pc', {
        status: 'fault',
        code: 'PAPER_OUT',
        detail: '缺纸 "tray 2"',
        ts: T + 3,
      });
      await publish('hall/h1/equipment/queue', { status: 'ok', ts: T + 4 });
      await publish('hall/h1/env/env1', { temperature: 21.5, co2: 800, ts: T + 5 });
      await publish('hall/h1/device/ctl1/status', 'online');
      await publish('hall/h1/counter/c00/state', { state: 'staffed', since: T + 6, staffOnPost: 1 }, true);
      await publish('hall/h1/counter/c00/interval', {
        hall: 'h1',
        counter: 'c00',
        state: 'away',
        start: T - 600_000,
        end: T - 300_000,
        localDate: '2026-11-25',
        sessionStart: T - 3_600_000,
        staff: 'E1023',
        role: 'a',
        earlyLeave: false,
      });
      await publish('hall/h1/counter/c00/late_arrival', {
        hall: 'h1',
        counter: 'c00',
        staff: 'E1023',
        sessionStart: T - 3_600_000,
        at: T - 2_400_000,
        lateSeconds: 1200,
      });
      const alert = {
        id: 'unattended-h1-c00-1',
        type: 'unattended',
        severity: 'critical',
        hall: 'h1',
        counter: 'c00',
        status: 'open',
        openedAt: T + 7,
        message: '1号窗口无人值守',
        details: {},
      };
      // Another counter late at the same instant: its own point, not merged into the first.
      const twin = {
        ...alert,
        id: 'unattended-h1-c01-1',
        counter: 'c01',
        details: { responsible: { staff: 'E2001', role: 'b' } },
      };
      await publish(`hall/h1/alerts/${alert.id}`, alert, true);
      await publish(`hall/h1/alerts/${twin.id}`, twin, true);
      await waitFor('alert points', async () => (await rows(db, 'SELECT * FROM alert')).length === 2);
      await publish(`hall/h1/alerts/${alert.id}`, '', true);
      await publish(`hall/h1/alerts/${twin.id}`, '', true);

      await waitFor('all points', async () => ingest.stats.written >= 15, 15_000);
      const seat = await rows(db, 'SELECT * FROM seat GROUP BY *');
      expect(seat).toContainEqual(
        expect.objectContaining({ hall: 'h1', counter: 'c00', seat: 's1', time: T, occupied: true, seq: 1 }),
      );
      const s2 = seat.find((r) => r.seat === 's2')!;
      expect(s2).toMatchObject({ occupied: false, ts_from_receive: true });
      expect(Math.abs((s2.time as number) - Date.now())).toBeLessThan(30_000);
      expect(await rows(db, 'SELECT * FROM sign GROUP BY *')).toEqual([
        expect.objectContaining({ hall: 'h1', counter: 'c00', time: T + 1, sign: 'away', seq: 4 }),
      ]);
      expect(await rows(db, 'SELECT * FROM badge GROUP BY *')).toEqual([
        expect.objectContaining({ counter: 'c00', time: T + 2, staff: 'E1023', action: 'in' }),
      ]);
      const equipment = await rows(db, 'SELECT * FROM equipment GROUP BY *');
      expect(equipment).toContainEqual(
        expect.objectContaining({
          counter: 'c00',
          equipment: 'pc',
          time: T + 3,
          status: 'fault',
          code: 'PAPER_OUT',
          detail: '缺纸 "tray 2"',
        }),
      );
      expect(equipment).toContainEqual(
        expect.objectContaining({ counter: '', equipment: 'queue', time: T + 4, status: 'ok' }),
      );
      expect(await rows(db, 'SELECT * FROM env GROUP BY *')).toEqual([
        expect.objectContaining({ sensor: 'env1', time: T + 5, temperature: 21.5, co2: 800 }),
      ]);
      expect(await rows(db, 'SELECT * FROM device_status GROUP BY *')).toEqual([
        expect.objectContaining({ device: 'ctl1', online: true, ts_from_receive: true }),
      ]);
      expect(await rows(db, 'SELECT * FROM counter_state GROUP BY *')).toEqual([
        expect.objectContaining({ counter: 'c00', time: T + 6, state: 'staffed', staff_on_post: 1 }),
      ]);
      expect(await rows(db, 'SELECT * FROM counter_interval GROUP BY *')).toEqual([
        expect.objectContaining({
          counter: 'c00',
          state: 'away',
          role: 'a',
          time: T - 600_000,
          duration_s: 300,
          start_ms: T - 600_000,
          end_ms: T - 300_000,
          staff: 'E1023',
          early_leave: false,
          local_date: '2026-11-25',
        }),
      ]);
      expect(await rows(db, 'SELECT * FROM late_arrival GROUP BY *')).toEqual([
        expect.objectContaining({
          counter: 'c00',
          staff: 'E1023',
          time: T - 2_400_000,
          late_s: 1200,
          session_start_ms: T - 3_600_000,
        }),
      ]);
      await waitFor(
        'alert resolved',
        async () => (await rows(db, 'SELECT * FROM alert'))[0]?.status === 'resolved',
      );
      const alerts = await rows(db, 'SELECT * FROM alert GROUP BY *');
      expect(alerts.map((r) => r.subject).sort()).toEqual(['c00', 'c01']);
      expect(alerts.find((r) => r.subject === 'c01')).toMatchObject({ id: twin.id, responsible: 'E2001' });
      const a = alerts.find((r) => r.subject === 'c00');
      expect(a).toMatchObject({
        hall: 'h1',
        type: 'unattended',
        severity: 'critical',
        id: alert.id,
        counter: 'c00',
        status: 'resolved',
        opened_at_ms: T + 7,
        time: T + 7,
      });
      expect(a!.resolved_at_ms).toBeGreaterThan(T);
    } finally {
      await ingest.stop();
      await publish('hall/h1/counter/c00/state', '', true); // clear the retained state for the next tests
    }
  });

  it('drops a repeated topic+seq+ts and counts it; a device restarting its seq loses nothing', async () => {
    const db = 'dups';
    const ingest = await ingestInto(db, { clientId: 'ingest-dups' });
    try {
      const T = Date.now() - 60_000;
      const topic = 'hall/h1/counter/c01/seat/s1';
      await publish(topic, { occupied: true, ts: T, seq: 41 });
      await publish(topic, { occupied: false, ts: T + 1000, seq: 42 });
      await publish(topic, { occupied: false, ts: T + 1000, seq: 42 }); // QoS 1 redelivery
      await publish(topic, { occupied: true, ts: T + 2000, seq: 1 }); // device restarted
      await waitFor('written', () => ingest.stats.written === 3 && ingest.stats.duplicates === 1);
      const r = await rows(db, 'SELECT occupied, seq FROM seat');
      expect(r.map((x) => [x.time, x.seq])).toEqual([
        [T, 41],
        [T + 1000, 42],
        [T + 2000, 1],
      ]);
      expect(ingest.health().details).toMatchObject({ received: 4, written: 3, duplicates: 1 });
    } finally {
      await ingest.stop();
    }
  });

  it('rejects each bad-input class with its reason, dead-letters it, and stores the good points of the same batch', async () => {
    const db = 'bad';
    const dataDir = tempDir('hw-ingest-');
    const ingest = await ingestInto(
      db,
      { clientId: 'ingest-bad', maxPayloadBytes: 256, batchSize: 1000, flushInterval: '300ms' },
      { dataDir },
    );
    try {
      const now = Date.now();
      // An earlier writer made the database and stored env.co2 as a string: our float is a field
      // type conflict in InfluxDB. (The ingest creates the database on its own schedule.)
      const created = await fetch(
        `${stand.influx.url}/query?q=${encodeURIComponent(`CREATE DATABASE "${db}"`)}`,
        {
          method: 'POST',
        },
      );
      expect(created.status).toBe(200);
      const conflict = await fetch(`${stand.influx.url}/write?db=${db}&precision=ms`, {
        method: 'POST',
        body: `env,hall=h1,sensor=env1 co2="high" ${now - 120_000}`,
      });
      expect(conflict.status).toBe(204);
      const good = (i: number) =>
        publish(`hall/h1/counter/c02/seat/s1`, { occupied: i % 2 === 0, ts: now - 50_000 + i, seq: i });
      const bad: [string, string | object][] = [
        ['hall/h1/counter/c02/seat/s1', '{"occupied": tru'], // not_json
        ['hall/h1/counter/c02/seat/s1', { occupied: 'yes', ts: now }], // invalid_field
        ['hall/h1/counter/c99/seat/s1', { occupied: true, ts: now }], // unknown_id (counter)
        ['hall/h1/env/env1', { temperature: 300, ts: now }], // out_of_range
        ['hall/h1/counter/c02/seat/s2', { occupied: true, ts: now + 3_600_000 }], // ts_future
        ['hall/h1/counter/c02/seat/s2', { occupied: true, ts: now - 30 * 86_400_000 }], // ts_past
        ['hall/h1/counter/c02/seat/s2', { occupied: true, padding: 'x'.repeat(400) }], // payload_too_large
        ['hall/H1!/counter/c02/seat/s1', { occupied: true }], // bad_topic
        ['hall/h1/env/env1', { co2: 800, ts: now - 40_000 }], // influx_rejected (type conflict)
      ];
      for (let i = 0; i < bad.length; i++) {
        await good(2 * i);
        await publish(...bad[i]!);
        await good(2 * i + 1);
      }
      await waitFor(
        'every message settled',
        () => ingest.stats.written + ingest.stats.rejectedTotal() >= 2 * bad.length + bad.length,
      );
      expect(ingest.stats.rejected).toEqual({
        not_json: 1,
        invalid_field: 1,
        unknown_id: 1,
        out_of_range: 1,
        ts_future: 1,
        ts_past: 1,
        payload_too_large: 1,
        bad_topic: 1,
        influx_rejected: 1,
      });
      const stored = await rows(db, 'SELECT occupied FROM seat');
      expect(stored).toHaveLength(2 * bad.length);
      const letters = readFileSync(join(dataDir, 'ingest', 'deadletter.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(letters.map((l) => l.reason).sort()).toEqual(Object.keys(ingest.stats.rejected).sort());
      expect(letters.find((l) => l.reason === 'not_json')).toMatchObject({
        topic: 'hall/h1/counter/c02/seat/s1',
        payload: '{"occupied": tru',
      });
      expect(letters.find((l) => l.reason === 'influx_rejected').line).toContain(
        'env,hall=h1,sensor=env1 co2=800',
      );
      expect(letters.find((l) => l.reason === 'influx_rejected').detail).toMatch(/field type conflict/);
    } finally {
      await ingest.stop();
    }
  });

  it('creates the database and retention policy when missing, and flushes on a graceful stop', async () => {
    const db = 'created';
    // a batch that would only be cut after a minute: stop() must write it
    const ingest = await ingestInto(
      db,
      { clientId: 'ingest-stop', flushInterval: '60s', batchSize: 5000 },
      { influx: { retentionPolicy: 'hw400', retentionDuration: '400d' } },
    );
    const T = Date.now() - 10_000;
    for (let i = 0; i < 50; i++)
      await publish('hall/h1/counter/c03/seat/s1', { occupied: true, ts: T + i, seq: i });
    await waitFor('received', () => ingest.stats.received === 50);
    expect(ingest.stats.written).toBe(0);
    await ingest.stop();
    const rp = await stand.influx.query(`SHOW RETENTION POLICIES ON "${db}"`);
    expect(rp.results[0]!.series![0]!.values.map((v) => [v[0], v[1]])).toContainEqual(['hw400', '9600h0m0s']);
    const r = await stand.influx.query('SELECT count(occupied) FROM hw400.seat', db);
    expect(r.results[0]!.series![0]!.values[0]![1]).toBe(50);
  });
});
