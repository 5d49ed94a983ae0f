// The lifecycle every wing (broker, ingest, alerts, api) shares; app/ wires them.
import { randomBytes } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config/schema.ts';
import { ConfigError } from '../core/errors.ts';
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
  /** The service's Prometheus metrics (runtime/metrics.ts), served at /metrics. */
  readonly metrics?: Registry;
  stop(): Promise<void>;
}

export interface MqttEndpoint {
  url: string;
  username?: string;
  password?: string;
  /**
   * The credentials are this process's internal principal: a random secret made at start that
   * the embedded broker registers, so in-process services need no password in the config.
   */
  internal?: boolean;
}

/** Environment variables a process without the broker logs in with when the config has no `mqtt.service`. */
export const MQTT_USERNAME_ENV = 'HALLWATCH_MQTT_USERNAME';
export const MQTT_PASSWORD_ENV = 'HALLWATCH_MQTT_PASSWORD';
/** Username of the internal principal (role service); never a configured user. */
export const INTERNAL_USERNAME = 'hallwatch-internal';

export interface ServiceContext {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Where the services of this process reach the broker. */
  mqtt: MqttEndpoint;
  /** Services already started in this process (api finds alerts here). */
  services: Map<ServiceName, Service>;
  /** The halls this process's ingest and alerts own (app/partition.ts); absent: every hall. */
  partition?: Partition;
}

/** A share of the halls for scale-out (docs/scaling.md). */
export interface Partition {
  /** Names this process's MQTT sessions and files: the partition name, `i-of-n`, or `a+b`. */
  key: string;
  halls: string[];
  /** Owns the first configured hall: handles what belongs to no hall (service-down notices). */
  lead: boolean;
}

/**
 * The broker endpoint the services of this process use: `mqtt.url`, else the embedded listener.
 * Credentials: with the broker embedded (and no `mqtt.url`), a fresh internal principal; else the
 * `mqtt.service` block; else HALLWATCH_MQTT_USERNAME / HALLWATCH_MQTT_PASSWORD from `env`.
 * `needsLogin`: the process runs a service that connects (ingest, alerts); without credentials
 * that is a ConfigError naming both ways to give them.
 */
export function mqttEndpointOf(
  config: Config,
  o: { embeddedBroker?: boolean; needsLogin?: boolean; env?: NodeJS.ProcessEnv } = {},
): MqttEndpoint {
  const l = config.mqtt.listen ?? { host: '127.0.0.1', port: 1883 };
  const host = l.host === '0.0.0.0' ? '127.0.0.1' : l.host;
  const url = config.mqtt.url ?? `mqtt://${host}:${l.port}`;
  if (o.embeddedBroker && !config.mqtt.url)
    return {
      url,
      username: INTERNAL_USERNAME,
      password: randomBytes(24).toString('base64url'),
      internal: true,
    };
  const svc = config.mqtt.service;
  if (svc) return { url, username: svc.username, password: svc.password };
  const env = o.env ?? {};
  const username = env[MQTT_USERNAME_ENV];
  const password = env[MQTT_PASSWORD_ENV];
  if (username && password) return { url, username, password };
  if (o.needsLogin)
    throw new ConfigError([
      {
        path: 'mqtt.service',
        message:
          `服务进程未与代理同进程运行，需要 MQTT 登录：设置环境变量 ${MQTT_USERNAME_ENV} 和 ${MQTT_PASSWORD_ENV}` +
          `（mqtt.users 中 role: service 的账号）/ services without the embedded broker need an MQTT login: ` +
          `set ${MQTT_USERNAME_ENV} and ${MQTT_PASSWORD_ENV} (a role: service account of mqtt.users)`,
      },
    ]);
  return { url };
}
