// The on-disk spool: order, segments, restart after a crash, torn tails, resynchronising past
// corrupt records, the old framing, the budget.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../ingest/spool/record.ts';
import { type DamageReport, Spool, SpoolFullError } from '../../../ingest/spool/spool.ts';
import { tempDir } from '../helpers.ts';

const batch = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `seat,hall=h1 occupied=true ${from + i}`);
const open = async (dir: string, o: Partial<ConstructorParameters<typeof Spool>[0]> = {}) => {
  const s = new Spool({ dir, maxBytes: 10_000_000, segmentBytes: 1024, fsync: true, ...o });
  await s.open();
  return s;
};
/** Where each appended batch's record starts (and, last, where the file ends). */
const offsets = (batches: string[][]) => {
  const out = [0];
  for (const b of batches) out.push(out.at(-1)! + encodeRecord(b.join('\n'), b.length).length);
  return out;
};
const segments = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.spool'))
    .sort();

describe('spool', () => {
  it('gives batches back in append order across segment files and removes drained segments', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir);
    for (let i = 0; i < 20; i++) await s.append(batch(i * 10, 10));
    expect(s.depth().points).toBe(200);
    expect(segments(dir).length).toBeGreaterThan(3);
    const seen: string[] = [];
    for (let b = s.read(25); b; b = s.read(25)) {
      seen.push(...b.lines);
      await s.commit(b);
    }
    expect(seen).toEqual(batch(0, 200));
    expect(s.depth().points).toBe(0);
    expect(segments(dir)).toHaveLength(1); // only the segment being written
    await s.append(batch(500, 3));
    expect(s.read(100)?.lines).toEqual(batch(500, 3));
    await s.close();
  });

  it('after a crash, replays what was not committed and nothing that was', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir);
    for (let i = 0; i < 6; i++) await s.append(batch(i * 10, 10));
    const first = s.read(20)!;
    await s.commit(first);
    s.read(20); // read, written to InfluxDB maybe, but not committed: the process dies here
    const again = await open(dir); // no close(): as after kill -9
    expect(again.depth().points).toBe(40);
    const lines: string[] = [];
    for (let b = again.read(100); b; b = again.read(100)) {
      lines.push(...b.lines);
      await again.commit(b);
    }
    expect(lines).toEqual(batch(20, 40));
    await again.close();
  });

  it('a torn last record (crash during append) is dropped, not counted lost; the records before it are replayed', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir, { segmentBytes: 1_000_000 });
    await s.append(batch(0, 5));
    await s.append(batch(5, 5));
    await s.append(batch(10, 5));
    const [seg] = segments(dir);
    const file = join(dir, seg!);
    truncateSync(file, readFileSync(file).length - 7);
    const problems: DamageReport[] = [];
    const again = await open(dir, { onCorrupt: (c) => problems.push(c) });
    expect(problems).toEqual([expect.objectContaining({ torn: true, lostPoints: 0 })]);
    expect(again.depth()).toMatchObject({ points: 10, lostPoints: 0 });
    const b = again.read(100)!;
    expect(b.lines).toEqual(batch(0, 10));
    await again.commit(b);
    await again.append(batch(20, 2)); // after the torn bytes, never into them
    expect(again.read(100)!.lines).toEqual(batch(20, 2));
    expect(existsSync(`${file}.corrupt`)).toBe(false); // a torn tail is a crash, not damage
    await again.close();
  });

  it('a corrupt record is skipped: reading resynchronises on the next good record; its points are counted lost', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir, { segmentBytes: 1_000_000 });
    const batches = Array.from({ length: 5 }, (_, i) => batch(i * 5, 5));
    for (const b of batches) await s.append(b);
    const at = offsets(batches);
    const file = join(dir, segments(dir)[0]!);
    const bytes = readFileSync(file);
    bytes[at[2]! + 30]! ^= 0xff; // a payload byte of the third record
    writeFileSync(file, bytes);
    const problems: DamageReport[] = [];
    const again = await open(dir, { onCorrupt: (c) => problems.push(c) });
    expect(problems).toEqual([
      expect.objectContaining({ offset: at[2], resumeAt: at[3], lostPoints: 5, torn: false }),
    ]);
    expect(again.depth()).toMatchObject({ points: 20, lostPoints: 5 });
    const lines: string[] = [];
    for (let b = again.read(100); b; b = again.read(100)) {
      lines.push(...b.lines);
      await again.commit(b);
    }
    expect(lines).toEqual([...batch(0, 10), ...batch(15, 10)]);
    expect(existsSync(`${file}.corrupt`)).toBe(true); // kept for inspection once drained
    expect(again.depth()).toMatchObject({ corruptFiles: 1, corruptBytes: bytes.length });
    await again.close();
  });

  it('a damaged header (the length itself is wrong) still resynchronises; lost points are its lines', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir, { segmentBytes: 1_000_000 });
    const batches = Array.from({ length: 4 }, (_, i) => batch(i * 7, 7));
    for (const b of batches) await s.append(b);
    const at = offsets(batches);
    const file = join(dir, segments(dir)[0]!);
    const bytes = readFileSync(file);
    bytes[at[1]! + 5]! ^= 0x7f; // the second record's length field
    bytes[at[3]!]! ^= 0x01; // and the fourth record's magic
    writeFileSync(file, bytes);
    const problems: DamageReport[] = [];
    const again = await open(dir, { onCorrupt: (c) => problems.push(c) });
    expect(problems.map((p) => [p.offset, p.resumeAt, p.lostPoints])).toEqual([
      [at[1], at[2], 7],
      [at[3], at[4], 7],
    ]);
    expect(again.read(100)!.lines).toEqual([...batch(0, 7), ...batch(14, 7)]);
    await again.close();
  });

  it('random damage never crashes open() or read(), and never yields a line that was not appended', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir, { segmentBytes: 1_000_000 });
    for (let i = 0; i < 40; i++) await s.append(batch(i * 3, 3));
    await s.close();
    const file = join(dir, segments(dir)[0]!);
    const good = readFileSync(file);
    const all = new Set(batch(0, 120));
    for (let trial = 0; trial < 30; trial++) {
      const bytes = Buffer.from(good);
      for (let k = 0; k < 1 + (trial % 4); k++)
        bytes[(trial * 7919 + k * 104_729) % bytes.length]! ^= 1 << (trial % 8);
      writeFileSync(file, bytes);
      rmSync(join(dir, 'cursor.json'), { force: true });
      const again = await open(dir);
      const lines: string[] = [];
      for (let b = again.read(1000); b; b = again.read(1000)) lines.push(...b.lines);
      for (const l of lines) expect(all.has(l)).toBe(true);
      expect(lines.length + again.depth().lostPoints).toBeGreaterThanOrEqual(120 - 3 * 2);
      await again.close();
      for (const f of readdirSync(dir))
        if (f.startsWith('seg-') && f !== segments(dir)[0]) rmSync(join(dir, f));
    }
  });

  it('reads a segment written in the old v1 framing (no marker): replayed up to its first bad record', async () => {
    const dir = tempDir('hw-spool-');
    mkdirSync(dir, { recursive: true });
    const v1 = (lines: string[]) => {
      const payload = Buffer.from(lines.join('\n'));
      const head = Buffer.alloc(12);
      head.writeUInt32LE(payload.length, 0);
      head.writeUInt32LE(lines.length, 4);
      head.writeUInt32LE(crc32(payload), 8);
      return Buffer.concat([head, payload]);
    };
    writeFileSync(join(dir, 'seg-000000000001.spool'), Buffer.concat([v1(batch(0, 4)), v1(batch(4, 4))]));
    const s = await open(dir);
    expect(s.depth().points).toBe(8);
    await s.append(batch(8, 2)); // new records go to a new (v2) segment
    const lines: string[] = [];
    for (let b = s.read(100); b; b = s.read(100)) {
      lines.push(...b.lines);
      await s.commit(b);
    }
    expect(lines).toEqual(batch(0, 10));
    await s.close();
  });

  it('.corrupt files count toward the byte budget until an admin removes them', async () => {
    const dir = tempDir('hw-spool-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'seg-000000000001.spool.corrupt'), Buffer.alloc(1_000_000));
    const s = await open(dir, { maxBytes: 1_001_000, segmentBytes: 1_000_000 });
    expect(s.depth()).toMatchObject({ corruptFiles: 1, corruptBytes: 1_000_000 });
    await expect(s.append(batch(0, 40))).rejects.toThrow(/\.corrupt/);
    rmSync(join(dir, 'seg-000000000001.spool.corrupt'));
    await s.append(batch(0, 40));
    expect(s.depth()).toMatchObject({ points: 40, corruptFiles: 0 });
    await s.close();
  });

  it('refuses appends beyond its byte budget with SpoolFullError, and takes them again once drained', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir, { maxBytes: 1200, segmentBytes: 1_000_000 });
    await s.append(batch(0, 20));
    await expect(s.append(batch(20, 20))).rejects.toBeInstanceOf(SpoolFullError);
    const b = s.read(100)!;
    await s.commit(b);
    await s.append(batch(20, 20));
    expect(s.read(100)!.lines).toEqual(batch(20, 20));
    await s.close();
  });
});
