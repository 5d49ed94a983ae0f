// A real influxd 1.6 per test file, on a free port with its own temp data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManagedInfluxd, startInfluxd } from '../../runtime/influxd.ts';

export async function startTestInfluxd(): Promise<ManagedInfluxd & { cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-influxd-'));
  const influx = await startInfluxd({ dataDir: dir });
  return Object.assign(influx, {
    async cleanup() {
      await influx.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
