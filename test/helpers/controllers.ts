// Counter controllers as a hall has them: real mqtt.js clients with persistent sessions
// (clean: false) that keep publishing QoS 1 seat messages with a unique ts and seq, queue what
// they publish while the broker is away and resend every un-PUBACKed message after reconnecting.
// Each PUBACK is recorded: what a device was told is stored.
import mqtt, { type MqttClient } from 'mqtt';
import { productPassword } from './product.ts';

export interface AckedSeat {
  controller: string;
  counter: string;
  seat: string;
  ts: number;
  seq: number;
  occupied: boolean;
}

export interface Controllers {
  /** Every message PUBACKed so far. */
  readonly acked: AckedSeat[];
  /** Messages published (handed to mqtt.js) so far. */
  readonly published: number;
  /** Publishes that mqtt.js failed instead of sending (published again), by error message. */
  readonly errors: Map<string, number>;
  /** Established connections lost, per controller. */
  readonly closes: Map<string, number>;
  /** Stops publishing and waits until every published message is PUBACKed. */
  stop(timeoutMs?: number): Promise<void>;
  end(): Promise<void>;
}

/** Controllers ctl-wNN of the example config (counter wNN, seat s1), each at `perSecond`. */
export async function startControllers(o: {
  url: string;
  counters: string[];
  perSecond: number;
  hall?: string;
}): Promise<Controllers> {
  const hall = o.hall ?? 'cz-main';
  const acked: AckedSeat[] = [];
  const closes = new Map<string, number>();
  const errors = new Map<string, number>();
  let published = 0;
  let outstanding = 0;
  const clients: MqttClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  let lastTs = 0;

  for (const counter of o.counters) {
    const controller = `ctl-${counter}`;
    const client = await mqtt.connectAsync(o.url, {
      clientId: controller,
      username: controller,
      password: productPassword(controller),
      clean: false,
      reconnectPeriod: 300,
      connectTimeout: 10_000,
      // A slow broker restart must not drop what waits for its PUBACK.
      queueQoSZero: false,
    });
    clients.push(client);
    closes.set(controller, 0);
    // A lost connection, not each failed reconnect attempt while the broker is down.
    let up = true;
    client.on('connect', () => {
      up = true;
    });
    client.on('close', () => {
      if (up) closes.set(controller, (closes.get(controller) ?? 0) + 1);
      up = false;
    });
    client.on('error', () => {}); // reconnects by itself
    let seq = 0;
    const topic = `hall/${hall}/counter/${counter}/seat/s1`;
    const send = (): void => {
      seq++;
      // ts unique across all controllers (ms), so every point is its own InfluxDB point.
      const ts = Math.max(Date.now(), lastTs + 1);
      lastTs = ts;
      const point = { controller, counter, seat: 's1', ts, seq, occupied: seq % 3 !== 0 };
      published++;
      outstanding++;
      publish(point);
    };
    // mqtt.js fails (not resends) what it had not written yet when the connection drops while it
    // replays its store after a reconnect: the controller keeps the reading and publishes it again.
    const publish = (point: AckedSeat) =>
      client.publish(
        topic,
        JSON.stringify({ occupied: point.occupied, ts: point.ts, seq: point.seq }),
        { qos: 1 },
        (err) => {
          if (!err) {
            outstanding--;
            acked.push(point);
            return;
          }
          errors.set(err.message, (errors.get(err.message) ?? 0) + 1);
          setTimeout(() => publish(point), 200);
        },
      );
    timers.push(setInterval(send, 1000 / o.perSecond));
  }

  return {
    acked,
    get published() {
      return published;
    },
    closes,
    errors,
    async stop(timeoutMs = 120_000) {
      for (const t of timers.splice(0)) clearInterval(t);
      const end = Date.now() + timeoutMs;
      while (outstanding > 0) {
        if (Date.now() > end)
          throw new Error(`${outstanding} messages still without PUBACK after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async end() {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
    },
  };
}
