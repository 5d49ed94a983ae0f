// `npm start -- --config FILE` with the example config: every service starts, a device message
// reaches InfluxDB, and SIGTERM stops the process cleanly (exit 0). Also the smoke test of
// test/helpers/product.ts, which the kill -9 tests build on.
import mqtt from 'mqtt';
import { afterAll, expect, it } from 'vitest';
import { productEnvs, productPassword } from '../helpers/product.ts';

const envs = productEnvs();
afterAll(() => envs.cleanup());

it('starts all services from the example config, stores a seat message, stops on SIGTERM', {
  timeout: 120_000,
}, async () => {
  const env = await envs.make();
  const all = await env.start();
  await all.waitForLog((l) => l.msg === 'ingest subscribed', 30_000, 'ingest subscribed');
  const device = await mqtt.connectAsync(env.mqttUrl, {
    clientId: 'ctl-w01',
    username: 'ctl-w01',
    password: productPassword('ctl-w01'),
  });
  const ts = Date.now();
  await device.publishAsync(
    'hall/cz-main/counter/w01/seat/s1',
    JSON.stringify({ occupied: true, ts, seq: 1 }),
    {
      qos: 1,
    },
  );
  await device.endAsync();
  const end = Date.now() + 30_000;
  let values: unknown[][] = [];
  while (Date.now() < end && values.length === 0) {
    const r = await env.influxd!.query('SELECT * FROM seat', env.database).catch(() => undefined);
    values = r?.results[0]?.series?.[0]?.values ?? [];
    if (!values.length) await new Promise((r) => setTimeout(r, 200));
  }
  expect(values.length).toBe(1);
  expect(values[0]![0]).toBe(ts);
  await all.stop();
  expect(all.exited()).toBe(true);
  expect(all.logLines().some((l) => l.msg === 'stopped' && l.service === 'broker')).toBe(true);
});
