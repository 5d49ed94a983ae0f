// The broker's write-ahead journal: append-only segment files of framed JSON records, written
// with group commit (every record appended in one event-loop turn shares one write and one
// fdatasync), compacted into a snapshot when the segments grow. Reopening replays snapshot and
// segments in order and starts a fresh segment, so a torn tail is never appended to.
// Frame: [u32 body bytes][u32 crc32(body)] + JSON body.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { type FileHandle, open as openAsync } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export type JournalRecord = { op: string } & Record<string, unknown>;

export interface JournalOptions {
  dir: string;
  /** fdatasync before a synced append resolves (power-loss safe; kill -9 alone needs none). */
  fsync: boolean;
  /** Segment bytes since the last snapshot after which the journal compacts. */
  compactBytes?: number;
  onCorrupt?: (info: { file: string; offset: number; lostBytes: number }) => void;
}

/** The records that rebuild the current state; called synchronously at the compaction instant. */
export type Capture = () => JournalRecord[] | Promise<JournalRecord[]>;

const HEADER = 8;
const SEG = /^journal-(\d{12})\.log$/;
const SNAP = /^snapshot-(\d{12})\.log$/;
const pad = (n: number) => String(n).padStart(12, '0');

export function frame(rec: JournalRecord): Buffer {
  const body = Buffer.from(JSON.stringify(rec), 'utf8');
  const buf = Buffer.allocUnsafe(HEADER + body.length);
  buf.writeUInt32LE(body.length, 0);
  buf.writeUInt32LE(crc32(body), 4);
  body.copy(buf, HEADER);
  return buf;
}

/** Whole valid records of a file, and where the first bad one starts (or -1). */
export function readFrames(buf: Buffer): { records: JournalRecord[]; badAt: number } {
  const records: JournalRecord[] = [];
  let at = 0;
  while (at + HEADER <= buf.length) {
    const len = buf.readUInt32LE(at);
    const body = buf.subarray(at + HEADER, at + HEADER + len);
    if (body.length !== len || crc32(body) !== buf.readUInt32LE(at + 4)) return { records, badAt: at };
    try {
      records.push(JSON.parse(body.toString('utf8')) as JournalRecord);
    } catch {
      return { records, badAt: at };
    }
    at += HEADER + len;
  }
  return { records, badAt: at < buf.length ? at : -1 };
}

export class Journal {
  private fh: FileHandle | undefined;
  private seq = 0;
  private queue: Buffer[] = [];
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;
  private sinceSnapshot = 0;
  private readonly captures: Capture[] = [];
  private closed = false;
  /** Records and bytes written, for health and the benchmark. */
  readonly counters = { records: 0, bytes: 0, syncs: 0, compactions: 0, errors: 0 };

  constructor(private readonly o: JournalOptions) {}

  /** Registers a part of the state that a snapshot must contain. */
  onCompact(c: Capture): void {
    this.captures.push(c);
  }

  /** Replays every stored record in order into `apply`, then opens a new segment. */
  async open(apply: (r: JournalRecord) => void): Promise<void> {
    mkdirSync(this.o.dir, { recursive: true });
    const files = readdirSync(this.o.dir);
    const snaps = files
      .flatMap((f) => (SNAP.test(f) ? [Number(SNAP.exec(f)![1])] : []))
      .sort((a, b) => a - b);
    const segs = files.flatMap((f) => (SEG.test(f) ? [Number(SEG.exec(f)![1])] : [])).sort((a, b) => a - b);
    const snap = snaps.at(-1);
    let replayedBytes = 0;
    const replay = (file: string) => {
      const buf = readFileSync(join(this.o.dir, file));
      if (file.startsWith('journal-')) replayedBytes += buf.length;
      const { records, badAt } = readFrames(buf);
      for (const r of records) apply(r);
      if (badAt >= 0) this.o.onCorrupt?.({ file, offset: badAt, lostBytes: buf.length - badAt });
    };
    if (snap !== undefined) replay(`snapshot-${pad(snap)}.log`);
    for (const s of segs) if (snap === undefined || s >= snap) replay(`journal-${pad(s)}.log`);
    // What a finished snapshot made obsolete (a crash may have left it behind).
    for (const s of segs)
      if (snap !== undefined && s < snap) rmSync(join(this.o.dir, `journal-${pad(s)}.log`));
    for (const s of snaps) if (s !== snap) rmSync(join(this.o.dir, `snapshot-${pad(s)}.log`));
    for (const f of files) if (f.endsWith('.tmp')) rmSync(join(this.o.dir, f));
    this.seq = Math.max(snap ?? 0, segs.at(-1) ?? 0) + 1;
    this.fh = await openAsync(join(this.o.dir, `journal-${pad(this.seq)}.log`), 'a');
    this.syncDir();
    // The replayed segments count toward the next compaction.
    this.sinceSnapshot = replayedBytes;
  }

  /** Appends a record; with `sync` the promise resolves once it is on disk. */
  append(rec: JournalRecord, sync: true): Promise<void>;
  append(rec: JournalRecord, sync?: false): void;
  append(rec: JournalRecord, sync = false): Promise<void> | undefined {
    if (this.closed) {
      if (sync) return Promise.reject(new Error('journal closed'));
      return;
    }
    this.queue.push(frame(rec));
    this.schedule();
    if (!sync) return;
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.queue.length) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    if (!this.queue.length || !this.fh) return;
    const bufs = this.queue.splice(0);
    const waiters = this.waiters.splice(0);
    // Captured at the same instant as the records taken above: the snapshot is exactly their state.
    const captured =
      this.o.compactBytes !== undefined && this.sinceSnapshot >= this.o.compactBytes
        ? this.captures.map((c) => c())
        : undefined;
    try {
      const { bytesWritten } = await this.fh.writev(bufs);
      if (this.o.fsync && waiters.length) {
        await this.fh.datasync();
        this.counters.syncs++;
      }
      this.counters.records += bufs.length;
      this.counters.bytes += bytesWritten;
      this.sinceSnapshot += bytesWritten;
      for (const w of waiters) w.resolve();
    } catch (e) {
      this.counters.errors++;
      for (const w of waiters) w.reject(e as Error);
      return;
    }
    if (captured) await this.compact(captured);
  }

  /** Starts a new segment, writes the snapshot of everything before it, drops the old files. */
  private async compact(captured: (JournalRecord[] | Promise<JournalRecord[]>)[]): Promise<void> {
    const old = this.fh!;
    const snapSeq = ++this.seq;
    this.fh = await openAsync(join(this.o.dir, `journal-${pad(snapSeq)}.log`), 'a');
    this.sinceSnapshot = 0;
    await old.close();
    const records = (await Promise.all(captured)).flat();
    const tmp = join(this.o.dir, `snapshot-${pad(snapSeq)}.log.tmp`);
    const fh = await openAsync(tmp, 'w');
    try {
      const bufs = records.map(frame);
      for (let i = 0; i < bufs.length; i += 1024) await fh.writev(bufs.slice(i, i + 1024));
      await fh.datasync();
    } finally {
      await fh.close();
    }
    renameSync(tmp, join(this.o.dir, `snapshot-${pad(snapSeq)}.log`));
    this.syncDir();
    for (const f of readdirSync(this.o.dir)) {
      const m = SEG.exec(f) ?? SNAP.exec(f);
      if (m && Number(m[1]) < snapSeq) rmSync(join(this.o.dir, f));
    }
    this.counters.compactions++;
  }

  private syncDir(): void {
    if (!this.o.fsync) return;
    const fd = openSync(this.o.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing || this.scheduled || this.queue.length) {
      if (this.flushing) await this.flushing;
      else await new Promise((r) => setImmediate(r));
    }
    this.closed = true;
    if (this.fh) {
      if (this.o.fsync) await this.fh.datasync().catch(() => {});
      await this.fh.close();
      this.fh = undefined;
    }
  }
}
