// The lifecycle every wing (broker, ingest, alerts, api) shares; app/ wires them.
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config/schema.ts';
import type { Logger } from './logger.ts';

export type ServiceName = 'broker' | 'ingest' | 'alerts' | 'api';

export interface ServiceHealth {
  /** ok: working; degraded: working with a problem an admin should see; down: not working. */
  status: 'ok' | 'degraded' | 'down';
  /** Counters and flags for /api/health and logs. */
  details: Record<string, unknown>;
}

export interface Service {
  readonly name: ServiceName;
  health(): ServiceHealth;
  stop(): Promise<void>;
}

export interface MqttEndpoint {
  url: string;
  username?: string;
  password?: string;
}

export interface ServiceContext {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Where the services of this process reach the broker. */
  mqtt: MqttEndpoint;
  /** Services already started in this process (api finds alerts here). */
  services: Map<ServiceName, Service>;
}

/** The broker endpoint services use: mqtt.url, else the embedded listener, with the service credentials. */
export function mqttEndpointOf(config: Config): MqttEndpoint {
  const l = config.mqtt.listen ?? { host: '127.0.0.1', port: 1883 };
  const host = l.host === '0.0.0.0' ? '127.0.0.1' : l.host;
  return {
    url: config.mqtt.url ?? `mqtt://${host}:${l.port}`,
    ...(config.mqtt.service
      ? { username: config.mqtt.service.username, password: config.mqtt.service.password }
      : {}),
  };
}
