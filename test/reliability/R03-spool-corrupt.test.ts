// R3: a torn and corrupt spool (the last record cut short, a byte flipped in the middle of a
// segment) found at start: the ingest starts, skips the bad record (resynchronising on the next
// good one), reports the lost points in health, keeps the segment as .corrupt and replays the rest.
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEADER_BYTES, scanSegment } from '../../ingest/spool/record.ts';
import { productEnvs } from '../helpers/product.ts';
import { allAcked, controllers, HALL, ingestHealth, missing, storedSeats, waitUntil } from './harness.ts';

const envs = productEnvs();
afterAll(() => envs.cleanup());

/** `counter:ts` of the seat lines in a record payload. */
const seatKeys = (payload: string) =>
  payload
    .split('\n')
    .map((l) => /^seat,counter=([^,]+),hall=[^,]+,seat=\S+ \S+ (\d+)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}:${m[2]}`);

describe('R3 torn or corrupt spool', () => {
  it('R3 a corrupt record and a torn tail: the ingest starts, reports the lost points, replays everything else', async () => {
    const env = await envs.make({ overrides: { ingest: { spoolSegmentBytes: 65_536 } } });
    const product = await env.start({ readyTimeoutMs: 180_000 });
    const cs = await controllers(env, 3, Date.now() - 3_600_000);
    await env.influxd!.stop();
    for (const c of cs) c.stream(30);
    await new Promise((r) => setTimeout(r, 6000));
    for (const c of cs) c.stop();
    await Promise.all(cs.map((c) => c.settled()));
    const accepted = allAcked(cs);
    await waitUntil('everything spooled', async () => {
      const d = (await ingestHealth(env)).details;
      return (d.pendingBatches as number) === 0;
    });
    await product.kill('SIGKILL');

    // Damage: flip a payload byte of a record in the middle of the biggest segment; cut the last
    // segment's tail as a crash during an append would.
    const dir = join(env.dir, 'data/ingest/spool');
    const segs = readdirSync(dir)
      .filter((f) => f.endsWith('.spool'))
      .sort();
    const biggest = segs.reduce((a, b) =>
      statSync(join(dir, b)).size > statSync(join(dir, a)).size ? b : a,
    );
    const file = join(dir, biggest);
    const bytes = readFileSync(file);
    const { records } = scanSegment(bytes);
    expect(records.length).toBeGreaterThan(4);
    const victim = records[Math.floor(records.length / 2)]!;
    const payload = bytes.subarray(victim.offset + HEADER_BYTES, victim.offset + victim.length);
    const lostSeats = seatKeys(payload.toString('utf8'));
    bytes[victim.offset + HEADER_BYTES + 10]! ^= 0x20;
    writeFileSync(file, bytes);
    appendFileSync(join(dir, segs.at(-1)!), bytes.subarray(records[0]!.offset, records[0]!.offset + 30));

    await env.influxd!.restart();
    await product.restart();
    await product.waitForLog((l) => /SPOOL DAMAGE/.test(String(l.msg)), 30_000, 'the spool damage error');
    await waitUntil(
      'spool drained',
      async () => ((await ingestHealth(env)).details.spoolDepth as { points: number }).points === 0,
      120_000,
    );
    const h = await ingestHealth(env);
    expect(h.status).toBe('degraded');
    expect(h.details.spoolDepth).toMatchObject({ lostPoints: victim.points, corruptFiles: 1 });
    expect(readdirSync(dir)).toContain(`${biggest}.corrupt`);
    // Exactly the points of the damaged record are missing; every other accepted point is stored.
    await waitUntil('the rest stored', async () => {
      const gone = missing(accepted, await storedSeats(env));
      return gone.length === lostSeats.length;
    });
    expect(missing(accepted, await storedSeats(env)).sort()).toEqual(lostSeats.sort());
    expect(lostSeats.every((k) => k.startsWith('w0'))).toBe(true);
    expect(HALL).toBe('cz-main');
    await Promise.all(cs.map((c) => c.end()));
  }, 300_000);
});
