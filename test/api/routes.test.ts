// The API through fastify.inject: the shared route × role × error table, plus what only inject
// sees cheaply (headers, logs, rate limits, the board's files).
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/index.ts';
import { auth, TOKENS, testApi, testConfig } from './helpers.ts';
import type { LiveAlerts } from './live-alerts.ts';
import { cases, checkError, seed } from './matrix.ts';

describe('API over fastify.inject', () => {
  let app: Api;
  let live: LiveAlerts;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    ({ app, live } = await testApi({ logger: pino({ level: 'debug' }, sink) }));
  });
  afterAll(() => app.close());

  describe('every route, role and error code', () => {
    let table: ReturnType<typeof cases> = [];
    beforeAll(async () => {
      table = cases(await seed(live));
    });
    // Built lazily so seeding happens after the app exists; names come from a dry run.
    for (const [i, c] of cases({ open: 'a', resolved: 'b', east: 'c', fault: 'd' }).entries())
      it(`${c.name}`, async () => {
        const t = table[i]!;
        const res = await app.inject({
          method: t.method,
          url: t.url,
          headers: {
            ...(t.token ? auth(t.token) : {}),
            ...(t.authorization ? { authorization: t.authorization } : {}),
          },
          ...(t.body !== undefined ? { payload: t.body as object } : {}),
        });
        const body = res.body ? res.json() : undefined;
        expect(res.statusCode, res.body).toBe(t.status);
        checkError(t, body, res.headers);
        t.check?.(body);
      });
  });

  it('sends security headers and a CSP that allows only the board itself', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves ECharts from node_modules for the statistics page', async () => {
    const res = await app.inject({ method: 'GET', url: '/vendor/echarts.min.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body.length).toBeGreaterThan(500_000);
  });

  it('serves the API docs page', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it('never logs the Authorization header or a query token', async () => {
    await app.inject({ method: 'GET', url: '/api/me', headers: auth(TOKENS.supervisor) });
    await app.inject({ method: 'GET', url: `/api/alerts?token=${TOKENS.admin}` });
    const all = logLines.join('');
    expect(all).toContain('"url":"/api/me"');
    expect(all).toContain('token=[redacted]');
    for (const t of Object.values(TOKENS)) expect(all).not.toContain(t);
  });

  it('health shows only statuses without a token, and details without credentials with one', async () => {
    const { app: a2, alerts: al2 } = await testApi();
    const services = new Map<string, unknown>([
      ['alerts', al2],
      [
        'ingest',
        {
          name: 'ingest',
          health: () => ({
            status: 'degraded',
            details: {
              influxUrl: 'http://hw:s3cret@127.0.0.1:8086',
              password: 's3cret',
              spoolBytes: 42,
              lastError: 'ENOENT: /var/lib/hallwatch/spool/seg-1',
            },
          }),
          stop: async () => {},
        },
      ],
    ]);
    const { buildApi } = await import('../../api/index.ts');
    const a3 = await buildApi({
      config: testConfig(),
      alerts: al2,
      services: services as never,
      logger: pino({ level: 'silent' }),
    });
    const anon = await a3.inject({ method: 'GET', url: '/api/health' });
    expect(anon.statusCode).toBe(200);
    expect(anon.json().status).toBe('degraded');
    expect(anon.json().services.ingest).toEqual({ status: 'degraded' });
    expect(anon.body).not.toContain('/var/lib');
    expect(anon.body).not.toContain('127.0.0.1');
    const guess = await a3.inject({ method: 'GET', url: '/api/health', headers: auth('not-a-token') });
    expect(guess.json().services.ingest).toEqual({ status: 'degraded' });
    const res = await a3.inject({ method: 'GET', url: '/api/health', headers: auth(TOKENS.assessor) });
    expect(res.json().services.ingest.details).toEqual({
      influxUrl: 'http://127.0.0.1:8086',
      spoolBytes: 42,
      lastError: 'ENOENT: /var/lib/hallwatch/spool/seg-1',
    });
    expect(res.body).not.toContain('s3cret');
    await a3.close();
    await a2.close();
  });

  it('answers CORS only for configured origins', async () => {
    const config = testConfig();
    const { buildApi } = await import('../../api/index.ts');
    const withCors = await buildApi({
      config: { ...config, api: { ...config.api!, cors: { origins: ['https://screen.example.gov.cn'] } } },
      alerts: live.service,
      logger: pino({ level: 'silent' }),
    });
    const ok = await withCors.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://screen.example.gov.cn' },
    });
    expect(ok.headers['access-control-allow-origin']).toBe('https://screen.example.gov.cn');
    const other = await withCors.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const off = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://screen.example.gov.cn' },
    });
    expect(off.headers['access-control-allow-origin']).toBeUndefined();
    await withCors.close();
  });

  it('throttles failed authentications per source address, whatever token each guess sends', async () => {
    const { app: a } = await testApi({ config: testConfig({ authFailures: { max: 3, window: '1m' } }) });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await a.inject({ method: 'GET', url: '/api/me', headers: auth(`guess-${i}`) })).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const res = await a.inject({ method: 'GET', url: '/api/me', headers: auth(TOKENS.supervisor) });
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('auth_throttled');
    // Another address is not affected.
    const other = await a.inject({
      method: 'GET',
      url: '/api/me',
      headers: auth(TOKENS.supervisor),
      remoteAddress: '10.0.0.9',
    });
    expect(other.statusCode).toBe(200);
    await a.close();
  });

  it('keeps a valid token verified however many wrong tokens are tried', async () => {
    const { TokenVerifier } = await import('../../api/auth.ts');
    const { hashToken } = await import('../../runtime/secrets.ts');
    let checks = 0;
    const tokens = [{ name: 'x', role: 'supervisor' as const, tokenHash: hashToken('right') }];
    const v = new TokenVerifier(
      new Proxy(tokens, {
        get: (t, k) => {
          if (k === Symbol.iterator) checks++;
          return Reflect.get(t, k);
        },
      }),
    );
    expect(await v.verify('right')).toMatchObject({ name: 'x' });
    for (let i = 0; i < 3_000; i++) expect(await v.verify(`wrong-${i}`)).toBeNull();
    const before = checks;
    expect(await v.verify('right')).toMatchObject({ name: 'x' });
    expect(checks).toBe(before); // answered from the cache: not pushed out by 3,000 guesses
  });

  it('limits the request rate per token with 429 in both languages', async () => {
    const { app: limited } = await testApi({ config: testConfig({ rateLimit: { max: 3, window: '1m' } }) });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (await limited.inject({ method: 'GET', url: '/api/me', headers: auth(TOKENS.assessor) })).statusCode,
      );
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const res = await limited.inject({ method: 'GET', url: '/api/me', headers: auth(TOKENS.assessor) });
    expect(res.json().messageZh).toContain('请求过于频繁');
    // another token has its own budget
    expect(
      (await limited.inject({ method: 'GET', url: '/api/me', headers: auth(TOKENS.admin) })).statusCode,
    ).toBe(200);
    await limited.close();
  });
});
