// Password guessing: after `free` wrong passwords for one username from one address, further
// attempts are refused without running scrypt (which costs ~16 MB and tens of ms each) for a
// delay doubling from 1 s to 60 s. Other devices and other addresses are not affected.
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; last: number; until: number }>();

  constructor(
    private readonly free = 5,
    private readonly windowMs = 600_000,
  ) {}

  /** Milliseconds the attempt must still wait (0 = go ahead). */
  blockedFor(remote: string, username: string, now: number): number {
    const f = this.failures.get(`${remote}\0${username}`);
    if (!f) return 0;
    if (now - f.last > this.windowMs) {
      this.failures.delete(`${remote}\0${username}`);
      return 0;
    }
    return Math.max(0, f.until - now);
  }

  fail(remote: string, username: string, now: number): void {
    const key = `${remote}\0${username}`;
    const f = this.failures.get(key) ?? { count: 0, last: now, until: 0 };
    f.count++;
    f.last = now;
    if (f.count > this.free) f.until = now + Math.min(60_000, 1000 * 2 ** (f.count - this.free - 1));
    this.failures.set(key, f);
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(remote: string, username: string): void {
    this.failures.delete(`${remote}\0${username}`);
  }
}
