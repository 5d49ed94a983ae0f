// The on-disk spool: order, segments, restart after a crash, torn and corrupt tails, the budget.
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool, SpoolFullError } from '../../../ingest/spool/spool.ts';
import { tempDir } from '../helpers.ts';

const batch = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `seat,hall=h1 occupied=true ${from + i}`);
const open = async (dir: string, o: Partial<ConstructorParameters<typeof Spool>[0]> = {}) => {
  const s = new Spool({ dir, maxBytes: 10_000_000, segmentBytes: 1024, fsync: true, ...o });
  await s.open();
  return s;
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

  it('a torn last record (crash during append) is dropped; the records before it are replayed', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir, { segmentBytes: 1_000_000 });
    await s.append(batch(0, 5));
    await s.append(batch(5, 5));
    await s.append(batch(10, 5));
    const [seg] = segments(dir);
    const file = join(dir, seg!);
    truncateSync(file, readFileSync(file).length - 7);
    const problems: unknown[] = [];
    const again = await open(dir, { onCorrupt: (c) => problems.push(c) });
    expect(problems).toEqual([expect.objectContaining({ lostBytes: expect.any(Number) })]);
    const b = again.read(100)!;
    expect(b.lines).toEqual(batch(0, 10));
    await again.commit(b);
    expect(existsSync(`${file}.corrupt`)).toBe(true); // kept for inspection once drained
    await again.close();
  });

  it('a corrupt record stops the segment there: earlier records replay, the rest is reported lost', async () => {
    const dir = tempDir('hw-spool-');
    const s = await open(dir, { segmentBytes: 1_000_000 });
    for (let i = 0; i < 3; i++) await s.append(batch(i * 5, 5));
    const file = join(dir, segments(dir)[0]!);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff; // flip a byte in the middle record
    writeFileSync(file, bytes);
    const problems: { lostBytes: number }[] = [];
    const again = await open(dir, { onCorrupt: (c) => problems.push(c) });
    expect(problems[0]!.lostBytes).toBeGreaterThan(0);
    expect(again.read(100)!.lines).toEqual(batch(0, 5));
    await again.close();
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
