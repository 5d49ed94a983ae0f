// CONTRACT §4: "This minimal file must be accepted as it stands". `npm start -- --config FILE` with
// test/core/config/contract-minimal.yaml: no `mqtt.service` block, so the in-process services log
// in to the embedded broker as the process's internal principal. Only what a test must place is
// changed: free ports, a temp dataDir, the test's influxd, and real hashes in place of the
// contract's elided "scrypt$…" / "sha256$…". A separate ingest process (`--only ingest`) logs in
// with HALLWATCH_MQTT_USERNAME / HALLWATCH_MQTT_PASSWORD, and without them exits 2 naming both.
import { spawnSync } from 'node:child_process';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { MQTT_PASSWORD_ENV, MQTT_USERNAME_ENV } from '../../runtime/service.ts';
import {
  CONTRACT_MINIMAL_CONFIG,
  type ProductEnv,
  productEnvs,
  productPassword,
  productToken,
} from '../helpers/product.ts';

const envs = productEnvs();
afterAll(() => envs.cleanup());

/** ctl-w07 (the contract's counter controller) reports seat s1 of w07 occupied. */
async function seatFromController(env: ProductEnv, ts: number): Promise<void> {
  const device = await mqtt.connectAsync(env.mqttUrl, {
    clientId: 'ctl-w07',
    username: 'ctl-w07',
    password: productPassword('ctl-w07'),
    reconnectPeriod: 0,
  });
  await device.publishAsync('hall/demo/counter/w07/seat/s1', JSON.stringify({ occupied: true, ts, seq: 1 }), {
    qos: 1,
  });
  await device.endAsync();
}

/** The stored seat points' timestamps, once InfluxDB has any (the ingest batches). */
async function storedSeats(env: ProductEnv): Promise<number[]> {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    const r = await env.influxd!.query('SELECT * FROM seat', env.database).catch(() => undefined);
    const values = r?.results[0]?.series?.[0]?.values ?? [];
    if (values.length) return values.map((v) => v[0] as number);
    await new Promise((r) => setTimeout(r, 200));
  }
  return [];
}

describe("the contract's minimal config (CONTRACT §4)", () => {
  it('starts all services without a password for them; a device message reaches InfluxDB and the API', {
    timeout: 120_000,
  }, async () => {
    const env = await envs.make({ base: CONTRACT_MINIMAL_CONFIG });
    expect((env.config.mqtt as Record<string, unknown>).service).toBeUndefined();
    // No service login in the environment either: the internal principal is the only way in.
    const all = await env.start({ env: { [MQTT_USERNAME_ENV]: '', [MQTT_PASSWORD_ENV]: '' } });
    await all.waitForLog((l) => l.msg === 'ingest subscribed', 30_000, 'ingest subscribed');
    const ts = Date.now();
    await seatFromController(env, ts);
    expect(await storedSeats(env)).toEqual([ts]);

    // The alerts service (the API's source) saw the same message through the broker.
    const end = Date.now() + 30_000;
    let seats: Record<string, boolean> | undefined;
    while (Date.now() < end) {
      const res = await fetch(`${env.apiUrl}/api/halls/demo/counters`, {
        headers: { authorization: `Bearer ${productToken('supervisor')}` },
      });
      expect(res.status).toBe(200);
      const counters = (await res.json()) as { counter: string; seats: Record<string, boolean> }[];
      seats = counters.find((c) => c.counter === 'w07')?.seats;
      if (seats?.s1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seats).toEqual({ s1: true });
    await all.stop();
    expect(all.logLines().some((l) => l.msg === 'stopped' && l.service === 'broker')).toBe(true);
  });

  it('a separate ingest process logs in with HALLWATCH_MQTT_USERNAME / HALLWATCH_MQTT_PASSWORD', {
    timeout: 120_000,
  }, async () => {
    const env = await envs.make({ base: CONTRACT_MINIMAL_CONFIG });
    // Without them it cannot log in: exit 2 with both names, before anything starts.
    const bare = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'app/start.ts', '--config', env.configFile, '--only', 'ingest'],
      {
        cwd: new URL('../../', import.meta.url).pathname,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, HALLWATCH_CONFIG: '', [MQTT_USERNAME_ENV]: '', [MQTT_PASSWORD_ENV]: '' },
      },
    );
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain(MQTT_USERNAME_ENV);
    expect(bare.stderr).toContain(MQTT_PASSWORD_ENV);

    // productEnv gives every child svc-alerts (the config's role-service account) in the env.
    await env.start({ only: ['broker'] });
    const ingest = await env.start({ only: ['ingest'] });
    // A first start has no session yet: what is published before the SUBACK goes to nobody.
    await ingest.waitForLog((l) => l.msg === 'ingest subscribed', 30_000, 'ingest subscribed');
    const ts = Date.now();
    await seatFromController(env, ts);
    expect(await storedSeats(env)).toEqual([ts]);
  });
});
