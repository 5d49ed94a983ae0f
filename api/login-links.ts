// One-time login links: the process that runs the API (today only the demo) issues a link for a
// principal; the board exchanges its code once, within a few minutes, for a session token that
// the API accepts like a configured bearer token until it expires. Codes and tokens are random,
// kept only as digests and only in memory (a restart signs everyone out). Expiry runs on the wall
// clock, not on the demo's simulated one.
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from './auth.ts';

const LINK_TTL_MS = 10 * 60_000;
const SESSION_TTL_MS = 12 * 3_600_000;
/** Enough for any hall; the oldest go first when a flood of links or sessions would pass it. */
const MAX_ENTRIES = 1_000;

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');
const secret = () => randomBytes(32).toString('base64url');

interface Entry {
  principal: Principal;
  expiresAt: number;
}

export interface Session {
  token: string;
  principal: Principal;
  expiresAt: number;
}

export class LoginLinks {
  private readonly links = new Map<string, Entry>();
  private readonly sessions = new Map<string, Entry>();

  constructor(
    private readonly realNow: () => number = Date.now,
    private readonly linkTtlMs = LINK_TTL_MS,
    private readonly sessionTtlMs = SESSION_TTL_MS,
  ) {}

  /** A new code for `principal`, valid once within the link lifetime. */
  issue(principal: Principal): { code: string; expiresAt: number } {
    const code = secret();
    const expiresAt = this.realNow() + this.linkTtlMs;
    put(this.links, digest(code), { principal, expiresAt });
    return { code, expiresAt };
  }

  /** The session for a code, or null when the code is unknown, used or expired. Uses the code up. */
  redeem(code: string): Session | null {
    const key = digest(code);
    const link = this.links.get(key);
    this.links.delete(key);
    if (!link || link.expiresAt <= this.realNow()) return null;
    const token = secret();
    const expiresAt = this.realNow() + this.sessionTtlMs;
    put(this.sessions, digest(token), { principal: link.principal, expiresAt });
    return { token, principal: link.principal, expiresAt };
  }

  /** The principal of a live session token, or null. */
  principalOf(token: string): Principal | null {
    const key = digest(token);
    const s = this.sessions.get(key);
    if (!s) return null;
    if (s.expiresAt > this.realNow()) return s.principal;
    this.sessions.delete(key);
    return null;
  }
}

function put(map: Map<string, Entry>, key: string, e: Entry): void {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, e);
}
