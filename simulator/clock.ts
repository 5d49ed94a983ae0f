// Simulated time for a standalone simulator. Devices stamp `ts` with it, and the ingest rejects
// timestamps ahead of its clock, so simulated time never passes the real clock: it starts in the
// past, runs `speed` times faster until it reaches real now, then runs in real time.
import { ScaledClock } from '../core/clock.ts';

export class CatchUpClock extends ScaledClock {
  override now(): number {
    return Math.min(super.now(), this.realNow());
  }
  /** Real milliseconds until simulated time reaches `t` (for scheduling the next event). */
  realDelayUntil(t: number): number {
    const sim = this.now();
    if (t <= sim) return 0;
    const real = this.realNow();
    const rate = sim >= real ? 1 : this.speed;
    return Math.ceil((t - sim) / rate);
  }
}
