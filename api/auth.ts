// Bearer tokens against the hashed tokens of config.api.tokens, with roles and an optional hall
// restriction. Verified results are cached by a digest of the token so a slow scrypt hash is paid
// once, and the plain token is never kept.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ApiConfig } from '../core/config/schema.ts';
import { verifySecret } from '../runtime/secrets.ts';
import { ApiError, forbiddenHall, forbiddenRole, unauthorized } from './errors.ts';

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

const CACHE_MAX = 1_000;
const CACHE_TTL_MS = 5 * 60_000;

export class TokenVerifier {
  private readonly cache = new Map<string, { principal: Principal | null; at: number }>();

  constructor(
    private readonly tokens: ApiConfig['tokens'],
    private readonly now: () => number = Date.now,
  ) {}

  verify(token: string): Principal | null {
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < CACHE_TTL_MS) return hit.principal;
    const t = this.tokens.find((t) => verifySecret(token, t.tokenHash));
    const principal: Principal | null = t
      ? { name: t.name, role: t.role, ...(t.halls ? { halls: t.halls } : {}) }
      : null;
    // Bounded: the oldest entry goes first (Map keeps insertion order).
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { principal, at: this.now() });
    return principal;
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
export function requireRole(verifier: TokenVerifier, allowed: readonly Role[] | 'any', allowQuery = false) {
  return async (req: FastifyRequest) => {
    const token = tokenOf(req, allowQuery);
    if (!token) throw unauthorized('missing');
    const p = verifier.verify(token);
    if (!p) throw unauthorized('invalid');
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
    absences: is('supervisor'),
  };
}
