// The firmware bridge for one controller: serial line frames and Modbus RTU readings → MQTT.
import type { IClientOptions } from 'mqtt';

export { encodeFrame } from './frames.ts';

import type { Clock } from '../core/clock.ts';
import type { BridgeConfig, Config } from '../core/config/schema.ts';
import { ConfigError } from '../core/errors.ts';
import { type Logger, rateLimitedLog } from '../runtime/logger.ts';
import { type FrameRejectReason, type FrameScope, MAX_FRAME_BYTES, parseFrame } from './frames.ts';
import { ModbusPoller } from './modbus.ts';
import { Publisher } from './publisher.ts';
import { SerialLink } from './serial-link.ts';

export interface BridgeOptions {
  config: Config;
  controller: string;
  /** Serial line of the controller (overrides config); none = Modbus only. */
  serialPath?: string;
  baud?: number;
  /** Modbus RTU port (overrides config `bridges[].modbus.port`). */
  modbusPort?: string;
  url: string;
  username?: string;
  password: string;
  clientId?: string;
  /** Messages per second towards the broker (default 50, below the broker's per-client limit). */
  rate?: number;
  maxQueue?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  reconnectMs?: number;
  mqttOptions?: IClientOptions;
  clock: Clock;
  logger: Logger;
}

export interface BridgeStats {
  frames: number;
  published: number;
  queued: number;
  dropped: number;
  badFrames: Partial<Record<FrameRejectReason, number>>;
  serialUp: boolean;
  serialReopens: number;
  brokerConnected: boolean;
  modbus?: { polls: number; errors: number; retries: number; published: number };
}

export interface Bridge {
  scope: FrameScope;
  stats(): BridgeStats;
  stop(): Promise<void>;
}

/** What this controller may publish, from `mqtt.users`, the counters naming it and `bridges`. */
export function scopeOf(
  config: Config,
  controller: string,
  username: string,
  entry?: BridgeConfig,
): FrameScope {
  const user = config.mqtt.users.find((u) => u.username === username);
  const hallId =
    entry?.hall ??
    user?.hall ??
    config.halls.find((h) => h.counters.some((c) => c.controller === controller))?.id;
  const hall = config.halls.find((h) => h.id === hallId);
  if (!hall)
    throw new ConfigError([{ path: 'bridges', message: `no hall found for controller "${controller}"` }]);
  const counters = new Set(hall.counters.filter((c) => c.controller === controller).map((c) => c.id));
  if (user?.counter) counters.add(user.counter);
  const sensors = new Set(hall.sensors.filter((s) => s.counter && counters.has(s.counter)).map((s) => s.id));
  return {
    hall: hall.id,
    device: user?.device ?? controller,
    counters,
    sensors,
    hallDevice: user?.role === 'hall-device',
  };
}

export function startBridge(o: BridgeOptions): Bridge {
  const logger = o.logger.child({ bridge: o.controller });
  const warn = rateLimitedLog(logger);
  const entry = o.config.bridges?.find((b) => b.controller === o.controller);
  const username = o.username ?? entry?.username ?? o.controller;
  const scope = scopeOf(o.config, o.controller, username, entry);
  const modbusCfg = entry?.modbus ? { ...entry.modbus, port: o.modbusPort ?? entry.modbus.port } : undefined;
  for (const d of modbusCfg?.devices ?? []) {
    if (d.sensor && !scope.hallDevice && !scope.sensors.has(d.sensor))
      throw new ConfigError([
        { path: 'bridges', message: `sensor "${d.sensor}" is not at a counter of ${o.controller}` },
      ]);
    if (d.counter && !scope.counters.has(d.counter))
      throw new ConfigError([
        { path: 'bridges', message: `counter "${d.counter}" is not covered by ${o.controller}` },
      ]);
  }

  const publisher = new Publisher(
    {
      url: o.url,
      username,
      password: o.password,
      clientId: o.clientId ?? username,
      hall: scope.hall,
      device: scope.device,
      maxQueue: o.maxQueue ?? 10_000,
      rate: o.rate ?? 50,
      ...(o.reconnectMs !== undefined ? { reconnectMs: o.reconnectMs } : {}),
      ...(o.mqttOptions ? { mqttOptions: o.mqttOptions } : {}),
    },
    logger,
  );
  const badFrames: BridgeStats['badFrames'] = {};
  let frames = 0;
  const reject = (reason: FrameRejectReason, detail: string, line?: string) => {
    badFrames[reason] = (badFrames[reason] ?? 0) + 1;
    warn(`frame-${reason}`, { reason, detail, line: line?.slice(0, 80) }, 'bad serial frame dropped');
  };

  const serialPath = o.serialPath ?? entry?.serial?.port;
  let link: SerialLink | undefined;
  if (serialPath) {
    link = new SerialLink(
      {
        path: serialPath,
        baudRate: o.baud ?? entry?.serial?.baud ?? 115_200,
        maxLineBytes: MAX_FRAME_BYTES + 2,
        ...(o.minBackoffMs !== undefined ? { minBackoffMs: o.minBackoffMs } : {}),
        ...(o.maxBackoffMs !== undefined ? { maxBackoffMs: o.maxBackoffMs } : {}),
      },
      logger,
    );
    link.on('up', () => publisher.setOnline(true));
    link.on('down', () => publisher.setOnline(false));
    link.on('overflow', (n) => reject('too_long', `${n} bytes without a line end`));
    link.on('line', (line) => {
      if (line.trim() === '') return;
      frames++;
      const r = parseFrame(line, scope, o.clock.now());
      if (r.ok) publisher.enqueue(r.message);
      else reject(r.reason, r.detail, line);
    });
    link.start();
  } else {
    publisher.setOnline(true);
  }

  let modbus: ModbusPoller | undefined;
  if (modbusCfg) {
    modbus = new ModbusPoller(modbusCfg, scope.hall, (m) => publisher.enqueue(m), o.clock, logger);
    modbus.start();
  }
  logger.info(
    {
      serial: serialPath,
      modbus: modbusCfg?.port,
      url: o.url,
      hall: scope.hall,
      counters: [...scope.counters],
    },
    'firmware bridge started',
  );

  return {
    scope,
    stats: () => ({
      frames,
      published: publisher.published,
      queued: publisher.queued,
      dropped: publisher.dropped,
      badFrames: { ...badFrames },
      serialUp: link?.up ?? false,
      serialReopens: link?.reopens ?? 0,
      brokerConnected: publisher.connected,
      ...(modbus
        ? {
            modbus: {
              polls: modbus.polls,
              errors: modbus.errors,
              retries: modbus.retries,
              published: modbus.published,
            },
          }
        : {}),
    }),
    async stop() {
      await link?.stop();
      await modbus?.stop();
      await publisher.stop();
    },
  };
}
