// Open alerts' series (id → hall/type/severity/openedAt), so that the empty retained payload that
// resolves an alert (CONTRACT §3) can still be written to the alert's point. Kept on disk because
// the open message may have been acknowledged to the broker before a restart.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AlertSeries } from '../../core/points/index.ts';

export type { AlertSeries };

export class AlertIndex {
  private readonly open = new Map<string, AlertSeries>();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly file: string | undefined) {
    if (file && existsSync(file)) {
      try {
        for (const [id, s] of Object.entries(
          JSON.parse(readFileSync(file, 'utf8')) as Record<string, AlertSeries>,
        ))
          this.open.set(id, s);
      } catch {
        // A torn file only costs the resolve time of alerts open across the restart (documented).
      }
    }
  }

  get(id: string): AlertSeries | undefined {
    return this.open.get(id);
  }

  set(id: string, s: AlertSeries): void {
    this.open.set(id, s);
    this.markDirty();
  }

  delete(id: string): void {
    if (this.open.delete(id)) this.markDirty();
  }

  get size(): number {
    return this.open.size;
  }

  /** Alerts are rare: one small atomic rewrite per change, coalesced over 200 ms. */
  private markDirty(): void {
    if (!this.file) return;
    this.dirty = true;
    this.timer ??= setTimeout(() => this.flush(), 200);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.open)));
    renameSync(tmp, this.file);
  }
}
