// Modbus RTU polling over a socat pty pair with modbus-serial's ServerSerial playing two
// RS-485 slaves: a T/RH transmitter (unit 1, RS-WS-N01-like map) and an mmWave presence sensor (unit 2).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerSerial } from 'modbus-serial';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerService } from '../../broker/index.ts';
import { systemClock } from '../../core/clock.ts';
import type { Config } from '../../core/config/schema.ts';
import { type Bridge, startBridge } from '../../firmware-bridge/index.ts';
import { createLogger } from '../../runtime/logger.ts';
import { brokerFor, collect, connect, hallConfig, pw, until } from '../broker/helpers.ts';
import { startSocat, stopSocat } from './helpers.ts';

describe('Modbus RTU poller', () => {
  let dir: string;
  let broker: BrokerService;
  let socat: ChildProcess;
  let slave: ServerSerial;
  let bridge: Bridge;
  let svc: MqttClient;
  let got: { topic: string; payload: string }[];
  const regs = { temperature: 245, humidity: 553, presence: 1 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hw-modbus-'));
    socat = await startSocat(join(dir, 'bus'), join(dir, 'slaves'));
    slave = new ServerSerial(
      {
        getInputRegister: (addr: number, unit: number) =>
          unit === 1 ? (addr === 1 ? regs.temperature : addr === 2 ? regs.humidity : 0) : 0,
        getHoldingRegister: (addr: number, unit: number) => (unit === 2 && addr === 0 ? regs.presence : 0),
      },
      { path: join(dir, 'slaves'), baudRate: 9600, unitID: 255 },
    );
    await new Promise((r) => slave.on('initialized', r));
    const base = hallConfig();
    const config: Config = {
      ...base,
      bridges: [
        {
          controller: 'ctl-w07',
          modbus: {
            port: join(dir, 'bus'),
            baud: 9600,
            parity: 'none',
            interval: 200,
            timeout: 1_000,
            devices: [
              {
                unitId: 1,
                sensor: 'env1',
                registers: [
                  {
                    metric: 'temperature',
                    fc: 4,
                    address: 1,
                    type: 'int16',
                    wordOrder: 'be',
                    scale: 0.1,
                    offset: 0,
                  },
                  {
                    metric: 'humidity',
                    fc: 4,
                    address: 2,
                    type: 'int16',
                    wordOrder: 'be',
                    scale: 0.1,
                    offset: 0,
                  },
                ],
              },
              {
                unitId: 2,
                counter: 'w07',
                seat: 's1',
                offDelay: 300,
                registers: [
                  {
                    metric: 'presence',
                    fc: 3,
                    address: 0,
                    type: 'uint16',
                    wordOrder: 'be',
                    scale: 1,
                    offset: 0,
                  },
                ],
              },
            ],
          },
        },
      ],
    };
    broker = await brokerFor(config);
    svc = await connect(broker.url!, 'svc-test');
    got = await collect(svc, 'hall/demo/#');
    bridge = startBridge({
      config,
      controller: 'ctl-w07',
      url: broker.url!,
      password: pw('ctl-w07'),
      clock: systemClock,
      logger: createLogger(process.env.DEBUG_BRIDGE ? 'debug' : 'silent'),
    });
  });
  afterAll(async () => {
    await bridge?.stop();
    await new Promise((r) => slave?.close(r));
    if (socat) await stopSocat(socat);
    await svc?.endAsync();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the transmitter registers and publishes env readings in engineering units', async () => {
    await until(() => got.some((m) => m.topic === 'hall/demo/env/env1'), 5000, 'env reading');
    const env = JSON.parse(got.find((m) => m.topic === 'hall/demo/env/env1')!.payload);
    expect(env).toMatchObject({ temperature: 24.5, humidity: 55.3 });
    expect(Math.abs(env.ts - Date.now())).toBeLessThan(5000);
  });

  it('publishes the presence sensor as the seat, only on change, empty after the off delay', async () => {
    const seats = () =>
      got.filter((m) => m.topic === 'hall/demo/counter/w07/seat/s1').map((m) => JSON.parse(m.payload));
    await until(() => seats().length === 1, 5000, 'seat occupied');
    expect(seats()[0].occupied).toBe(true);
    const cleared = Date.now();
    regs.presence = 0;
    await until(() => seats().length === 2, 5000, 'seat empty');
    const empty = seats()[1];
    expect(empty.occupied).toBe(false);
    // Stamped with the first empty reading, published only after the off delay held.
    expect(empty.ts).toBeGreaterThanOrEqual(cleared - 50);
    expect(Date.now() - empty.ts).toBeGreaterThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 600));
    expect(seats()).toHaveLength(2);
    expect(bridge.stats().modbus).toMatchObject({ errors: 0 });
    expect(bridge.stats().modbus!.polls).toBeGreaterThan(3);
  });
});
