// Password guessing: after `free` wrong logins for one username from one address, further
// attempts are refused without checking the password for a delay doubling from 1 s to `maxDelayMs`.
// Every account is treated alike (devices, services, the unlisted service account, unknown names),
// and one address guessing many usernames is throttled too, after `free × 4` failures in all.
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; last: number; until: number }>();

  constructor(
    private readonly free = 5,
    private readonly maxDelayMs = 60_000,
    private readonly windowMs = 600_000,
  ) {}

  /** Milliseconds the attempt must still wait (0 = go ahead). */
  blockedFor(remote: string, username: string, now: number): number {
    return Math.max(this.wait(`${remote}\0${username}`, now), this.wait(`${remote}\0*`, now));
  }

  fail(remote: string, username: string, now: number): void {
    this.count(`${remote}\0${username}`, this.free, now);
    this.count(`${remote}\0*`, this.free * 4, now);
  }

  succeed(remote: string, username: string): void {
    this.failures.delete(`${remote}\0${username}`);
  }

  private wait(key: string, now: number): number {
    const f = this.failures.get(key);
    if (!f) return 0;
    if (now - f.last > this.windowMs) {
      this.failures.delete(key);
      return 0;
    }
    return Math.max(0, f.until - now);
  }

  private count(key: string, free: number, now: number): void {
    const f = this.failures.get(key) ?? { count: 0, last: now, until: 0 };
    f.count++;
    f.last = now;
    if (f.count > free)
      f.until = now + Math.min(this.maxDelayMs, 1000 * 2 ** Math.min(20, f.count - free - 1));
    this.failures.delete(key);
    this.failures.set(key, f);
    // Bounded: the entry touched longest ago goes first (Map keeps insertion order).
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }
}
