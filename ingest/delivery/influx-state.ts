// Whether InfluxDB is taking writes, as last seen. Live batches go to the spool while it is down;
// the drain's retries are the probes that bring it back up.
import type { Logger } from '../../runtime/logger.ts';

export class InfluxState {
  up = true;
  since = Date.now();
  lastError: string | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly target: string,
  ) {}

  markDown(err: Error): void {
    this.lastError = err.message;
    if (!this.up) return;
    this.up = false;
    this.since = Date.now();
    this.logger.error(
      { target: this.target, err: err.message },
      'InfluxDB write failed: spooling to disk until it answers again',
    );
  }

  markUp(): void {
    if (this.up) return;
    const downMs = Date.now() - this.since;
    this.up = true;
    this.since = Date.now();
    this.logger.warn(
      { target: this.target, downMs },
      'InfluxDB answers again: writing live, draining the spool',
    );
  }
}
