// R12: an offline client's queue overflows its limit. A hall device (the big screen, a persistent
// session subscribed to its command topics) is away while a service sends it more QoS 1 commands
// than `mqtt.limits.maxQueuedPerSession` (the shipped 1,000). Criterion: the drops are counted and
// exported — /api/health's broker `rejects.queue_full` equals the number dropped, and a
// `session queue full` line is logged — never silent; the device gets exactly the oldest 1,000,
// in order, when it comes back.
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../core/config/schema.ts';
import { productEnvs, productPassword } from '../helpers/product.ts';
import { health, scaled, waitUntil } from './harness.ts';

const EXTRA = scaled('R12_EXTRA', 50, 5000);
const DEVICE = 'hall-cz-main';
const COMMANDS = `hall/cz-main/device/${DEVICE}/cmd`;
const envs = productEnvs();
afterAll(() => envs.cleanup());

const screen = (url: string) =>
  mqtt.connectAsync(url, {
    clientId: DEVICE,
    username: DEVICE,
    password: productPassword(DEVICE),
    clean: false,
    reconnectPeriod: 0,
  });

const sender = (url: string) =>
  mqtt.connectAsync(url, {
    clientId: 'r12-sender',
    username: 'svc-hallwatch',
    password: productPassword('svc-hallwatch'),
  });

describe('R12 an offline session overflows its queue', () => {
  it(`R12 ${EXTRA} commands beyond the limit for an offline device: every drop counted and logged, the oldest kept`, async () => {
    const env = await envs.make();
    const limit = configSchema.parse(env.config).mqtt.limits.maxQueuedPerSession;
    const product = await env.start({ readyTimeoutMs: 180_000 });
    const device = await screen(env.mqttUrl);
    await device.subscribeAsync(`${COMMANDS}/#`, { qos: 1 });
    await device.endAsync(); // away, its session kept

    const svc = await sender(env.mqttUrl);
    for (let n = 0; n < limit + EXTRA; n++)
      await svc.publishAsync(`${COMMANDS}/show`, JSON.stringify({ n }), { qos: 1 });
    await svc.endAsync();

    const rejects = async () =>
      ((await health(env)).services.broker!.details as { rejects: Record<string, number> }).rejects;
    await waitUntil('drops counted', async () => ((await rejects()).queue_full ?? 0) >= EXTRA);
    expect((await rejects()).queue_full).toBe(EXTRA);
    const logged = product.logLines().filter((l) => l.reason === 'queue_full' && l.clientId === DEVICE);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0]!.msg).toBe('session queue full: newest message dropped for it');

    const got: number[] = [];
    const back = mqtt.connect(env.mqttUrl, {
      clientId: DEVICE,
      username: DEVICE,
      password: productPassword(DEVICE),
      clean: false,
      reconnectPeriod: 0,
    });
    back.on('message', (_t, p) => got.push((JSON.parse(p.toString()) as { n: number }).n));
    await waitUntil('the queued commands delivered', () => got.length >= limit, 60_000);
    // Nothing dropped arrives late: a marker sent now comes right after the kept ones.
    await sender(env.mqttUrl).then(async (s) => {
      await s.publishAsync(`${COMMANDS}/show`, JSON.stringify({ n: -1 }), { qos: 1 });
      await s.endAsync();
    });
    await waitUntil('the marker', () => got.includes(-1));
    expect(got).toEqual([...Array.from({ length: limit }, (_, i) => i), -1]);
    console.info(`R12: ${limit} queued and delivered in order, ${EXTRA} dropped, counted and logged`);
    await back.endAsync();
  }, 240_000);
});
