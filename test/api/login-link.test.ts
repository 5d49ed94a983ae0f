// One-time login links (api/login-links.ts) and POST /api/login-link: a code is good once and only
// for ten minutes of wall-clock time, and the session it opens works like a token until it expires.
import { describe, expect, it } from 'vitest';
import { LoginLinks } from '../../api/login-links.ts';
import { auth, TOKENS, testApi, testConfig } from './helpers.ts';

const SUPERVISOR = { name: '张主任', role: 'supervisor' as const };

describe('login links', () => {
  it('a code opens one session, once', () => {
    let now = 1_000_000;
    const links = new LoginLinks(() => now);
    const { code, expiresAt } = links.issue(SUPERVISOR);
    expect(code).toMatch(/^[\w-]{43}$/);
    expect(expiresAt).toBe(now + 10 * 60_000);
    const session = links.redeem(code)!;
    expect(session.principal).toEqual(SUPERVISOR);
    expect(links.principalOf(session.token)).toEqual(SUPERVISOR);
    expect(links.redeem(code)).toBeNull();
    now += 12 * 3_600_000 - 1;
    expect(links.principalOf(session.token)).toEqual(SUPERVISOR);
    now += 1;
    expect(links.principalOf(session.token)).toBeNull();
  });

  it('a code expires after ten minutes; codes and tokens are random', () => {
    let now = 0;
    const links = new LoginLinks(() => now);
    const a = links.issue(SUPERVISOR).code;
    const b = links.issue(SUPERVISOR).code;
    expect(a).not.toBe(b);
    now = 10 * 60_000 - 1;
    expect(links.redeem(a)).not.toBeNull();
    now = 10 * 60_000;
    expect(links.redeem(b)).toBeNull();
    expect(links.principalOf('not-a-session')).toBeNull();
  });

  it('POST /api/login-link trades a code for a bearer token the API accepts; a used code is 401', async () => {
    const { app } = await testApi();
    try {
      const { code } = app.loginLinks.issue(SUPERVISOR);
      const res = await app.inject({ method: 'POST', url: '/api/login-link', payload: { code } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { token: string; name: string; role: string; expiresAt: number };
      expect(body).toMatchObject({ name: '张主任', role: 'supervisor' });
      const me = await app.inject({ method: 'GET', url: '/api/me', headers: auth(body.token) });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ name: '张主任', role: 'supervisor' });

      const again = await app.inject({ method: 'POST', url: '/api/login-link', payload: { code } });
      expect(again.statusCode).toBe(401);
      expect(again.json()).toMatchObject({ code: 'login_link_invalid' });
      expect(again.json().messageZh).toContain('登录链接');
      // Configured tokens are not login codes.
      const token = await app.inject({
        method: 'POST',
        url: '/api/login-link',
        payload: { code: TOKENS.supervisor },
      });
      expect(token.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('wrong codes count as failed authentications of the address', async () => {
    const { app } = await testApi({ config: testConfig({ authFailures: { max: 3, window: '1m' } }) });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await app.inject({ method: 'POST', url: '/api/login-link', payload: { code: `guess-${i}` } }))
            .statusCode,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
      // Even a good code waits out the window.
      const { code } = app.loginLinks.issue(SUPERVISOR);
      expect(
        (await app.inject({ method: 'POST', url: '/api/login-link', payload: { code } })).statusCode,
      ).toBe(429);
    } finally {
      await app.close();
    }
  });
});
