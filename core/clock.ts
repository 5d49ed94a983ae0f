// Time is an input: domain code never reads Date.now() itself.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; tests drive rules to the second with it. */
export class FakeClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

/**
 * Simulated time running `speed` times faster than the wall clock from `start` on. The demo runs
 * every service on one of these so a whole morning plays in minutes; `speed` lets the board
 * run its countdowns at the same pace.
 */
export class ScaledClock implements Clock {
  private readonly realStart: number;
  constructor(
    readonly start: number,
    readonly speed: number,
    protected readonly realNow: () => number = Date.now,
  ) {
    this.realStart = realNow();
  }
  now(): number {
    return Math.round(this.start + (this.realNow() - this.realStart) * this.speed);
  }
}
