// One MQTT login for the tests: connect once (no reconnect), resolve on CONNACK 0, reject with the
// broker's refusal or the close that came instead.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export function connectOnce(url: string, opts: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, ...opts });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
    c.once('close', () => reject(new Error('connection closed before CONNACK')));
  });
}
