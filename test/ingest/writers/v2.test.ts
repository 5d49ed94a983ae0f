// The shared writer suite through the v2 writer (@influxdata/influxdb-client) against Debian's
// victoria-metrics, which accepts /api/v2/write; read back through its /api/v1/export.
// Started with -dedup.minScrapeInterval=1ms so that a rewritten point replaces itself, as in InfluxDB.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createV2Writer } from '../../../ingest/writers/v2.ts';
import { freePort } from '../../../runtime/ports.ts';
import { describeWriter, type StoredValue } from './writer-suite.ts';

async function startVictoria(): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hw-vm-'));
  const child = spawn(
    'victoria-metrics',
    [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dir}`,
      '-dedup.minScrapeInterval=1ms',
      '-loggerLevel=ERROR',
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child, dir };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('victoria-metrics did not start');
}

describeWriter('v2 (victoria-metrics /api/v2/write)', async () => {
  const vm = await startVictoria();
  const opts = { org: 'hallwatch', bucket: 'suite', timeoutMs: 5000 };
  return {
    writer: createV2Writer({ url: vm.url, ...opts }),
    deadWriter: createV2Writer({ url: `http://127.0.0.1:${await freePort()}`, ...opts }),
    refusesBadLines: false,
    async read(measurement) {
      await fetch(`${vm.url}/internal/force_flush`);
      const body = new URLSearchParams({ 'match[]': `{__name__=~"${measurement}_.*"}` });
      const text = await (await fetch(`${vm.url}/api/v1/export`, { method: 'POST', body })).text();
      const out: StoredValue[] = [];
      for (const l of text.split('\n').filter(Boolean)) {
        const { metric, values, timestamps } = JSON.parse(l) as {
          metric: Record<string, string>;
          values: number[];
          timestamps: number[];
        };
        const { __name__: name, db: _db, ...tags } = metric;
        const series = `${measurement}${Object.keys(tags)
          .sort()
          .map((k) => `,${k}=${tags[k]}`)
          .join('')}`;
        const field = name!.slice(measurement.length + 1);
        values.forEach((v, i) => {
          out.push({ series, field, time: timestamps[i]!, value: v });
        });
      }
      return out;
    },
    async cleanup() {
      const exited = new Promise((r) => vm.child.once('exit', r));
      vm.child.kill('SIGTERM');
      await exited;
      rmSync(vm.dir, { recursive: true, force: true });
    },
  };
});
