// The internal principal: the services embedded with the broker log in with a secret made at start
// (runtime/service.ts), never written in the config; a wrong one is refused even when a configured
// user has the same name.
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../broker/auth.ts';
import { hashPassword } from '../../runtime/secrets.ts';
import { INTERNAL_USERNAME } from '../../runtime/service.ts';
import { hallConfig } from './helpers.ts';

const secret = 'a-random-secret-made-at-start';
const internal = { username: INTERNAL_USERNAME, password: secret };

describe('Authenticator: the internal principal', () => {
  it('accepts the registered secret as a service', async () => {
    const r = await new Authenticator(hallConfig(), internal).check(INTERNAL_USERNAME, Buffer.from(secret));
    expect(r).toMatchObject({ ok: true, principal: { username: INTERNAL_USERNAME, role: 'service' } });
  });

  it('refuses any other password, also when a configured user has that name', async () => {
    const config = hallConfig({
      users: [{ username: INTERNAL_USERNAME, passwordHash: hashPassword('guessable'), role: 'service' }],
    });
    const auth = new Authenticator(config, internal);
    expect(await auth.check(INTERNAL_USERNAME, Buffer.from('guessable'))).toEqual({
      ok: false,
      reason: 'bad_password',
    });
    expect(await auth.check(INTERNAL_USERNAME, undefined)).toEqual({ ok: false, reason: 'bad_password' });
  });

  it('does not exist when the broker runs without services of its own (--only broker)', async () => {
    expect(await new Authenticator(hallConfig()).check(INTERNAL_USERNAME, Buffer.from(secret))).toEqual({
      ok: false,
      reason: 'unknown_user',
    });
  });
});
