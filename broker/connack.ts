// Nothing reaches a client before its CONNACK. aedes restores a persistent session's
// subscriptions *before* it writes the CONNACK (lib/handlers/connect.js: restoreSubs, then
// storeWill, registerClient, doConnack), and a message published in between is written to the
// socket at once. mqtt.js then handles that PUBLISH first, holds its PUBACK until it is connected
// and handles nothing else meanwhile — the CONNACK behind it is never read, the connection dies of
// "connack timeout". With the journaled persistence the window is microseconds; with Redis every
// step is a round trip, and under a live stream the alerts service failed to start after a kill -9
// about every other time (R10). Deliveries to a client are held until its CONNACK is written.
import type { Client } from 'aedes';

type Deliver = (packet: object, cb: () => void) => void;
interface Deliverer {
  deliverQoS: Deliver;
  deliver0: Deliver;
  connackSent: boolean;
  conn: { once(event: 'close', f: () => void): void };
}

/** Call from preConnect, before aedes restores the session's subscriptions. */
export function holdDeliveriesUntilConnack(client: Client, connackSent: (f: () => void) => void): void {
  const c = client as unknown as Deliverer;
  let held: { deliver: Deliver; packet: object; cb: () => void }[] | undefined = [];
  for (const name of ['deliverQoS', 'deliver0'] as const) {
    const deliver = c[name];
    c[name] = (packet, cb) => {
      if (held && !c.connackSent) held.push({ deliver, packet, cb });
      else deliver(packet, cb);
    };
  }
  connackSent(() => {
    const now = held ?? [];
    held = undefined;
    for (const h of now) h.deliver(h.packet, h.cb);
  });
  // Never connected: the messages stay in the session's queue (QoS 1/2); the emitter must go on.
  c.conn.once('close', () => {
    const now = held ?? [];
    held = undefined;
    for (const h of now) h.cb();
  });
}
