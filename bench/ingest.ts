// `npm run bench:ingest` — HallWatch's ingest beside the peers (Node-RED, the hand-written
// baseline) in ../shared/bench, in one run: capacity, outage (influxd down 30 s) and crash
// (kill -9) parts; then the extras of issue 9 (bench/ingest-extras.ts): the raw influxd write
// ceiling, how fast a 5-minute backlog drains, and end-to-end capacity through the embedded broker.
// usage: npm run bench:ingest -- [reps=3] [parts=capacity,outage,crash] [subjects=nodered,baseline,hallwatch] [--no-extras] [--extras-only]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../runtime/ports.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = resolve(ROOT, '../shared/bench');
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [reps = '3', parts = 'capacity,outage,crash', subjects = 'nodered,baseline,hallwatch'] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = join(ROOT, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const out = join(resultsDir, `ingest-pipeline-${stamp}.json`);

if (
  !existsSync(join(BENCH, 'node_modules/mqtt')) ||
  !existsSync(join(BENCH, '.nodered/node_modules/node-red/red.js'))
) {
  console.log('setting up ../shared/bench (Node-RED, npm deps) …');
  const r = spawnSync(join(BENCH, 'setup.sh'), { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The subject runs from an esbuild bundle of the same TypeScript (no tsx loader in the process):
// under load, tsx's start-up took seconds, and the bench starts publishing about a second after
// it starts a subject. Same code, validation and durability; only the module loading differs.
const buildDir = join(resultsDir, '.build');
const esbuild = await import('esbuild');
await esbuild.build({
  entryPoints: [join(ROOT, 'bench/ingest-subject.ts')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: buildDir,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});

// Own ports and scratch dir, so a teammate's run on the same machine does not collide.
const env = {
  ...process.env,
  BENCH_MOSQ_PORT: String(await freePort()),
  BENCH_INFLUX_PORT: String(await freePort()),
  BENCH_INFLUX_RPC_PORT: String(await freePort()),
  BENCH_NODERED_PORT: String(await freePort()),
  BENCH_SCRATCH: process.env.BENCH_SCRATCH ?? join(tmpdir(), `hw-bench-ingest-${process.pid}`),
  BENCH_SUBJECTS: JSON.stringify({
    hallwatch: {
      // one node process (no wrapper), so that the bench's SIGKILL hits the ingest itself
      cmd: `${process.execPath} ${join(buildDir, 'ingest-subject.mjs')} {mqttUrl} {influxUrl} {db} {dataDir}`,
      cwd: ROOT,
      measurement: 'seat',
      field: 'occupied',
      bounds: [2000, 200000],
    },
  }),
};

const run = (cmd: string, args: string[]) =>
  new Promise<number>((res) => {
    const child = spawn(cmd, args, { cwd: BENCH, env, stdio: 'inherit' });
    child.on('exit', (code) => res(code ?? 1));
  });

const machine = `${(await import('node:os')).cpus()[0]?.model} × ${(await import('node:os')).cpus().length}, ${Math.round((await import('node:os')).totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(JSON.stringify({ machine, out, scratch: env.BENCH_SCRATCH }));

if (!flags.includes('--extras-only')) {
  const code = await run(process.execPath, [
    join(BENCH, 'pipeline-bench.mjs'),
    reps,
    parts,
    '1000',
    out,
    subjects,
  ]);
  if (code !== 0) process.exit(code);
  summarize(out);
}
if (!flags.includes('--no-extras')) {
  const extras = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'bench/ingest-extras.ts'),
      join(resultsDir, `ingest-extras-${stamp}.json`),
    ],
    {
      cwd: ROOT,
      env,
      stdio: 'inherit',
    },
  );
  await new Promise((r) => extras.on('exit', r));
}

/** The table of docs/PERFORMANCE.md: medians (min–max) per subject, ratios from the same reps. */
function summarize(file: string): void {
  const j = JSON.parse(readFileSync(file, 'utf8')) as {
    runs: {
      rep: number;
      part: string;
      subject: string;
      capacityPerSec?: number;
      lost?: number;
      sent?: number;
      subjectRssMiB?: number;
    }[];
  };
  const kinds = [...new Set(j.runs.map((r) => r.subject))];
  const fmt = (xs: number[]) =>
    xs.length
      ? `${median(xs).toLocaleString('en')}${xs.length > 1 ? ` (${Math.min(...xs).toLocaleString('en')}–${Math.max(...xs).toLocaleString('en')})` : ''}`
      : '–';
  console.log(
    '\n| subject | capacity msg/s | outage lost / sent | outage RSS MiB | crash lost / sent |\n|---|---|---|---|---|',
  );
  for (const k of kinds) {
    const of = (p: string) => j.runs.filter((r) => r.subject === k && r.part === p);
    console.log(
      `| ${k} | ${fmt(of('capacity').map((r) => r.capacityPerSec!))} | ${fmt(of('outage').map((r) => r.lost!))} / ${fmt(of('outage').map((r) => r.sent!))} | ${fmt(of('outage').map((r) => Math.round(r.subjectRssMiB!)))} | ${fmt(of('crash').map((r) => r.lost!))} / ${fmt(of('crash').map((r) => r.sent!))} |`,
    );
  }
  const cap = (k: string, rep: number) =>
    j.runs.find((r) => r.part === 'capacity' && r.subject === k && r.rep === rep)?.capacityPerSec;
  const reps = [...new Set(j.runs.map((r) => r.rep))];
  for (const peer of ['baseline', 'nodered']) {
    const ratios = reps
      .map((r) => (cap('hallwatch', r) ?? Number.NaN) / (cap(peer, r) ?? Number.NaN))
      .filter(Number.isFinite);
    if (ratios.length)
      console.log(`hallwatch/${peer} capacity per rep: ${ratios.map((x) => x.toFixed(2)).join(', ')}`);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}
