// S11 against the product as `npm start` runs it, with a firmware bridge started as `npm run
// bridge` starts it on a socat pseudo-terminal: 1 MB of random bytes, a line without end, an
// over-long frame, frames with a bad checksum, an unknown type, a foreign counter and a bad field.
// Each is dropped and counted by reason, nothing of it is published, the bridge keeps running and
// publishes the valid frame that follows. The legitimate controller and supervisor keep flowing.
// (HallWatch has no firmware update path, so S11's signed-update half has nothing to test: see
// docs/security.md.)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../firmware-bridge/frames.ts';
import { openDeviceEnd, startSocat, stopSocat, writeLines } from '../firmware-bridge/helpers.ts';
import { type Json, productPassword } from '../helpers/product.ts';
import { until } from '../helpers/system.ts';
import { flowed, legitimateFlow, login, type Product, rejects, startProduct } from './attack.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('S11 garbage on the serial line', () => {
  let p: Product;
  let dir: string;
  let socat: ChildProcess;
  let bridge: ChildProcess;
  let bridgeOut = '';
  let device: SerialPort;
  const bridgeLog = (): Json[] =>
    bridgeOut
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Json);

  beforeAll(async () => {
    p = await startProduct();
    dir = mkdtempSync(join(tmpdir(), 'hw-s11-'));
    socat = await startSocat(join(dir, 'bridge'), join(dir, 'device'));
    bridge = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'app/bridge.ts',
        '--config',
        p.env.configFile,
        '--controller',
        'ctl-w02',
        '--port',
        join(dir, 'bridge'),
        '--url',
        p.env.mqttUrl,
        '--password',
        productPassword('ctl-w02'),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const take = (d: Buffer) => (bridgeOut += d.toString());
    bridge.stdout!.on('data', take);
    bridge.stderr!.on('data', take);
    await until('the bridge connected and its serial port open', async () =>
      bridgeLog().some((l) => l.msg === 'serial port open') &&
      bridgeLog().some((l) => l.msg === 'firmware bridge started')
        ? true
        : undefined,
    );
    device = await openDeviceEnd(join(dir, 'device'));
  }, 120_000);
  afterAll(async () => {
    if (device?.isOpen) await new Promise((r) => device.close(r));
    if (bridge?.pid && bridge.exitCode === null) {
      const exited = new Promise((r) => bridge.once('exit', r));
      process.kill(bridge.pid, 'SIGKILL');
      await exited;
    }
    if (socat) await stopSocat(socat);
    await p?.env.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('drops and counts every bad frame, publishes none of them, and keeps bridging', async () => {
    const flow = await legitimateFlow(p);
    const watcher = await login(p.env.mqttUrl, 'svc-hallwatch', { clientId: `s11-${process.pid}` });
    const got: { topic: string; payload: string }[] = [];
    watcher.on('message', (topic, m) => got.push({ topic, payload: m.toString() }));
    await watcher.subscribeAsync(['hall/cz-main/counter/+/seat/+', 'hall/cz-main/counter/+/sign'], {
      qos: 1,
    });
    const deniedBefore = (await rejects(p.env)).publish_denied ?? 0;
    const t = Date.now();
    const write = (b: Buffer) =>
      new Promise<void>((resolve, reject) =>
        device.write(b, (e) => (e ? reject(e) : device.drain(() => resolve()))),
      );

    await write(randomBytes(1 << 20)); // 1 MB of noise (line ends inside it included)
    await write(Buffer.concat([Buffer.from('\n'), Buffer.alloc(4096, 0x41)])); // a line without end…
    await writeLines(device, [
      '', // …ended here: dropped as too_long without being buffered
      encodeFrame(['SIGN', 1, t, 'w02', 'away'.padEnd(300, 'y')]), // over 256 bytes
      encodeFrame(['SEAT', 2, t, 'w02', 's1', 1]).replace(/\*..$/, '*00'), // checksum
      '$SEAT,3,\u0000\u00ff,w02,s1,1*00', // framing: NUL and non-ASCII
      encodeFrame(['REBOOT', 4, t]), // unknown_type
      encodeFrame(['SEAT', 5, t, 'w07', 's1', 1]), // not this controller's counter
      encodeFrame(['SEAT', 6, t, 'w02', 's1', 7]), // invalid_field
      encodeFrame(['SEAT', 7, t, 'w02', 's1', 1]), // the valid frame after all of it
    ]);
    await until('the valid frame published', async () =>
      got.some((m) => m.topic === 'hall/cz-main/counter/w02/seat/s1' && JSON.parse(m.payload).seq === 7)
        ? true
        : undefined,
    );
    // Nothing else this controller's line carried was published (retained values of other
    // counters may be delivered at subscribe time; none from w07 after the attack began).
    const fromLine = got.filter(
      (m) => m.topic.includes('/counter/w02/') || m.topic.includes('/counter/w07/'),
    );
    expect(
      fromLine.filter((m) => (JSON.parse(m.payload).ts ?? 0) >= t).map((m) => JSON.parse(m.payload).seq),
    ).toEqual([7]);
    const reasons = new Set(
      bridgeLog()
        .filter((l) => l.msg === 'bad serial frame dropped')
        .map((l) => l.reason),
    );
    for (const r of ['too_long', 'checksum', 'framing', 'unknown_type', 'not_own_topic', 'invalid_field'])
      expect(reasons, `reason ${r} logged`).toContain(r);
    expect(bridge.exitCode).toBeNull();
    expect((await rejects(p.env)).publish_denied ?? 0).toBe(deniedBefore); // the bridge filtered first
    await watcher.endAsync(true);
    expect(flowed(await flow.stop())).toEqual([]);
  }, 120_000);
});
