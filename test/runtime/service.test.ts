// Where the services of a process log in (runtime/service.ts mqttEndpointOf): the internal
// principal with the broker embedded, else mqtt.service, else HALLWATCH_MQTT_USERNAME/PASSWORD.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import {
  INTERNAL_USERNAME,
  MQTT_PASSWORD_ENV,
  MQTT_USERNAME_ENV,
  mqttEndpointOf,
} from '../../runtime/service.ts';
import { hallConfig } from '../broker/helpers.ts';

const noService = () => {
  const c = hallConfig({ listen: { host: '0.0.0.0', port: 1999 } });
  return { ...c, mqtt: { ...c.mqtt, service: undefined } };
};
const env = { [MQTT_USERNAME_ENV]: 'svc-test', [MQTT_PASSWORD_ENV]: 'from-env' };

describe('mqttEndpointOf', () => {
  it('with the broker embedded: a new internal principal each start, on the loopback listener', () => {
    const a = mqttEndpointOf(noService(), { embeddedBroker: true, needsLogin: true, env });
    const b = mqttEndpointOf(noService(), { embeddedBroker: true, needsLogin: true, env });
    expect(a).toMatchObject({ url: 'mqtt://127.0.0.1:1999', username: INTERNAL_USERNAME, internal: true });
    expect(a.password).toMatch(/^[\w-]{32}$/);
    expect(b.password).not.toBe(a.password);
  });

  it('without the broker: the mqtt.service block when present, else the environment', () => {
    expect(mqttEndpointOf(hallConfig(), { needsLogin: true, env })).toMatchObject({
      username: 'svc-test',
      password: 'demo-svc-test',
    });
    const e = mqttEndpointOf(noService(), { needsLogin: true, env });
    expect(e).toEqual({ url: 'mqtt://127.0.0.1:1999', username: 'svc-test', password: 'from-env' });
  });

  it('with mqtt.url (a broker elsewhere), even an embedded broker does not make an internal login', () => {
    const c = noService();
    const e = mqttEndpointOf(
      { ...c, mqtt: { ...c.mqtt, url: 'mqtt://broker.lan:1883' } },
      {
        embeddedBroker: true,
        env,
      },
    );
    expect(e).toEqual({ url: 'mqtt://broker.lan:1883', username: 'svc-test', password: 'from-env' });
  });

  it('a service without a login is a config error naming both variables; the broker alone needs none', () => {
    expect(() => mqttEndpointOf(noService(), { needsLogin: true, env: {} })).toThrow(ConfigError);
    expect(() => mqttEndpointOf(noService(), { needsLogin: true, env: {} })).toThrow(
      new RegExp(`${MQTT_USERNAME_ENV}.*${MQTT_PASSWORD_ENV}`),
    );
    expect(mqttEndpointOf(noService(), { env: {} })).toEqual({ url: 'mqtt://127.0.0.1:1999' });
  });
});
