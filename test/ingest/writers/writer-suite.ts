// One test suite for every Writer (like aedes-persistence's abstract suite): each backend file
// starts its real server and calls describeWriter with a way to read points back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAll } from '../../../ingest/delivery/write-all.ts';
import { WriteError, type Writer } from '../../../ingest/writers/types.ts';

/** One stored numeric value: series key (measurement + sorted tags), field, time in ms. */
export interface StoredValue {
  series: string;
  field: string;
  time: number;
  value: number;
}

export interface WriterBackend {
  writer: Writer;
  /** A writer pointed at a port where nothing listens. */
  deadWriter: Writer;
  /** Numeric values of `measurement` (booleans as 0/1). */
  read(measurement: string): Promise<StoredValue[]>;
  /** Whether the server refuses unparsable lines (InfluxDB) or skips them silently (VictoriaMetrics). */
  refusesBadLines: boolean;
  cleanup(): Promise<void>;
}

const T = Date.now() - 3_600_000;
const seat = (i: number, occupied = i % 2 === 0) =>
  `seat,counter=c${String(i % 50).padStart(2, '0')},hall=h1,seat=s1 occupied=${occupied},seq=${i}i ${T + i}`;

export function describeWriter(name: string, start: () => Promise<WriterBackend>): void {
  describe(`writer ${name}`, () => {
    let b: WriterBackend;
    beforeAll(async () => {
      b = await start();
      await b.writer.ensureSchema();
    });
    afterAll(async () => {
      await b?.writer.close();
      await b?.deadWriter.close();
      await b?.cleanup();
    });

    it('stores tags, numeric and boolean fields at the given millisecond time', async () => {
      await b.writer.write([
        `env,hall=h1,sensor=env1 temperature=21.5,co2=812 ${T - 10}`,
        `seat,counter=c99,hall=h1,seat=s2 occupied=true,seq=17i ${T - 5}`,
      ]);
      expect(await b.read('env')).toEqual(
        expect.arrayContaining([
          { series: 'env,hall=h1,sensor=env1', field: 'temperature', time: T - 10, value: 21.5 },
          { series: 'env,hall=h1,sensor=env1', field: 'co2', time: T - 10, value: 812 },
        ]),
      );
      const s = (await b.read('seat')).filter((v) => v.series === 'seat,counter=c99,hall=h1,seat=s2');
      expect(s).toEqual(
        expect.arrayContaining([
          { series: 'seat,counter=c99,hall=h1,seat=s2', field: 'occupied', time: T - 5, value: 1 },
          { series: 'seat,counter=c99,hall=h1,seat=s2', field: 'seq', time: T - 5, value: 17 },
        ]),
      );
    });

    it('stores a 5,000-line batch, and writing it again changes nothing (same series and time overwrite)', async () => {
      const lines = Array.from({ length: 5000 }, (_, i) => seat(i));
      await b.writer.write(lines);
      await b.writer.write(lines);
      const occupied = (await b.read('seat')).filter((v) => v.field === 'occupied' && v.time >= T);
      expect(occupied).toHaveLength(5000);
    });

    it('keeps the good lines of a batch that holds a bad one, and names the bad one', async () => {
      const lines = [seat(6001), 'seat,hall=h1 occupied=notaboolean 1', seat(6002), seat(6003)];
      const r = await writeAll(b.writer, lines);
      const stored = (await b.read('seat')).filter((v) => v.field === 'occupied' && v.time > T + 6000);
      expect(stored.map((v) => v.time).sort()).toEqual([T + 6001, T + 6002, T + 6003]);
      if (b.refusesBadLines) {
        expect(r.rejected.map((x) => x.line)).toEqual(['seat,hall=h1 occupied=notaboolean 1']);
        expect(r.stored).toBe(3);
      } else expect(r.rejected).toEqual([]);
    });

    it('reports an unreachable server as a retryable failure (the batch goes to the spool)', async () => {
      const e = await b.deadWriter.write([seat(7000)]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WriteError);
      expect((e as WriteError).kind).toBe('retry');
    });
  });
}
