// Whether InfluxDB is taking writes, as last seen. Live batches go to the spool while it is down;
// the drain's retries are the probes that bring it back up.
// It also tells bad data from a broken server: lines refused for good one after another, with
// none stored in between, beyond `refuseStormLines`, mean InfluxDB (or a proxy in front of it)
// refuses everything — a storm. Then batches are kept instead of dead-lettered, health is down,
// and `onRefusing` raises the admin alert (docs/ingest.md, "Poison points and refusal storms").
import type { Logger } from '../../runtime/logger.ts';
import { RefusingError } from './write-all.ts';

export interface RefusingReport {
  refusing: boolean;
  since: number;
  detail: string;
}

export class InfluxState {
  up = true;
  since = Date.now();
  lastError: string | undefined;
  /** Successful write requests so far: a batch failing while this grows is the problem, not InfluxDB. */
  okWrites = 0;
  /** No write before this instant: the server's Retry-After (429/503), for every writer at once. */
  notBefore = 0;
  /** Set while InfluxDB refuses every line (a storm). */
  refusing: RefusingReport | undefined;
  /** Lines refused in a row with none stored in between. */
  private refusedRun = 0;

  constructor(
    private readonly logger: Logger,
    private readonly target: string,
    private readonly o: { refuseStormLines: number; onRefusing?: (r: RefusingReport) => void } = {
      refuseStormLines: Number.POSITIVE_INFINITY,
    },
  ) {}

  /** Notes a Retry-After (capped at 10 minutes, as Telegraf does). */
  retryAfter(ms: number | undefined): void {
    if (ms) this.notBefore = Math.max(this.notBefore, Date.now() + Math.min(ms, 600_000));
  }

  markDown(err: Error): void {
    this.lastError = err.message;
    if (err instanceof RefusingError) this.startRefusing(err);
    if (!this.up) return;
    this.up = false;
    this.since = Date.now();
    this.logger.error(
      { target: this.target, err: err.message },
      'InfluxDB write failed: spooling to disk until it answers again',
    );
  }

  /** InfluxDB answered a write; `stored`: it stored at least one line. */
  markUp(stored = true): void {
    if (stored) this.okWrites++;
    if (this.up) return;
    const downMs = Date.now() - this.since;
    this.up = true;
    this.since = Date.now();
    this.logger.warn(
      { target: this.target, downMs },
      'InfluxDB answers again: writing live, draining the spool',
    );
  }

  /** RefusalWatch: a stored line ends a refusal run (and a storm). */
  stored(lines: number): void {
    if (lines <= 0) return;
    this.refusedRun = 0;
    if (!this.refusing) return;
    const since = this.refusing.since;
    this.refusing = undefined;
    this.logger.warn(
      { target: this.target, refusingMs: Date.now() - since },
      'InfluxDB stores points again: the refusal storm is over',
    );
    this.o.onRefusing?.({ refusing: false, since: Date.now(), detail: 'stores points again' });
  }

  /** RefusalWatch: one more line refused for good, counted at once across concurrent writes. */
  refused(): boolean {
    this.refusedRun++;
    return this.refusing !== undefined || this.refusedRun >= this.o.refuseStormLines;
  }

  private startRefusing(err: RefusingError): void {
    if (this.refusing) return;
    this.refusing = { refusing: true, since: Date.now(), detail: err.message };
    this.logger.fatal(
      { target: this.target, err: err.message, refusedInARow: this.refusedRun },
      'INFLUXDB REFUSES EVERY POINT: treated as broken, not as bad data — points are kept in the spool, not dead-lettered; check InfluxDB, its proxy and the credentials',
    );
    this.o.onRefusing?.(this.refusing);
  }
}
