// Where a process serves /metrics without a token (runtime/metrics-listener.ts): metrics.listen
// or HALLWATCH_METRICS_LISTEN, loopback only, because that listener asks for no token.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../core/config/schema.ts';
import { ConfigError } from '../../core/errors.ts';
import { METRICS_LISTEN_ENV, metricsListenOf } from '../../runtime/metrics-listener.ts';
import { hallConfig } from '../broker/helpers.ts';

const withListen = (listen?: { host: string; port: number }) => ({ ...hallConfig(), metrics: { listen } });

describe('metricsListenOf', () => {
  it('none unless configured; the environment overrides the config', () => {
    expect(metricsListenOf(hallConfig(), {})).toBeUndefined();
    expect(metricsListenOf(withListen({ host: '127.0.0.1', port: 9464 }), {})).toEqual({
      host: '127.0.0.1',
      port: 9464,
    });
    expect(
      metricsListenOf(withListen({ host: '127.0.0.1', port: 9464 }), {
        [METRICS_LISTEN_ENV]: '127.0.0.1:9470',
      }),
    ).toEqual({ host: '127.0.0.1', port: 9470 });
    expect(metricsListenOf(hallConfig(), { [METRICS_LISTEN_ENV]: '[::1]:9471' })).toEqual({
      host: '::1',
      port: 9471,
    });
  });

  it('refuses an address beyond loopback or a malformed one, naming the variable', () => {
    for (const v of ['0.0.0.0:9464', '192.168.1.5:9464', '127.0.0.1', '127.0.0.1:99999'])
      expect(() => metricsListenOf(hallConfig(), { [METRICS_LISTEN_ENV]: v }), v).toThrow(ConfigError);
    expect(() => metricsListenOf(hallConfig(), { [METRICS_LISTEN_ENV]: '0.0.0.0:1' })).toThrow(
      METRICS_LISTEN_ENV,
    );
  });

  it('the config refuses metrics.listen beyond loopback', () => {
    const config = { ...hallConfig(), metrics: { listen: { host: '0.0.0.0', port: 9464 } } };
    const r = configSchema.safeParse(config);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['metrics', 'listen', 'host']);
  });
});
