// Where simulated events go: MQTT (one client per controller, as that controller) or serial
// frames written into a pseudo-terminal, so the firmware bridge reads them like a real line.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { SerialPort } from 'serialport';
import { encodeDeviceEvent } from '../core/protocol/encode.ts';
import type { DeviceEvent } from '../core/protocol/events.ts';
import { formatTopic } from '../core/protocol/topics.ts';
import { encodeFrame } from '../firmware-bridge/index.ts';
import type { Logger } from '../runtime/logger.ts';
import type { SimEvent } from './events.ts';
import type { SimIdentity } from './hall.ts';

export interface SimSink {
  open(identities: SimIdentity[]): Promise<void>;
  send(e: SimEvent, seq: number): void;
  close(): Promise<void>;
}

export interface MqttSinkOptions {
  url: string;
  /** Password of a username, e.g. from the template `demo-{username}`. */
  password: (username: string) => string;
  logger: Logger;
  mqttOptions?: IClientOptions;
}

export function passwordTemplate(template: string): (username: string) => string {
  return (username) => template.replaceAll('{username}', username);
}

export function mqttSink(o: MqttSinkOptions): SimSink & { clients(): MqttClient[] } {
  const clients = new Map<string, MqttClient>();
  return {
    clients: () => [...clients.values()],
    async open(identities) {
      await Promise.all(
        identities.map(
          (id) =>
            new Promise<void>((resolve, reject) => {
              const status = formatTopic({ kind: 'device_status', hall: id.hall, device: id.controller });
              const c = mqtt.connect(o.url, {
                username: id.username,
                password: o.password(id.username),
                clientId: id.username,
                reconnectPeriod: 1_000,
                will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
                ...o.mqttOptions,
              });
              c.on('connect', () => {
                c.publish(status, 'online', { qos: 1, retain: true });
                resolve();
              });
              c.once('error', (e) => {
                o.logger.error(
                  { username: id.username, err: e.message },
                  'simulated controller cannot connect',
                );
                reject(e);
              });
              clients.set(id.controller, c);
            }),
        ),
      );
    },
    send(e, seq) {
      const m = encodeDeviceEvent({
        ...e.event,
        ...(e.event.kind === 'device_status' ? {} : { seq }),
      } as DeviceEvent);
      clients.get(e.controller)?.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain });
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.endAsync()));
      clients.clear();
    },
  };
}

/** The line a counter controller would send for an event (docs/serial-protocol.md). */
export function frameOf(e: DeviceEvent, seq: number): string {
  const head = (type: string) => [type, seq, e.ts];
  switch (e.kind) {
    case 'seat':
      return encodeFrame([...head('SEAT'), e.counter, e.seat, e.occupied ? 1 : 0]);
    case 'sign':
      return encodeFrame([...head('SIGN'), e.counter, e.sign]);
    case 'badge':
      return encodeFrame([...head('BADGE'), e.counter, e.staff, e.action]);
    case 'equipment':
      return encodeFrame([...head('EQ'), e.counter ?? '-', e.equipment, e.status, e.code]);
    case 'env':
      return encodeFrame([
        ...head('ENV'),
        e.sensor,
        Object.entries(e.readings)
          .map(([k, v]) => `${k}=${v}`)
          .join(';'),
      ]);
    case 'device_status':
    case 'queue': // the queue system publishes over MQTT, never over a controller's serial line
      return encodeFrame(['HB', seq, '']);
  }
}

/** Controllers in `ports` write frames into their pty; everything else goes to `rest`. */
export function serialSink(ports: Map<string, string>, rest: SimSink | undefined, logger: Logger): SimSink {
  const open = new Map<string, SerialPort>();
  return {
    async open(identities) {
      for (const [controller, path] of ports) {
        const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
        await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
        port.on('error', (e) =>
          logger.warn({ controller, path, err: e.message }, 'simulated serial line error'),
        );
        open.set(controller, port);
      }
      await rest?.open(identities.filter((i) => !ports.has(i.controller)));
    },
    send(e, seq) {
      const port = open.get(e.controller);
      if (port) port.write(`${frameOf(e.event, seq)}\r\n`);
      else rest?.send(e, seq);
    },
    async close() {
      for (const p of open.values()) if (p.isOpen) await new Promise((r) => p.close(r));
      open.clear();
      await rest?.close();
    },
  };
}
