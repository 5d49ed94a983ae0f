// Password and token hashes for config (CONTRACT §4): scrypt for secrets people choose,
// sha256 for long random API tokens (fast to check on every request, still never stored plain).
import {
  createHash,
  pbkdf2,
  pbkdf2Sync,
  randomBytes,
  scrypt,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;

/** `scrypt$N$r$p$salt$hash` (base64url). */
export function hashPassword(secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** `sha256$hex` of a token. */
export function hashToken(token: string): string {
  return `sha256$${createHash('sha256').update(token).digest('hex')}`;
}

/** Checks a secret against any hash format HallWatch writes; false on malformed hashes. */
export function verifySecret(secret: string, stored: string): boolean {
  const parts = stored.split('$');
  try {
    if (parts[0] === 'sha256' && parts.length === 2) {
      const want = Buffer.from(parts[1]!, 'hex');
      const got = createHash('sha256').update(secret).digest();
      return want.length === got.length && timingSafeEqual(want, got);
    }
    if (parts[0] === 'scrypt' && parts.length === 6) {
      const [, n, r, p, salt, hash] = parts;
      const want = Buffer.from(hash!, 'base64url');
      const got = scryptSync(secret, Buffer.from(salt!, 'base64url'), want.length, {
        N: Number(n),
        r: Number(r),
        p: Number(p),
      });
      return timingSafeEqual(want, got);
    }
    if (parts[0] === 'pbkdf2' && parts.length === 4) {
      // pbkdf2$iterations$salt$hash (sha256)
      const [, iter, salt, hash] = parts;
      const want = Buffer.from(hash!, 'base64url');
      const got = pbkdf2Sync(secret, Buffer.from(salt!, 'base64url'), Number(iter), want.length, 'sha256');
      return timingSafeEqual(want, got);
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * The same check as `verifySecret`, with scrypt and PBKDF2 run on libuv's thread pool so a wrong
 * password never blocks the event loop every service of the process shares.
 */
export async function verifySecretAsync(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  try {
    if (parts[0] === 'scrypt' && parts.length === 6) {
      const [, n, r, p, salt, hash] = parts;
      const want = Buffer.from(hash!, 'base64url');
      const got = await new Promise<Buffer>((resolve, reject) =>
        scrypt(
          secret,
          Buffer.from(salt!, 'base64url'),
          want.length,
          { N: Number(n), r: Number(r), p: Number(p) },
          (err, key) => (err ? reject(err) : resolve(key)),
        ),
      );
      return timingSafeEqual(want, got);
    }
    if (parts[0] === 'pbkdf2' && parts.length === 4) {
      const [, iter, salt, hash] = parts;
      const want = Buffer.from(hash!, 'base64url');
      const got = await new Promise<Buffer>((resolve, reject) =>
        pbkdf2(secret, Buffer.from(salt!, 'base64url'), Number(iter), want.length, 'sha256', (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      );
      return timingSafeEqual(want, got);
    }
  } catch {
    return false;
  }
  return verifySecret(secret, stored);
}
