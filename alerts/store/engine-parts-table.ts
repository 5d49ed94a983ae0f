// The engine snapshot in parts (core/engine/parts.ts): a row per counter, schedule, equipment,
// device, open alert…, and one meta row. A save writes the parts changed since the last save.
// A database from before migration 5 holds one JSON blob in engine_snapshot: it is read once
// and replaced by parts at the first save.
import type Database from 'better-sqlite3';
import { assembleSnapshot, type PartData, type PartsMeta } from '../../core/engine/parts.ts';
import type { EngineParts, EngineSnapshot } from '../../core/engine/types.ts';

export interface PartsWritten {
  rows: number;
  dropped: number;
  bytes: number;
}

export class EnginePartsTable {
  /** Rows as read at load: the first (full) save writes only those that differ. */
  private loaded: Map<string, string> | undefined;
  private readonly putStmt;
  private readonly dropStmt;
  private readonly metaStmt;
  readonly totals: PartsWritten = { rows: 0, dropped: 0, bytes: 0 };

  constructor(private readonly db: Database.Database) {
    this.putStmt = db.prepare(
      'INSERT INTO engine_parts (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data',
    );
    this.dropStmt = db.prepare('DELETE FROM engine_parts WHERE key = ?');
    this.metaStmt = db.prepare(
      `INSERT INTO engine_parts_meta (id, version, engine_at, saved_at, data) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version, engine_at = excluded.engine_at,
         saved_at = excluded.saved_at, data = excluded.data`,
    );
  }

  /** The stored snapshot: reassembled from parts, or the pre-v5 blob, or none. */
  load(): EngineSnapshot | undefined {
    const meta = this.db.prepare('SELECT data FROM engine_parts_meta WHERE id = 1').get() as
      | { data: string }
      | undefined;
    if (meta) {
      const rows = this.db.prepare('SELECT key, data FROM engine_parts').all() as {
        key: string;
        data: string;
      }[];
      this.loaded = new Map(rows.map((r) => [r.key, r.data]));
      return assembleSnapshot(
        JSON.parse(meta.data) as PartsMeta,
        rows.map((r) => ({ key: r.key, data: JSON.parse(r.data) as PartData })),
      );
    }
    const legacy = this.db.prepare('SELECT data FROM engine_snapshot WHERE id = 1').get() as
      | { data: string }
      | undefined;
    return legacy ? (JSON.parse(legacy.data) as EngineSnapshot) : undefined;
  }

  /**
   * Writes parts inside the caller's transaction. `full`: p holds every part and replaces what is
   * stored (rows it lacks are deleted; rows equal to those loaded are not rewritten).
   */
  save(p: EngineParts, savedAt: number, full: boolean): PartsWritten {
    const w: PartsWritten = { rows: 0, dropped: 0, bytes: 0 };
    const before = full ? this.loaded : undefined;
    if (full) {
      this.loaded = undefined;
      this.db.prepare('DELETE FROM engine_snapshot').run();
      if (!before) this.db.prepare('DELETE FROM engine_parts').run();
    }
    for (const { key, data } of p.put) {
      const json = JSON.stringify(data);
      if (before?.get(key) === json) {
        before.delete(key);
        continue;
      }
      before?.delete(key);
      this.putStmt.run(key, json);
      w.rows++;
      w.bytes += Buffer.byteLength(key) + Buffer.byteLength(json);
    }
    for (const key of before?.keys() ?? p.drop) {
      this.dropStmt.run(key);
      w.dropped++;
    }
    const meta = JSON.stringify(p.meta);
    this.metaStmt.run(p.version, p.at, savedAt, meta);
    w.bytes += Buffer.byteLength(meta);
    this.totals.rows += w.rows;
    this.totals.dropped += w.dropped;
    this.totals.bytes += w.bytes;
    return w;
  }
}
