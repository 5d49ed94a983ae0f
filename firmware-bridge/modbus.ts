// Modbus RTU polling of RS-485 transmitters (env) and presence sensors (seats), one transaction
// at a time on the bus, with the register maps of config `bridges[].modbus` (docs/serial-protocol.md).
import modbusSerial from 'modbus-serial';
import type { Clock } from '../core/clock.ts';
import type { BridgeConfig, ModbusDeviceConfig, ModbusRegisterConfig } from '../core/config/schema.ts';
import { decodeDeviceMessage } from '../core/protocol/decode.ts';
import type { OutgoingMessage } from '../core/protocol/encode.ts';
import { formatTopic } from '../core/protocol/topics.ts';
import { type Logger, rateLimitedLog } from '../runtime/logger.ts';

type ModbusConfig = NonNullable<BridgeConfig['modbus']>;

/** Register words (16-bit, as read) → the engineering value of the register map. */
export function decodeRegister(words: readonly number[], reg: ModbusRegisterConfig): number {
  let raw: number;
  if (reg.type === 'int16' || reg.type === 'uint16') {
    const w = words[0] ?? 0;
    raw = reg.type === 'int16' && w >= 0x8000 ? w - 0x10000 : w;
  } else {
    const [a = 0, b = 0] = words;
    const [hi, lo] = reg.wordOrder === 'be' ? [a, b] : [b, a];
    const buf = Buffer.alloc(4);
    buf.writeUInt16BE(hi, 0);
    buf.writeUInt16BE(lo, 2);
    raw =
      reg.type === 'uint32'
        ? buf.readUInt32BE(0)
        : reg.type === 'int32'
          ? buf.readInt32BE(0)
          : buf.readFloatBE(0);
  }
  return Math.round((raw * reg.scale + reg.offset) * 1000) / 1000;
}

const wordsOf = (reg: ModbusRegisterConfig) => (reg.type === 'int16' || reg.type === 'uint16' ? 1 : 2);

interface SeatState {
  published?: boolean;
  offSince?: number;
}

export class ModbusPoller {
  // CJS package: the default import is module.exports, whose `default` is the client class itself.
  private readonly client = new modbusSerial.default();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly seats = new Map<number, SeatState>();
  private readonly warn: ReturnType<typeof rateLimitedLog>;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  polls = 0;
  errors = 0;
  retries = 0;
  published = 0;

  constructor(
    private readonly cfg: ModbusConfig,
    private readonly hall: string,
    private readonly publish: (m: OutgoingMessage) => void,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.warn = rateLimitedLog(logger);
    this.intervalMs = cfg.interval;
    this.timeoutMs = cfg.timeout;
    this.client.setTimeout(this.timeoutMs);
  }

  start(): void {
    void this.cycle();
  }

  private async ensureOpen(): Promise<boolean> {
    if (this.client.isOpen) return true;
    try {
      await this.client.connectRTUBuffered(this.cfg.port, {
        baudRate: this.cfg.baud,
        parity: this.cfg.parity,
      });
      this.logger.info({ port: this.cfg.port, baud: this.cfg.baud }, 'Modbus RTU bus open');
      return true;
    } catch (e) {
      this.errors++;
      this.warn(
        'modbus-open',
        { port: this.cfg.port, err: (e as Error).message },
        'cannot open the Modbus RTU port; retrying',
      );
      return false;
    }
  }

  private async cycle(): Promise<void> {
    if (this.stopped) return;
    if (await this.ensureOpen()) {
      for (const d of this.cfg.devices) {
        if (this.stopped) return;
        await this.pollDevice(d);
      }
      this.polls++;
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.cycle(), this.intervalMs);
  }

  private async pollDevice(d: ModbusDeviceConfig): Promise<void> {
    const values: Partial<Record<ModbusRegisterConfig['metric'], number>> = {};
    try {
      this.client.setID(d.unitId);
      for (const reg of d.registers) {
        const n = wordsOf(reg);
        const r = await this.read(reg.fc, reg.address, n);
        values[reg.metric] = decodeRegister(r, reg);
      }
    } catch (e) {
      this.errors++;
      this.warn(
        `modbus-${d.unitId}`,
        { unitId: d.unitId, name: d.name, err: (e as Error).message },
        'Modbus read failed',
      );
      return;
    }
    const now = this.clock.now();
    const { presence, ...env } = values;
    if (d.sensor && Object.keys(env).length)
      this.emit({
        topic: formatTopic({ kind: 'env', hall: this.hall, sensor: d.sensor }),
        payload: JSON.stringify({ ...env, ts: now }),
        qos: 1,
        retain: false,
      });
    if (d.counter && d.seat && presence !== undefined) this.seatUpdate(d, presence !== 0, now);
  }

  /** One retry: a lost or garbled reply now and then is normal on a long RS-485 line. */
  private async read(fc: 3 | 4, address: number, n: number): Promise<number[]> {
    try {
      return (
        fc === 4
          ? await this.client.readInputRegisters(address, n)
          : await this.client.readHoldingRegisters(address, n)
      ).data;
    } catch {
      this.retries++;
      // Let a late reply to the first request arrive and be discarded, so it cannot be taken
      // for the answer to the retry (an RTU reply does not name the register it answers).
      await new Promise((r) => setTimeout(r, this.timeoutMs));
      return (
        fc === 4
          ? await this.client.readInputRegisters(address, n)
          : await this.client.readHoldingRegisters(address, n)
      ).data;
    }
  }

  /** Publishes seat changes only; an empty reading must persist `offDelay` (mmWave dropouts). */
  private seatUpdate(d: ModbusDeviceConfig, occupied: boolean, now: number): void {
    const s = this.seats.get(d.unitId) ?? {};
    this.seats.set(d.unitId, s);
    const topic = formatTopic({ kind: 'seat', hall: this.hall, counter: d.counter!, seat: d.seat! });
    if (occupied) {
      s.offSince = undefined;
      if (s.published !== true) {
        s.published = true;
        this.emit({ topic, payload: JSON.stringify({ occupied: true, ts: now }), qos: 1, retain: true });
      }
      return;
    }
    if (s.published === false) return;
    s.offSince ??= now;
    const delay = d.offDelay ?? 0;
    if (now - s.offSince >= delay) {
      s.published = false;
      this.emit({
        topic,
        payload: JSON.stringify({ occupied: false, ts: s.offSince }),
        qos: 1,
        retain: true,
      });
    }
  }

  private emit(m: OutgoingMessage): void {
    const check = decodeDeviceMessage(m.topic, m.payload, this.clock.now());
    if (!check.ok) {
      this.errors++;
      this.warn(
        `modbus-bad-${m.topic}`,
        { topic: m.topic, reason: check.error.detail },
        'Modbus reading rejected',
      );
      return;
    }
    this.published++;
    this.publish(m);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.client.isOpen) await new Promise<void>((resolve) => this.client.close(() => resolve()));
  }
}
