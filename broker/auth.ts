// Who a client is: username + password → a Principal carrying what the ACL needs.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../core/config/schema.ts';
import { verifySecretAsync } from '../runtime/secrets.ts';

export type Role = 'counter' | 'hall-device' | 'service' | 'admin';

export interface Principal {
  username: string;
  role: Role;
  hall?: string;
  /** Device id whose status topic (and last will) the client owns, and whose cmd topics it reads. */
  device?: string;
  /** Counters a counter controller may publish for (its own, plus any naming it as controller). */
  counters: Set<string>;
  /** Env sensors placed at those counters (a controller polls them over Modbus). */
  sensors: Set<string>;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: string };

/**
 * Checks credentials against `mqtt.users` (scrypt/pbkdf2 hashes). A successful check is cached
 * per (username, sha256(password), stored hash) so reconnect storms do not cost one scrypt each;
 * failures are never cached. `mqtt.service` is accepted as role `service` even when it is not
 * listed in `users`: its plain password is already in the config the process runs with.
 * Hashes are checked on the thread pool; at most `maxPendingLogins` checks wait at once, further
 * logins are refused as `login_busy` (a flood of wrong passwords cannot queue without bound).
 * The internal principal (a random secret made at start for the services of the broker's own
 * process) is checked first and shadows a configured user of the same name.
 */
export class Authenticator {
  private readonly users: Map<string, Config['mqtt']['users'][number]>;
  private readonly cache = new Map<string, Principal>();
  /** Principals by username (at most one per configured user). */
  private readonly byName = new Map<string, Principal>();
  private pending = 0;

  constructor(
    private readonly config: Config,
    /** The internal principal of this process (runtime/service.ts): services embedded with the broker. */
    private readonly internal?: { username: string; password: string },
  ) {
    this.users = new Map(config.mqtt.users.map((u) => [u.username, u]));
  }

  /**
   * What a login already authenticated elsewhere (a broker in front, docs/broker.md "EMQX") may do,
   * by username alone; null for a name that is not a configured login.
   */
  principal(username: string): Principal | null {
    const user = this.users.get(username);
    if (user) {
      const p = this.byName.get(username) ?? principalOf(this.config, user);
      this.byName.set(username, p);
      return p;
    }
    if (this.config.mqtt.service?.username === username) return { username, role: 'service', ...empty() };
    return null;
  }

  async check(username: string | undefined, password: Buffer | undefined): Promise<AuthResult> {
    if (username === undefined || username === '') {
      if (this.config.mqtt.allowAnonymous)
        return { ok: true, principal: { username: '(anonymous)', role: 'service', ...empty() } };
      return { ok: false, reason: 'anonymous' };
    }
    const secret = password?.toString('utf8') ?? '';
    if (this.internal && username === this.internal.username)
      return same(this.internal.password, secret)
        ? { ok: true, principal: { username, role: 'service', ...empty() } }
        : { ok: false, reason: 'bad_password' };
    const svc = this.config.mqtt.service;
    const user = this.users.get(username);
    if (!user) {
      if (svc && svc.username === username && same(svc.password, secret))
        return { ok: true, principal: { username, role: 'service', ...empty() } };
      return { ok: false, reason: 'unknown_user' };
    }
    const key = `${username}\0${createHash('sha256').update(secret).digest('hex')}\0${user.passwordHash}`;
    const hit = this.cache.get(key);
    if (hit) return { ok: true, principal: hit };
    if (this.pending >= this.config.mqtt.limits.maxPendingLogins) return { ok: false, reason: 'login_busy' };
    this.pending++;
    let good: boolean;
    try {
      good = await verifySecretAsync(secret, user.passwordHash);
    } finally {
      this.pending--;
    }
    if (!good) {
      if (svc && svc.username === username && same(svc.password, secret))
        return { ok: true, principal: { username, role: 'service', ...empty() } };
      return { ok: false, reason: 'bad_password' };
    }
    const principal = principalOf(this.config, user);
    this.cache.set(key, principal);
    return { ok: true, principal };
  }
}

/** What a configured user may do (the ACL's input): its hall, device, counters and sensors. */
export function principalOf(config: Config, user: Config['mqtt']['users'][number]): Principal {
  const hall = config.halls.find((h) => h.id === user.hall);
  const own = hall?.counters.find((c) => c.id === user.counter);
  const device =
    user.device ??
    own?.controller ??
    (user.role === 'counter' || user.role === 'hall-device' ? user.username : undefined);
  const counters = new Set<string>();
  if (user.role === 'counter' && hall) {
    if (user.counter) counters.add(user.counter);
    for (const c of hall.counters) if (device && c.controller === device) counters.add(c.id);
  }
  const sensors = new Set<string>();
  if (hall) for (const s of hall.sensors) if (s.counter && counters.has(s.counter)) sensors.add(s.id);
  return {
    username: user.username,
    role: user.role,
    ...(user.hall ? { hall: user.hall } : {}),
    ...(device ? { device } : {}),
    counters,
    sensors,
  };
}

/** A device may only use its own client id (`username` or `username:suffix`), so it cannot take over another device's session. */
export function ownsClientId(p: Principal, clientId: string): boolean {
  if (p.role !== 'counter' && p.role !== 'hall-device') return true;
  return clientId === p.username || clientId.startsWith(`${p.username}:`);
}

function empty() {
  return { counters: new Set<string>(), sensors: new Set<string>() };
}

function same(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
