// The shared writer suite against Debian's influxd 1.6.7 through the v1 line-protocol writer.
import { createV1Writer } from '../../../ingest/writers/v1.ts';
import { freePort } from '../../../runtime/ports.ts';
import { startTestInfluxd } from '../../helpers/influxd.ts';
import { describeWriter, type StoredValue } from './writer-suite.ts';

describeWriter('v1 (influxd 1.6.7)', async () => {
  const influx = await startTestInfluxd();
  const opts = { database: 'suite', timeoutMs: 5000, maxSockets: 2 };
  return {
    writer: createV1Writer({ url: influx.url, ...opts }),
    deadWriter: createV1Writer({ url: `http://127.0.0.1:${await freePort()}`, ...opts }),
    refusesBadLines: true,
    async read(measurement) {
      const r = await influx.query(`SELECT * FROM "${measurement}" GROUP BY *`, 'suite');
      const out: StoredValue[] = [];
      for (const s of r.results[0]?.series ?? []) {
        const tags = Object.entries(s.tags ?? {})
          .filter(([, v]) => v !== '')
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `,${k}=${v}`)
          .join('');
        for (const row of s.values)
          s.columns.forEach((c, i) => {
            const v = row[i];
            if (c === 'time' || v === null || typeof v === 'string') return;
            out.push({ series: `${measurement}${tags}`, field: c, time: row[0] as number, value: Number(v) });
          });
      }
      return out;
    },
    cleanup: () => influx.cleanup(),
  };
});
