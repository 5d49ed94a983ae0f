// What the dispatcher must remember about each channel across a restart: when it last sent (the
// platform's rate window is counted over these) and until when it is held (backoff after a
// failure, a platform's block after "too fast"), so a restart neither floods nor forgets.
import type Database from 'better-sqlite3';

export interface ChannelHold {
  until: number;
  failures: number;
  reason: string;
}

export class ChannelsTable {
  private readonly insertSend;
  private readonly sendsSince;
  private readonly pruneStmt;
  private readonly getHold;
  private readonly putHold;
  private readonly clearHold;
  constructor(db: Database.Database) {
    this.insertSend = db.prepare('INSERT INTO channel_sends (channel_id, at) VALUES (?, ?)');
    this.sendsSince = db.prepare('SELECT at FROM channel_sends WHERE channel_id = ? AND at > ? ORDER BY at');
    this.pruneStmt = db.prepare('DELETE FROM channel_sends WHERE at <= ?');
    this.getHold = db.prepare('SELECT until, failures, reason FROM channel_holds WHERE channel_id = ?');
    this.putHold = db.prepare(
      `INSERT INTO channel_holds (channel_id, until, failures, reason) VALUES (?, ?, ?, ?)
       ON CONFLICT (channel_id) DO UPDATE SET until = excluded.until, failures = excluded.failures, reason = excluded.reason`,
    );
    this.clearHold = db.prepare('DELETE FROM channel_holds WHERE channel_id = ?');
  }

  /** Records `count` platform messages sent at `at`. */
  sent(channelId: string, at: number, count = 1): void {
    for (let i = 0; i < count; i++) this.insertSend.run(channelId, at);
  }

  /** Send times after `since`, oldest first. */
  sendsAfter(channelId: string, since: number): number[] {
    return (this.sendsSince.all(channelId, since) as { at: number }[]).map((r) => r.at);
  }

  /** Forgets send times no rate window can still see. */
  prune(before: number): void {
    this.pruneStmt.run(before);
  }

  hold(channelId: string): ChannelHold | undefined {
    return this.getHold.get(channelId) as ChannelHold | undefined;
  }

  setHold(channelId: string, h: ChannelHold): void {
    this.putHold.run(channelId, h.until, h.failures, h.reason.slice(0, 500));
  }

  release(channelId: string): void {
    this.clearHold.run(channelId);
  }
}
