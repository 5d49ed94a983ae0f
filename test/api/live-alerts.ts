// The real alerts service behind the API tests: an aedes broker, startAlerts with its engine and
// SQLite store, and a fake clock on a working Monday. Tests drive it the way a hall does — device
// messages over MQTT — and move the clock; every step waits for the fact it needs (the service
// counted the message, a tick ran), never for a fixed time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { type AlertsServiceInternal, startAlerts } from '../../alerts/index.ts';
import type { AlertsEvent } from '../../alerts/types.ts';
import { zoneOf } from '../../core/calendar/zone.ts';
import { FakeClock } from '../../core/clock.ts';
import type { Config } from '../../core/config/schema.ts';
import { connectClient, silentLogger, startTestBroker, type TestBroker, waitFor } from '../alerts/helpers.ts';

/** A working Monday (no holiday, no 调休) in the halls' zone. */
export const TEST_DAY = '2026-03-09';

export interface LiveAlerts {
  service: AlertsServiceInternal;
  clock: FakeClock;
  /** Epoch ms of a local time on TEST_DAY ("09:05" or "09:05:30"). */
  time(hhmm: string): number;
  /** Moves the clock to a local time on TEST_DAY, sends what devices say then, and runs the tick. */
  at(hhmm: string, ...messages: [topic: string, body: object][]): Promise<void>;
  /** A retained device message stamped with the clock; resolves once the service has taken it in. */
  publish(topic: string, body: object): Promise<void>;
  /** Every event the service emitted since it started (states, alerts, equipment, env). */
  events: AlertsEvent[];
  close(): Promise<void>;
}

export async function startLiveAlerts(config: Config, start = '08:50'): Promise<LiveAlerts> {
  const zone = zoneOf(config.timezone);
  const time = (hhmm: string) => {
    const [h, m, s] = hhmm.split(':').map(Number);
    return zone.wallTime(TEST_DAY, h! * 60 + m!) + (s ?? 0) * 1000;
  };
  const clock = new FakeClock(time(start));
  const dir = mkdtempSync(join(tmpdir(), 'hw-api-'));
  const broker: TestBroker = await startTestBroker();
  const service = await startAlerts(
    { config, logger: silentLogger(), clock, mqtt: { url: broker.url }, services: new Map() },
    // The test ticks by hand (at); the service's own timer never fires during a test.
    {
      dbFile: join(dir, 'alerts.sqlite'),
      settleMs: 0,
      tickMs: 3_600_000,
      clientId: `api-alerts-${process.pid}`,
    },
  );
  const events: AlertsEvent[] = [];
  service.subscribe((e) => events.push(e));
  const device: MqttClient = await connectClient(broker.url);
  let sent = service.runner.counts.received;
  const publish = async (topic: string, body: object) => {
    await device.publishAsync(topic, JSON.stringify({ ...body, ts: clock.now() }), { qos: 1, retain: true });
    const want = ++sent;
    await waitFor(() => service.runner.counts.received >= want, 5_000, `the service to receive ${topic}`);
  };
  return {
    service,
    clock,
    time,
    events,
    async at(hhmm, ...messages) {
      clock.set(time(hhmm));
      for (const [topic, body] of messages) await publish(topic, body);
      service.runner.tick();
    },
    publish,
    async close() {
      device.end(true);
      await service.stop();
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
