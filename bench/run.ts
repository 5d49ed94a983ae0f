// npm run bench: every benchmark in one run, one after the other (they share the 2 cores, so
// never in parallel). Each writes its own section of docs/PERFORMANCE.md.
//   npm run bench -- [broker,alerts,alerts-cost,stats,ingest]   (default: all; ingest is the long one, ~45 min)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ALL = ['broker', 'alerts', 'alerts-cost', 'stats', 'ingest'];
const chosen = (process.argv[2] ?? ALL.join(',')).split(',');
const root = resolve(import.meta.dirname, '..');
let failed = 0;
for (const name of chosen) {
  const file = resolve(root, 'bench', `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench/${name}.ts not found (choose from ${ALL.join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n=== bench:${name} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench:${name} failed with exit ${r.status}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
