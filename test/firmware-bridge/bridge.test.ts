// The firmware bridge over real socat pseudo-terminals against the real broker: frames in,
// MQTT out; bad frames counted; the serial device vanishing and returning; the broker unreachable.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerService } from '../../broker/index.ts';
import { systemClock } from '../../core/clock.ts';
import { encodeFrame } from '../../firmware-bridge/frames.ts';
import { type Bridge, startBridge } from '../../firmware-bridge/index.ts';
import { createLogger } from '../../runtime/logger.ts';
import { brokerFor, collect, connect, hallConfig, pw, until } from '../broker/helpers.ts';
import { openDeviceEnd, startProxy, startSocat, stopSocat, writeLines } from './helpers.ts';

describe('firmware bridge on a pseudo-terminal', () => {
  let dir: string;
  let broker: BrokerService;
  let socat: ChildProcess;
  let device: SerialPort;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let bridge: Bridge;
  let svc: MqttClient;
  let got: { topic: string; payload: string; retain: boolean }[];
  const config = hallConfig();
  const seat = (seq: number, v: 0 | 1) => encodeFrame(['SEAT', seq, Date.now(), 'w07', 's1', v]);
  const seatsSeen = () =>
    got.filter((m) => m.topic.endsWith('/seat/s1')).map((m) => JSON.parse(m.payload).seq as number);
  const statuses = () =>
    got.filter((m) => m.topic === 'hall/demo/device/ctl-w07/status').map((m) => m.payload);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hw-bridge-'));
    broker = await brokerFor(config);
    proxy = await startProxy(broker.addresses.tcp!.port);
    svc = await connect(broker.url!, 'svc-test');
    got = await collect(svc, 'hall/demo/#');
    socat = await startSocat(join(dir, 'bridge'), join(dir, 'device'));
    device = await openDeviceEnd(join(dir, 'device'));
    bridge = startBridge({
      config,
      controller: 'ctl-w07',
      serialPath: join(dir, 'bridge'),
      url: `mqtt://127.0.0.1:${proxy.port}`,
      password: pw('ctl-w07'),
      minBackoffMs: 100,
      maxBackoffMs: 400,
      reconnectMs: 200,
      clock: systemClock,
      logger: createLogger('silent'),
    });
    await until(() => statuses().includes('online'), 5000, 'online status');
  });
  afterAll(async () => {
    await bridge?.stop();
    if (device?.isOpen) await new Promise((r) => device.close(r));
    if (socat) await stopSocat(socat);
    await svc?.endAsync();
    await proxy?.close();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes valid frames in order and counts bad ones without publishing them', async () => {
    const t = Date.now();
    await writeLines(device, [
      encodeFrame(['SIGN', 1, t, 'w07', 'away']),
      encodeFrame(['SEAT', 2, t, 'w07', 's1', 0]).replace(/\*..$/, '*00'), // corrupted on the wire
      'noise without framing',
      encodeFrame(['SEAT', 3, t + 1, 'w12', 's1', 1]), // not this controller's counter
      encodeFrame(['EQ', 4, t + 2, 'w07', 'printer', 'fault', 'PAPER_OUT']),
      encodeFrame(['BADGE', 5, t + 3, 'w07', 'E1023', 'out']),
    ]);
    await until(() => got.some((m) => m.topic.endsWith('/badge')), 5000, 'badge');
    const mine = got.filter((m) => m.topic.startsWith('hall/demo/counter/'));
    expect(mine.map((m) => m.topic)).toEqual([
      'hall/demo/counter/w07/sign',
      'hall/demo/counter/w07/equipment/printer',
      'hall/demo/counter/w07/badge',
    ]);
    expect(JSON.parse(mine[1]!.payload)).toEqual({ status: 'fault', code: 'PAPER_OUT', ts: t + 2, seq: 4 });
    expect(bridge.stats().badFrames).toEqual({ checksum: 1, framing: 1, not_own_topic: 1 });
    expect(broker.stats.rejects.publish_denied ?? 0).toBe(0);
  });

  it('marks the controller offline when the serial device vanishes and loses no frame after it returns', async () => {
    await writeLines(device, [seat(10, 1), seat(11, 0)]);
    await until(() => seatsSeen().includes(11), 5000, 'frames before the unplug');
    await new Promise((r) => device.close(r));
    await stopSocat(socat); // the USB adapter is pulled: both pty ends disappear
    await until(() => statuses().at(-1) === 'offline', 5000, 'offline status');
    expect(bridge.stats().serialUp).toBe(false);
    socat = await startSocat(join(dir, 'bridge'), join(dir, 'device')); // plugged back in
    device = await openDeviceEnd(join(dir, 'device'));
    await until(() => statuses().at(-1) === 'online', 5000, 'online again');
    const seqs = Array.from({ length: 20 }, (_, i) => 100 + i);
    await writeLines(
      device,
      seqs.map((s) => seat(s, (s % 2) as 0 | 1)),
    );
    await until(() => seatsSeen().includes(119), 5000, 'frames after the replug');
    expect(seatsSeen().filter((s) => s >= 100)).toEqual(seqs);
    expect(bridge.stats().serialReopens).toBeGreaterThanOrEqual(1);
  });

  it('queues while the broker is unreachable and flushes in order after reconnecting', async () => {
    proxy.cut();
    await until(() => !bridge.stats().brokerConnected, 5000, 'bridge disconnected');
    await until(() => statuses().at(-1) === 'offline', 5000, 'last will published by the broker');
    const seqs = Array.from({ length: 30 }, (_, i) => 200 + i);
    await writeLines(
      device,
      seqs.map((s) => seat(s, (s % 2) as 0 | 1)),
    );
    await until(() => bridge.stats().queued >= 30, 5000, 'frames queued');
    expect(seatsSeen().some((s) => s >= 200)).toBe(false);
    proxy.heal();
    await until(() => seatsSeen().includes(229), 10_000, 'queue flushed');
    expect(seatsSeen().filter((s) => s >= 200)).toEqual(seqs);
    expect(statuses().at(-1)).toBe('online');
    await until(() => bridge.stats().queued === 0, 3000, 'last PUBACK');
    expect(bridge.stats()).toMatchObject({ queued: 0, dropped: 0, brokerConnected: true });
  });
});
