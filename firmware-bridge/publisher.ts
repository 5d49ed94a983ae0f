// Publishes a controller's messages in order, one QoS 1 message in flight at a time, paced under
// the broker's per-client rate limit; queues (bounded) while the broker is unreachable. The last
// will marks the controller offline; on every (re)connect its current status is published first.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { OutgoingMessage } from '../core/protocol/encode.ts';
import { type Logger, rateLimitedLog } from '../runtime/logger.ts';
import { statusMessage } from './frames.ts';

export interface PublisherOptions {
  url: string;
  username: string;
  password: string;
  clientId: string;
  hall: string;
  device: string;
  /** Oldest messages are dropped (and counted) beyond this. */
  maxQueue: number;
  /** Messages per second; keep below the broker's maxMessagesPerSecond. */
  rate: number;
  reconnectMs?: number;
  mqttOptions?: IClientOptions;
}

export class Publisher {
  private readonly client: MqttClient;
  private readonly queue: OutgoingMessage[] = [];
  private inflight: OutgoingMessage | undefined;
  private nextAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private online = false;
  private readonly warn: ReturnType<typeof rateLimitedLog>;
  published = 0;
  dropped = 0;
  connects = 0;

  constructor(
    private readonly o: PublisherOptions,
    logger: Logger,
  ) {
    this.warn = rateLimitedLog(logger);
    const offline = statusMessage(o.hall, o.device, false);
    this.client = mqtt.connect(o.url, {
      username: o.username,
      password: o.password,
      clientId: o.clientId,
      clean: true,
      reconnectPeriod: o.reconnectMs ?? 2_000,
      connectTimeout: 10_000,
      will: { topic: offline.topic, payload: Buffer.from(offline.payload), qos: 1, retain: true },
      ...o.mqttOptions,
    });
    this.client.on('connect', () => {
      this.connects++;
      logger.info({ url: o.url, queued: this.queue.length }, 'connected to the broker');
      // The broker may have published our last will meanwhile: state the truth first.
      this.queue.unshift(statusMessage(o.hall, o.device, this.online));
      this.pump();
    });
    this.client.on('close', () =>
      this.warn('mqtt-close', { url: o.url, queued: this.queue.length }, 'broker connection lost; queueing'),
    );
    this.client.on('error', (e) =>
      this.warn('mqtt-error', { url: o.url, err: e.message }, 'broker connection error'),
    );
  }

  get connected(): boolean {
    return this.client.connected;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Sets the controller's status (serial line up = online) and publishes it in order. */
  setOnline(online: boolean): void {
    this.online = online;
    this.enqueue(statusMessage(this.o.hall, this.o.device, online));
  }

  enqueue(m: OutgoingMessage): void {
    if (this.queue.length >= this.o.maxQueue) {
      // Never drop the message in flight: it may already be on the wire.
      this.queue.splice(this.queue[0] === this.inflight ? 1 : 0, 1);
      this.dropped++;
      this.warn(
        'queue-full',
        { maxQueue: this.o.maxQueue, dropped: this.dropped },
        'publish queue full: dropped the oldest message',
      );
    }
    this.queue.push(m);
    this.pump();
  }

  private pump(): void {
    if (this.inflight || this.timer || !this.client.connected || this.queue.length === 0) return;
    const now = Date.now();
    if (now < this.nextAt) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, this.nextAt - now);
      return;
    }
    this.nextAt = now + 1000 / this.o.rate;
    const m = this.queue[0]!;
    this.inflight = m;
    this.client.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }, (err) => {
      this.inflight = undefined;
      if (err) {
        // Kept in the queue: it goes again, in order, after the next connect.
        this.warn('publish-failed', { topic: m.topic, err: err.message }, 'publish failed; will retry');
      } else {
        const i = this.queue.indexOf(m);
        if (i >= 0) this.queue.splice(i, 1);
        this.published++;
      }
      this.pump();
    });
  }

  /** Publishes `offline` (a deliberate stop is not a crash) and closes the connection. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    if (this.client.connected) {
      const off = statusMessage(this.o.hall, this.o.device, false);
      await this.client.publishAsync(off.topic, off.payload, { qos: 1, retain: true }).catch(() => {});
    }
    await this.client.endAsync(true);
  }
}
