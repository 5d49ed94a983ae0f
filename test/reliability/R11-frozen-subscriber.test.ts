// R11: one subscriber stops reading (its socket frozen: connected, never read again) while a
// service streams large messages to it. Criterion: the other clients do not notice — the p99 of
// message delivery between two other clients and of the controllers' PUBACKs stays where it was
// before the freeze — and the broker drops the frozen client once its socket has not drained for
// `mqtt.limits.drainTimeout` (30 s shipped), counted as `drain_timeout` and logged.
import type { Socket } from 'node:net';
import type { MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../core/config/schema.ts';
import { productEnvs } from '../helpers/product.ts';
import { login } from './attack.ts';
import { controllers, health, scaled } from './harness.ts';

const BASELINE_MS = scaled('R11_BASELINE_S', 10, 120) * 1000;
const envs = productEnvs();
const clients: MqttClient[] = [];
afterAll(async () => {
  for (const c of clients) c.end(true);
  await envs.cleanup();
});

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? 0;
const service = async (url: string, clientId: string, keepalive = 60) => {
  const c = await login(url, 'svc-hallwatch', { clientId, keepalive });
  clients.push(c);
  return c;
};

describe('R11 a subscriber stops reading', () => {
  it('R11 frozen socket: others keep their p99, the frozen client is dropped after drainTimeout', async () => {
    const env = await envs.make();
    const drainTimeout = configSchema.parse(env.config).mqtt.limits.drainTimeout;
    const product = await env.start({ readyTimeoutMs: 180_000 });
    const cs = await controllers(env, 3, Date.now() - 3_600_000);
    for (const c of cs) c.stream(15);

    // Two other clients: a probe every 50 ms, and its reader (delivery latency end to end).
    const observer = await service(env.mqttUrl, 'r11-observer');
    const delivered: { at: number; ms: number }[] = [];
    observer.on('message', (_t, p) => {
      const now = Date.now();
      delivered.push({ at: now, ms: now - (JSON.parse(p.toString()) as { sent: number }).sent });
    });
    await observer.subscribeAsync('hallwatch/r11/probe', { qos: 1 });
    const prober = await service(env.mqttUrl, 'r11-prober');
    const probe = setInterval(
      () => prober.publish('hallwatch/r11/probe', JSON.stringify({ sent: Date.now() }), { qos: 1 }),
      50,
    );

    // The subscriber to freeze (no keepalive: it must not notice anything itself), fed 12 kB
    // messages at 100/s by a bulk publisher.
    const frozen = await service(env.mqttUrl, 'r11-frozen', 0);
    await frozen.subscribeAsync('hallwatch/r11/bulk', { qos: 0 });
    const bulker = await service(env.mqttUrl, 'r11-bulk');
    const block = Buffer.alloc(12_000, 'x');
    const bulk = setInterval(() => {
      for (let i = 0; i < 10; i++) bulker.publish('hallwatch/r11/bulk', block, { qos: 0 });
    }, 100);

    try {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, BASELINE_MS)); // the window measured before the freeze
      const socket = frozen.stream as Socket;
      socket.unpipe();
      socket.pause();
      const frozenAt = Date.now();

      const drop = await product.waitForLog(
        (l) => l.reason === 'drain_timeout' && l.clientId === 'r11-frozen',
        drainTimeout + 120_000,
        'the frozen client dropped',
      );
      const droppedAt = drop.time as number;
      clearInterval(bulk);
      clearInterval(probe);
      for (const c of cs) c.stop();
      await Promise.all(cs.map((c) => c.settled()));

      const window = (xs: { at: number; ms: number }[], from: number, to: number) =>
        xs.filter((x) => x.at >= from && x.at < to).map((x) => x.ms);
      const acks = cs.flatMap((c) => c.latencies);
      const before = { probe: window(delivered, start, frozenAt), ack: window(acks, start, frozenAt) };
      const during = {
        probe: window(delivered, frozenAt, droppedAt),
        ack: window(acks, frozenAt, droppedAt),
      };
      console.info(
        `R11: dropped ${droppedAt - frozenAt} ms after the freeze (drainTimeout ${drainTimeout} ms); delivery p99 ${p99(before.probe)} → ${p99(during.probe)} ms (${during.probe.length} probes), PUBACK p99 ${p99(before.ack)} → ${p99(during.ack)} ms`,
      );
      // Not before drainTimeout (the socket must first fill, then not drain for that long), and
      // not much later (filling kernel buffers at 1.2 MB/s takes seconds).
      expect(droppedAt - frozenAt).toBeGreaterThanOrEqual(drainTimeout);
      expect(droppedAt - frozenAt).toBeLessThan(drainTimeout + 60_000);
      // Probes kept arriving throughout, and their p99 (and the PUBACKs') stayed where it was:
      // within 2× or 250 ms of the baseline, whichever is larger (a loaded CI machine jitters).
      expect(during.probe.length).toBeGreaterThan(((droppedAt - frozenAt) / 50) * 0.5);
      const bound = (b: number) => Math.max(2 * b, b + 250);
      expect(p99(during.probe)).toBeLessThanOrEqual(bound(p99(before.probe)));
      expect(p99(during.ack)).toBeLessThanOrEqual(bound(p99(before.ack)));
      expect(cs.map((c) => c.disconnects)).toEqual(cs.map(() => 0));
      const broker = (await health(env)).services.broker!.details as { rejects: Record<string, number> };
      expect(broker.rejects.drain_timeout).toBe(1);
    } finally {
      clearInterval(bulk);
      clearInterval(probe);
      await Promise.all(cs.map((c) => c.end()));
    }
  }, 300_000);
});
