// The MQTT input: QoS 1 subscription in a persistent session (clean: false, fixed client id), so
// the broker keeps what the ingest has not acknowledged — across its restarts and crashes.
//
// Manual acks: mqtt.js handles incoming packets one at a time and sends PUBACK when
// handleMessage calls back. Holding that callback until a batch is stored would stall the
// stream, and `customHandleAcks` exists only for MQTT 5 (aedes speaks 3.1.1) and blocks the same
// way. So handleMessage hands the message on and calls back with a marker error, which makes
// mqtt.js skip its PUBACK; ack() sends the PUBACKs later, once their batch is durable.
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { subscribeBatches } from '../../core/protocol/topics.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { MqttEndpoint } from '../../runtime/service.ts';

/** Identifies one received QoS 1 message on one connection. */
export interface AckToken {
  conn: number;
  id: number;
}

export interface SourceOptions {
  endpoint: MqttEndpoint;
  clientId: string;
  filters: readonly string[];
  /** `$share/{group}/…` subscriptions, so several ingest processes split the messages. */
  shareGroup?: string;
  logger: Logger;
  /** Returns a promise while the pipeline is full: no further message is read until it settles. */
  onMessage: (topic: string, payload: Buffer, ack: AckToken | null) => undefined | Promise<void>;
}

const DEFERRED = new Error('puback deferred until the batch is durable');

export interface MqttSource {
  readonly client: MqttClient;
  connected(): boolean;
  ack(tokens: readonly AckToken[]): void;
  /** Stops handing on messages (unacknowledged ones stay with the broker). */
  pause(): void;
  stop(): Promise<void>;
}

export function startMqttSource(o: SourceOptions): MqttSource {
  let conn = 0;
  let paused = false;
  let firstConnect = true;
  const client = mqtt.connect(o.endpoint.url, {
    clientId: o.clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    // No MQTT keepalive: after an outage or restart the broker may have hundreds of thousands
    // of messages queued for this session, and a PINGRESP waits behind all of them in the TCP
    // stream — a keepalive timeout would then reconnect, and the broker would send everything
    // unacknowledged again. TCP keepalive (set on connect) detects a dead broker instead.
    keepalive: 0,
    // Subscriptions live in the broker's session; we subscribe ourselves on connect.
    resubscribe: false,
    ...(o.endpoint.username ? { username: o.endpoint.username } : {}),
    ...(o.endpoint.password ? { password: o.endpoint.password } : {}),
  });
  const filters = o.filters.map((f) => (o.shareGroup ? `$share/${o.shareGroup}/${f}` : f));

  client.handleMessage = (packet, callback) => {
    if (paused) return; // never call back: the stream stops here, the broker keeps the rest
    const p = packet as IPublishPacket;
    const qos1 = p.qos > 0;
    const token = qos1 ? { conn, id: p.messageId! } : null;
    const payload = typeof p.payload === 'string' ? Buffer.from(p.payload) : (p.payload as Buffer);
    const wait = o.onMessage(p.topic, payload, token);
    const done = () => (qos1 ? callback(DEFERRED) : callback());
    if (wait) wait.then(done, done);
    else done();
  };

  client.on('connect', (connack) => {
    conn++;
    (client.stream as { setKeepAlive?: (on: boolean, ms: number) => void }).setKeepAlive?.(true, 15_000);
    o.logger.info(
      { url: o.endpoint.url, clientId: o.clientId, sessionPresent: connack.sessionPresent },
      'ingest connected to the broker',
    );
    if (firstConnect || !connack.sessionPresent) {
      firstConnect = false;
      // A partition of many halls has hundreds of filters: several SUBSCRIBE packets.
      const batches = subscribeBatches(filters);
      let pending = batches.length;
      let failed = false;
      for (const batch of batches)
        client.subscribe(batch, { qos: 1 }, (err, granted) => {
          if (err) o.logger.error({ err: err.message }, 'subscribe failed');
          else if (granted?.some((g) => g.qos > 2))
            o.logger.error({ granted }, 'broker refused a subscription');
          failed ||= Boolean(err) || Boolean(granted?.some((g) => g.qos > 2));
          // From here on the broker keeps what it misses.
          if (--pending === 0 && !failed) o.logger.info({ filters }, 'ingest subscribed');
        });
    }
  });
  client.on('error', (e) => o.logger.warn({ err: e.message }, 'broker connection error'));
  client.on('offline', () => o.logger.warn({ url: o.endpoint.url }, 'broker unreachable, retrying'));

  const sendPacket = (
    client as unknown as { _sendPacket(p: object, cb?: () => void): void }
  )._sendPacket.bind(client);

  return {
    client,
    connected: () => client.connected,
    ack(tokens) {
      if (!client.connected) return;
      const stream = client.stream as unknown as { cork?: () => void; uncork?: () => void };
      stream.cork?.();
      // An ack for a message of an earlier connection is dropped: the broker redelivers it.
      for (const t of tokens) if (t.conn === conn) sendPacket({ cmd: 'puback', messageId: t.id });
      stream.uncork?.();
    },
    pause() {
      paused = true;
    },
    async stop() {
      await client.endAsync().catch(() => {});
    },
  };
}
