// Bearer tokens against the hashed tokens of config.api.tokens, with roles and an optional hall
// restriction. Verified results are cached by a digest of the token so a slow scrypt hash is paid
// once, and the plain token is never kept.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ApiConfig } from '../core/config/schema.ts';
import { verifySecretAsync } from '../runtime/secrets.ts';
import { ApiError, authThrottled, forbiddenHall, forbiddenRole, unauthorized } from './errors.ts';

export type Role = 'supervisor' | 'facility' | 'assessor' | 'admin';
export const ROLES: readonly Role[] = ['supervisor', 'facility', 'assessor', 'admin'];

export interface Principal {
  name: string;
  role: Role;
  /** Halls this token may see; undefined = every hall. */
  halls?: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const CACHE_TTL_MS = 5 * 60_000;
const MISSES_MAX = 1_000;

/**
 * Valid tokens are cached apart from wrong ones, so a flood of guesses can never push a valid
 * token out (the valid cache holds at most one entry per configured token). Wrong tokens are
 * remembered in a small bounded map only to spare repeated scrypt checks of the same guess.
 */
export class TokenVerifier {
  private readonly valid = new Map<string, { principal: Principal; at: number }>();
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly tokens: ApiConfig['tokens'],
    private readonly now: () => number = Date.now,
    /** Session tokens opened by a login link (api/login-links.ts). */
    private readonly sessions?: { principalOf(token: string): Principal | null },
  ) {}

  async verify(token: string): Promise<Principal | null> {
    const session = this.sessions?.principalOf(token);
    if (session) return session;
    const key = digest(token);
    const hit = this.valid.get(key);
    if (hit && this.now() - hit.at < CACHE_TTL_MS) return hit.principal;
    const missed = this.misses.get(key);
    if (missed !== undefined && this.now() - missed < CACHE_TTL_MS) return null;
    let found: ApiConfig['tokens'][number] | undefined;
    for (const t of this.tokens)
      if (await verifySecretAsync(token, t.tokenHash)) {
        found = t;
        break;
      }
    if (!found) {
      this.misses.delete(key);
      if (this.misses.size >= MISSES_MAX) this.misses.delete(this.misses.keys().next().value!);
      this.misses.set(key, this.now());
      return null;
    }
    const principal: Principal = {
      name: found.name,
      role: found.role,
      ...(found.halls ? { halls: found.halls } : {}),
    };
    this.valid.set(key, { principal, at: this.now() });
    return principal;
  }
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Authentication failures per source address (not per token sent, so every guess shares one
 * budget): after `max` failures within `windowMs` the address gets 429 until the window passes.
 */
export class AuthFailures {
  private readonly byAddress = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until this address may try again (0 = now). */
  retryAfter(address: string): number {
    const f = this.byAddress.get(address);
    if (!f) return 0;
    const left = f.since + this.windowMs - this.now();
    if (left <= 0) {
      this.byAddress.delete(address);
      return 0;
    }
    return f.count >= this.max ? Math.ceil(left / 1000) : 0;
  }

  fail(address: string): void {
    const now = this.now();
    const f = this.byAddress.get(address);
    if (!f || now - f.since >= this.windowMs) this.byAddress.set(address, { count: 1, since: now });
    else f.count++;
    if (this.byAddress.size > 100_000) this.byAddress.delete(this.byAddress.keys().next().value!);
  }
}

/** The token of a request: the Authorization header, or `?token=` where the route allows it. */
export function tokenOf(req: FastifyRequest, allowQuery: boolean): string | null {
  const h = req.headers.authorization;
  if (h) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (!m)
      throw new ApiError(
        401,
        'token_malformed',
        '认证头格式应为 Bearer <令牌>',
        'use Authorization: Bearer <token>',
      );
    return m[1]!;
  }
  if (allowQuery) {
    const q = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof q === 'string' && q) return q;
  }
  return null;
}

/** A preHandler that authenticates and checks the role (admin may do everything). */
export function requireRole(
  verifier: TokenVerifier,
  allowed: readonly Role[] | 'any',
  allowQuery = false,
  failures?: AuthFailures,
) {
  return async (req: FastifyRequest) => {
    const wait = failures?.retryAfter(req.ip) ?? 0;
    if (wait > 0) {
      req.log.warn(
        { reason: 'auth_throttled', ip: req.ip, retryAfter: wait },
        'API authentication throttled',
      );
      throw authThrottled(wait);
    }
    let token: string | null;
    try {
      token = tokenOf(req, allowQuery);
    } catch (e) {
      failures?.fail(req.ip);
      throw e;
    }
    if (!token) throw unauthorized('missing');
    const p = await verifier.verify(token);
    if (!p) {
      failures?.fail(req.ip);
      req.log.warn({ reason: 'token_invalid', ip: req.ip }, 'API token refused');
      throw unauthorized('invalid');
    }
    if (allowed !== 'any' && p.role !== 'admin' && !allowed.includes(p.role))
      throw forbiddenRole(p.role, allowed);
    req.principal = p;
  };
}

export function canSeeHall(p: Principal, hall: string): boolean {
  return !p.halls || p.halls.includes(hall);
}

export function assertHall(p: Principal, hall: string): void {
  if (!canSeeHall(p, hall)) throw forbiddenHall(hall);
}

/** What the board may offer this principal (the API enforces the same roles). */
export function capabilitiesOf(role: Role) {
  const is = (...r: Role[]) => role === 'admin' || r.includes(role);
  return {
    acknowledge: is('supervisor', 'facility'),
    resolve: is('supervisor', 'facility'),
    uptimeStats: is('assessor', 'supervisor'),
    equipmentStats: is('facility', 'assessor'),
    silences: is('supervisor', 'facility'),
    approvals: is('supervisor'),
  };
}
