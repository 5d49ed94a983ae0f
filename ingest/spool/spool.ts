// The on-disk spool: append-only segment files of framed batches, bounded by bytes on disk, read
// in order by the drain. Appends are durable (fdatasync, config ingest.spoolFsync) before they
// resolve, so a batch can be acknowledged to the broker once append() has returned; a new segment
// file is made durable too (fsync of the directory).
// After a crash the spool replays from the last committed cursor; replays are idempotent because
// every point carries its device time. A damaged record is skipped (record.ts resynchronises on
// the next good frame); its points are counted as lost and the segment is kept as `.corrupt`,
// which counts toward the byte budget until an admin removes it.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { type FileHandle, open as openAsync } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Damage,
  decodeHeader,
  encodeRecord,
  HEADER_BYTES,
  type SegmentFormat,
  scanSegment,
} from './record.ts';

export class SpoolFullError extends Error {
  constructor(message: string) {
    super(message);
  }
}

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  segmentBytes: number;
  fsync: boolean;
  /** Called once per damaged stretch found while opening (a torn tail, or a corrupt record). */
  onCorrupt?: (info: DamageReport) => void;
}

export interface DamageReport {
  segment: string;
  offset: number;
  lostBytes: number;
  /** Points in the damaged stretch that were acknowledged and are now lost (0 for a torn tail). */
  lostPoints: number;
  /** The last record was cut short by a crash during its append: it was never acknowledged. */
  torn: boolean;
  /** Where reading goes on (the next good record, or the end of the segment). */
  resumeAt: number;
}

interface Segment {
  seq: number;
  path: string;
  /** Bytes of whole, valid records. */
  end: number;
  /** Points in records not yet committed. */
  points: number;
  format: SegmentFormat;
  /** Damaged stretches the reader jumps over, by start offset. */
  holes: Map<number, number>;
  /** Has damaged records (kept as .corrupt after the drain). */
  corrupt: boolean;
}

/** A contiguous run of records handed to the drain; commit() them in the order read. */
export interface SpoolBatch {
  lines: string[];
  points: number;
  seg: number;
  endOffset: number;
  done: boolean;
}

const NAME = /^seg-(\d{12})\.spool$/;
const name = (seq: number) => `seg-${String(seq).padStart(12, '0')}.spool`;

export class Spool {
  private segments: Segment[] = [];
  private active: { seg: Segment; fh: FileHandle } | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readFd: { seq: number; fd: number } | undefined;
  /** Next record to read: segment seq and byte offset. */
  private cursor = { seq: 0, offset: 0 };
  private readonly outstanding: SpoolBatch[] = [];
  private bytes = 0;
  /** Bytes of `.corrupt` files in the directory; they count toward maxBytes. */
  private corruptBytes = 0;
  private corruptFiles = 0;
  /** Acknowledged points found damaged since open(). */
  lostPoints = 0;
  private closed = false;

  constructor(private readonly o: SpoolOptions) {}

  async open(): Promise<void> {
    mkdirSync(this.o.dir, { recursive: true });
    const saved = this.loadCursor();
    this.countCorrupt();
    const seqs = readdirSync(this.o.dir)
      .map((f) => NAME.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const seq of seqs) {
      const path = join(this.o.dir, name(seq));
      const start = saved && saved.seq === seq ? saved.offset : 0;
      if (saved && seq < saved.seq) {
        rmSync(path, { force: true });
        continue;
      }
      const seg = this.scan(seq, path, start);
      if (seg.end <= start && !seg.corrupt) {
        rmSync(path, { force: true });
        continue;
      }
      this.segments.push(seg);
      this.bytes += seg.end;
    }
    const first = this.segments[0];
    this.cursor = first
      ? { seq: first.seq, offset: saved && saved.seq === first.seq ? saved.offset : 0 }
      : { seq: 0, offset: 0 };
    await this.startSegment((seqs.at(-1) ?? 0) + 1);
  }

  /** Walks a segment's records; damaged stretches become holes the reader skips. */
  private scan(seq: number, path: string, from: number): Segment {
    const buf = readFileSync(path);
    const found = scanSegment(buf);
    let points = 0;
    for (const r of found.records) if (r.offset >= from) points += r.points;
    const holes = new Map<number, number>();
    let corrupt = false;
    let end = buf.length;
    for (const d of found.damage) {
      if (d.torn)
        end = d.offset; // never acknowledged: cut off, later appends go to a new segment
      else {
        holes.set(d.offset, d.end);
        corrupt = true;
      }
      if (d.end > from) this.report(path, d);
    }
    return { seq, path, end, points, format: found.format, holes, corrupt };
  }

  private report(path: string, d: Damage): void {
    const lostPoints = d.torn ? 0 : d.points;
    this.lostPoints += lostPoints;
    this.o.onCorrupt?.({
      segment: path,
      offset: d.offset,
      lostBytes: d.end - d.offset,
      lostPoints,
      torn: d.torn,
      resumeAt: d.end,
    });
  }

  private countCorrupt(): void {
    let bytes = 0;
    let files = 0;
    for (const f of readdirSync(this.o.dir))
      if (f.endsWith('.corrupt')) {
        files++;
        bytes += statSync(join(this.o.dir, f), { throwIfNoEntry: false })?.size ?? 0;
      }
    this.corruptBytes = bytes;
    this.corruptFiles = files;
  }

  private async startSegment(seq: number): Promise<void> {
    const seg: Segment = {
      seq,
      path: join(this.o.dir, name(seq)),
      end: 0,
      points: 0,
      format: 2,
      holes: new Map(),
      corrupt: false,
    };
    const fh = await openAsync(seg.path, 'w');
    // The new file's directory entry must survive a power cut too, or its fsynced records vanish.
    if (this.o.fsync) syncDir(this.o.dir);
    this.active = { seg, fh };
    this.segments.push(seg);
    if (this.segments.length === 1) this.cursor = { seq, offset: 0 };
  }

  /** Durably appends one batch; rejects with SpoolFullError when the disk or the budget is full. */
  append(lines: readonly string[]): Promise<void> {
    return this.serial(() => this.doAppend(lines));
  }

  private async doAppend(lines: readonly string[]): Promise<void> {
    if (this.closed || !this.active) throw new SpoolFullError('spool is closed');
    const rec = encodeRecord(lines.join('\n'), lines.length);
    if (this.bytes + this.corruptBytes + rec.length > this.o.maxBytes) {
      if (this.corruptFiles) this.countCorrupt(); // an admin may have removed some
      if (this.bytes + this.corruptBytes + rec.length > this.o.maxBytes)
        throw new SpoolFullError(
          `spool budget of ${this.o.maxBytes} bytes is used up` +
            (this.corruptBytes ? ` (${this.corruptBytes} bytes of it in .corrupt files)` : ''),
        );
    }
    if (this.active.seg.end > 0 && this.active.seg.end + rec.length > this.o.segmentBytes)
      await this.rotate();
    const { seg, fh } = this.active;
    try {
      await fh.write(rec, 0, rec.length, seg.end);
      if (this.o.fsync) await fh.datasync();
    } catch (e) {
      // A half-written record must not stay in front of later ones.
      await fh.truncate(seg.end).catch(() => {});
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT')
        throw new SpoolFullError(`disk full: ${(e as Error).message}`);
      throw e;
    }
    seg.end += rec.length;
    seg.points += lines.length;
    this.bytes += rec.length;
  }

  private async rotate(): Promise<void> {
    const old = this.active!;
    await old.fh.close();
    await this.startSegment(old.seg.seq + 1);
  }

  /** Points and bytes waiting to be drained, and what damage has cost. */
  depth(): {
    points: number;
    bytes: number;
    segments: number;
    corruptFiles: number;
    corruptBytes: number;
    lostPoints: number;
  } {
    let points = 0;
    for (const s of this.segments) points += s.points;
    return {
      points,
      bytes: this.bytes,
      segments: this.segments.length,
      corruptFiles: this.corruptFiles,
      corruptBytes: this.corruptBytes,
      lostPoints: this.lostPoints,
    };
  }

  get empty(): boolean {
    return this.segments.every((s) => s.points === 0);
  }

  /** Next records in order, up to about maxPoints; null when everything appended has been read. */
  read(maxPoints: number): SpoolBatch | null {
    const lines: string[] = [];
    let seg = this.segments.find((s) => s.seq === this.cursor.seq);
    while (seg) {
      if (this.cursor.offset >= seg.end) {
        const next = this.segments.find((s) => s.seq > seg!.seq);
        if (!next || lines.length) break;
        this.cursor = { seq: next.seq, offset: 0 };
        seg = next;
        continue;
      }
      const hole = seg.holes.get(this.cursor.offset);
      if (hole !== undefined) {
        this.cursor.offset = hole;
        continue;
      }
      const fd = this.fdOf(seg);
      const head = Buffer.alloc(HEADER_BYTES);
      readSync(fd, head, 0, HEADER_BYTES, this.cursor.offset);
      const h = decodeHeader(head, seg.format);
      const payload = Buffer.alloc(h.bytes);
      readSync(fd, payload, 0, h.bytes, this.cursor.offset + h.headerBytes);
      for (const l of payload.toString('utf8').split('\n')) lines.push(l);
      this.cursor.offset += h.headerBytes + h.bytes;
      // Jump over damage right away, so that committing this batch can retire a finished segment.
      this.cursor.offset = seg.holes.get(this.cursor.offset) ?? this.cursor.offset;
      if (lines.length >= maxPoints) break;
    }
    if (!lines.length || !seg) return null;
    const b: SpoolBatch = {
      lines,
      points: lines.length,
      seg: seg.seq,
      endOffset: this.cursor.offset,
      done: false,
    };
    this.outstanding.push(b);
    return b;
  }

  private fdOf(seg: Segment): number {
    if (this.readFd?.seq !== seg.seq) {
      if (this.readFd) closeSync(this.readFd.fd);
      this.readFd = { seq: seg.seq, fd: openSync(seg.path, 'r') };
    }
    return this.readFd.fd;
  }

  /** A batch is stored: forget it once every batch read before it is stored too. */
  async commit(b: SpoolBatch): Promise<void> {
    b.done = true;
    let last: SpoolBatch | undefined;
    while (this.outstanding[0]?.done) {
      last = this.outstanding.shift()!;
      const seg = this.segments.find((s) => s.seq === last!.seg);
      if (seg) seg.points -= last.points;
    }
    if (!last) return;
    const upTo = last;
    // Whole segments before the committed position are done.
    while (this.segments.length > 1 && this.segments[0]!.seq < upTo.seg) this.retire(this.segments[0]!);
    const head = this.segments[0];
    if (head && head.seq === upTo.seg && upTo.endOffset >= head.end) {
      // The drain caught up with the segment being written: start a new one (inside the append
      // chain, so no append lands in between) and remove the old.
      if (this.active?.seg === head)
        await this.serial(async () => {
          if (this.active?.seg === head && head.end === upTo.endOffset) await this.rotate();
        });
      if (this.active?.seg !== head && head.end <= upTo.endOffset) this.retire(head);
    }
    this.saveCursor(upTo.seg, upTo.endOffset);
  }

  private serial(f: () => Promise<void>): Promise<void> {
    const run = this.chain.then(f);
    this.chain = run.catch(() => {});
    return run;
  }

  private retire(seg: Segment): void {
    this.segments.splice(this.segments.indexOf(seg), 1);
    this.bytes -= seg.end;
    if (this.readFd?.seq === seg.seq) {
      closeSync(this.readFd.fd);
      this.readFd = undefined;
    }
    if (seg.corrupt) {
      renameSync(seg.path, `${seg.path}.corrupt`);
      this.countCorrupt();
    } else rmSync(seg.path, { force: true });
    if (this.cursor.seq === seg.seq && this.segments[0])
      this.cursor = { seq: this.segments[0].seq, offset: 0 };
  }

  private cursorFile(): string {
    return join(this.o.dir, 'cursor.json');
  }

  private loadCursor(): { seq: number; offset: number } | undefined {
    try {
      return existsSync(this.cursorFile())
        ? (JSON.parse(readFileSync(this.cursorFile(), 'utf8')) as { seq: number; offset: number })
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** Not fsynced: losing it only replays already-stored batches, which overwrite themselves. */
  private saveCursor(seq: number, offset: number): void {
    writeFileSync(this.cursorFile(), JSON.stringify({ seq, offset }));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    if (this.readFd) closeSync(this.readFd.fd);
    if (this.active) {
      await this.active.fh.close();
      if (this.active.seg.end === 0) rmSync(this.active.seg.path, { force: true });
    }
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
