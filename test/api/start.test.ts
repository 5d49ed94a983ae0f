// startApi as the composition root calls it: it needs the alerts service in the same process.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startApi } from '../../api/index.ts';
import { systemClock } from '../../core/clock.ts';
import type { Service, ServiceName } from '../../runtime/service.ts';
import { TOKENS, testConfig } from './helpers.ts';
import { startLiveAlerts } from './live-alerts.ts';

const ctx = (services: Map<ServiceName, Service>) => ({
  config: testConfig(),
  logger: pino({ level: 'silent' }),
  clock: systemClock,
  mqtt: { url: 'mqtt://127.0.0.1:1' },
  services,
});

describe('startApi', () => {
  it('fails with a clear error when the alerts service is not running in this process', async () => {
    await expect(startApi(ctx(new Map()))).rejects.toThrow(/needs the alerts service.*--only alerts,api/);
  });

  it('listens, serves the board and the API, and stops cleanly', async () => {
    const c = ctx(new Map());
    const live = await startLiveAlerts(c.config);
    c.services.set('alerts', live.service);
    const api = await startApi(c);
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${api.url}/`)).status).toBe(200);
    const me = await fetch(`${api.url}/api/me`, { headers: { authorization: `Bearer ${TOKENS.admin}` } });
    expect((await me.json()).role).toBe('admin');
    expect(api.health().status).toBe('ok');
    await api.stop();
    await expect(fetch(`${api.url}/api/health`)).rejects.toThrow();
    await live.close();
  });
});
