// The alerts service's MQTT connection: a persistent session (clean: false, fixed client id) so
// QoS 1 device messages published while the service was down are delivered when it returns.
import mqtt, { type MqttClient } from 'mqtt';
import type { OutgoingMessage } from '../../core/protocol/encode.ts';
import type { MqttEndpoint } from '../../runtime/service.ts';

export interface MqttLink {
  client: MqttClient;
  publish(m: OutgoingMessage): void;
  publishAsync(topic: string, payload: string): Promise<void>;
  connected(): boolean;
  close(): Promise<void>;
}

export async function connectLink(
  ep: MqttEndpoint,
  clientId: string,
  onError: (err: Error) => void,
): Promise<MqttLink> {
  const client = mqtt.connect(ep.url, {
    clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    // A broker restoring a deep session for the ingest (Redis: one GET per queued message) can
    // take more than 10 s to answer CONNECT on a loaded machine; the start failed on that (R10).
    connectTimeout: 30_000,
    ...(ep.username ? { username: ep.username, password: ep.password ?? '' } : {}),
  });
  client.on('error', onError);
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      client.end(true);
      reject(err);
    };
    client.once('connect', () => {
      client.off('error', fail);
      resolve();
    });
    client.once('error', fail);
  });
  return {
    client,
    publish(m) {
      client.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }, (err) => {
        if (err) onError(err);
      });
    },
    publishAsync: (topic, payload) =>
      new Promise((resolve, reject) =>
        client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())),
      ),
    connected: () => client.connected,
    // A clean close waits for in-flight QoS 1 acks; a dead broker must not hang stop().
    close: () =>
      new Promise((resolve) => {
        const force = setTimeout(() => client.end(true, {}, () => resolve()), 2000);
        client.end(false, {}, () => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
