// EMQX 5's HTTP authenticator and authoriser (api/routes/broker-auth.ts): the shapes EMQX documents
// (200 {"result":"allow"|"deny","is_superuser":false} / {"result":"allow"|"deny"}), the embedded
// broker's decisions (same Authenticator, login throttle and ACL), a shared secret, rate limits.
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../core/config/schema.ts';
import { hashPassword, hashToken } from '../../runtime/secrets.ts';
import { testApi, testConfig } from './helpers.ts';

const SECRET = 'emqx-shared-secret-0123456789';
const H = { 'x-hallwatch-broker-secret': SECRET };
const PW = { 'ctl-w07': 'pw-ctl-w07', 'ctl-w12': 'pw-ctl-w12', 'svc-1': 'pw-svc-1' } as const;

function emqxConfig(o: { api?: Partial<Config['api']>; brokerAuth?: boolean } = {}): Config {
  const base = testConfig();
  return {
    ...base,
    mqtt: {
      ...base.mqtt,
      limits: { ...base.mqtt.limits, loginFreeFailures: 2 },
      users: [
        {
          username: 'ctl-w07',
          passwordHash: hashPassword(PW['ctl-w07']),
          role: 'counter',
          hall: 'cz-main',
          counter: 'w07',
        },
        {
          username: 'ctl-w12',
          passwordHash: hashPassword(PW['ctl-w12']),
          role: 'counter',
          hall: 'cz-main',
          counter: 'w12',
        },
        { username: 'svc-1', passwordHash: hashPassword(PW['svc-1']), role: 'service' },
      ],
    },
    api: {
      ...base.api,
      ...(o.brokerAuth === false
        ? {}
        : { brokerAuth: { secretHash: hashToken(SECRET), rateLimit: { max: 1_000, window: 60_000 } } }),
      ...o.api,
    },
  };
}

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});
async function api(config = emqxConfig()) {
  const { app } = await testApi({ config });
  close = () => app.close();
  const post = (path: 'authn' | 'authz', body: object, headers: Record<string, string> = H) =>
    app.inject({ method: 'POST', url: `/api/broker/emqx/${path}`, headers, payload: body });
  return { app, post };
}

describe('EMQX HTTP authentication', () => {
  it('allows a device with its HallWatch password and its own client id; denies wrong, unknown and borrowed ids', async () => {
    const { post } = await api();
    const login = async (body: object) => {
      const r = await post('authn', body);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      return r.json() as { result: string; is_superuser: boolean };
    };
    expect(
      await login({
        username: 'ctl-w07',
        password: PW['ctl-w07'],
        clientid: 'ctl-w07',
        peerhost: '10.0.0.7',
      }),
    ).toEqual({
      result: 'allow',
      is_superuser: false,
    });
    expect(
      (
        await login({
          username: 'ctl-w07',
          password: PW['ctl-w07'],
          clientid: 'ctl-w07:b',
          peerhost: '10.0.0.7',
        })
      ).result,
    ).toBe('allow');
    expect(
      (await login({ username: 'svc-1', password: PW['svc-1'], clientid: 'hallwatch-ingest' })).result,
    ).toBe('allow');
    expect(
      await login({ username: 'ctl-w07', password: 'wrong', clientid: 'ctl-w07', peerhost: '10.0.0.8' }),
    ).toEqual({
      result: 'deny',
      is_superuser: false,
    });
    expect(
      (await login({ username: 'nobody', password: 'x', clientid: 'nobody', peerhost: '10.0.0.9' })).result,
    ).toBe('deny');
    // A device may not take over another device's session.
    expect(
      (
        await login({
          username: 'ctl-w07',
          password: PW['ctl-w07'],
          clientid: 'ctl-w12',
          peerhost: '10.0.0.7',
        })
      ).result,
    ).toBe('deny');
    expect((await login({ username: 'ctl-w07', clientid: 'ctl-w07', peerhost: '10.0.0.7' })).result).toBe(
      'deny',
    );
  });

  it('throttles repeated wrong passwords per device address, as the embedded broker does', async () => {
    const { post } = await api();
    const try_ = async (password: string, peerhost: string) =>
      (
        (await post('authn', { username: 'ctl-w12', password, clientid: 'ctl-w12', peerhost })).json() as {
          result: string;
        }
      ).result;
    expect(await try_('bad1', '10.1.1.1')).toBe('deny');
    expect(await try_('bad2', '10.1.1.1')).toBe('deny');
    expect(await try_('bad3', '10.1.1.1')).toBe('deny'); // the third failure (loginFreeFailures 2) starts a wait
    expect(await try_(PW['ctl-w12'], '10.1.1.1')).toBe('deny'); // refused unchecked while it lasts
    expect(await try_(PW['ctl-w12'], '10.1.1.2')).toBe('allow'); // the real device elsewhere is not locked out
  });
});

describe('EMQX HTTP authorisation', () => {
  it('answers with broker/acl.ts: own topics allowed, another counter and `#` denied, services read all', async () => {
    const { post } = await api();
    const may = async (username: string, action: string, topic: string) => {
      const r = await post('authz', { username, clientid: username, action, topic });
      expect(r.statusCode).toBe(200);
      return (r.json() as { result: string }).result;
    };
    expect(await may('ctl-w07', 'publish', 'hall/cz-main/counter/w07/seat/s1')).toBe('allow');
    expect(await may('ctl-w07', 'publish', 'hall/cz-main/env/env1')).toBe('allow'); // its counter's sensor
    expect(await may('ctl-w07', 'publish', 'hall/cz-main/device/ctl-w07/status')).toBe('allow');
    expect(await may('ctl-w07', 'publish', 'hall/cz-main/counter/w12/seat/s1')).toBe('deny');
    expect(await may('ctl-w07', 'publish', 'hall/cz-main/counter/w07/state')).toBe('deny'); // a service topic
    expect(await may('ctl-w07', 'publish', 'hall/east/counter/w07/seat/s1')).toBe('deny');
    expect(await may('ctl-w07', 'subscribe', '#')).toBe('deny');
    expect(await may('ctl-w07', 'subscribe', 'hall/cz-main/device/ctl-w07/cmd/#')).toBe('allow');
    expect(await may('ctl-w07', 'subscribe', 'hall/cz-main/device/ctl-w12/cmd/#')).toBe('deny');
    expect(await may('svc-1', 'subscribe', '#')).toBe('allow');
    expect(await may('svc-1', 'publish', 'hall/cz-main/counter/w07/state')).toBe('allow');
    expect(await may('svc-1', 'publish', '$SYS/x')).toBe('deny');
    expect(await may('nobody', 'publish', 'hall/cz-main/counter/w07/seat/s1')).toBe('deny');
    expect((await post('authz', { username: 'svc-1', action: 'all', topic: '#' })).statusCode).toBe(400);
  });
});

describe('who may ask', () => {
  it('needs the shared secret; wrong secrets count as failed authentications of the address (429)', async () => {
    const config = emqxConfig({
      api: { authFailures: { max: 3, window: 60_000 } } as Partial<Config['api']>,
    });
    const { post } = await api(config);
    const body = { username: 'ctl-w07', password: PW['ctl-w07'], clientid: 'ctl-w07' };
    expect((await post('authn', body, {})).statusCode).toBe(401);
    expect(
      (
        await post(
          'authz',
          { username: 'svc-1', action: 'subscribe', topic: '#' },
          { 'x-hallwatch-broker-secret': 'guess' },
        )
      ).statusCode,
    ).toBe(401);
    expect((await post('authn', body, { 'x-hallwatch-broker-secret': 'guess2' })).json()).toMatchObject({
      code: 'broker_secret_invalid',
    });
    const r = await post('authn', body);
    expect(r.statusCode).toBe(429);
    expect(r.json()).toMatchObject({ code: 'auth_throttled' });
  });

  it('callers with the secret have their own budget (brokerAuth.rateLimit) above the address budget', async () => {
    const config = emqxConfig({ api: { rateLimit: { max: 3, window: 60_000 } } as Partial<Config['api']> });
    config.api.brokerAuth!.rateLimit = { max: 8, window: 60_000 };
    const { post } = await api(config);
    const codes: number[] = [];
    for (let i = 0; i < 9; i++)
      codes.push((await post('authz', { username: 'svc-1', action: 'subscribe', topic: '#' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
  });

  it('is not served unless api.brokerAuth is configured', async () => {
    const { post } = await api(emqxConfig({ brokerAuth: false }));
    expect((await post('authn', { username: 'ctl-w07', password: PW['ctl-w07'] })).statusCode).toBe(404);
  });
});
