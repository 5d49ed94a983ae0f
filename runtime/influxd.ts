// Debian's influxd 1.x as a managed child: own config, data dir and loopback ports.
// Used by the demo (data/influxdb) and by integration tests (a temp dir each).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export class InfluxdMissingError extends Error {
  constructor() {
    super('influxd not found: install it with `sudo apt-get install influxdb` (Debian/Ubuntu)');
  }
}

export interface ManagedInfluxd {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  /** SIGTERM and wait for exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Start again on the same port and data dir (after stop), e.g. to end an outage. */
  restart(): Promise<void>;
  query(q: string, db?: string): Promise<InfluxQueryResult>;
}

export interface InfluxQueryResult {
  results: {
    statement_id: number;
    series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[];
    error?: string;
  }[];
}

export function hasInfluxd(): boolean {
  try {
    execFileSync('influxd', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `influxd config` defaults with every directory under dataDir and every bind on 127.0.0.1. */
function influxConfig(dataDir: string, httpPort: number, rpcPort: number): string {
  let c = execFileSync('influxd', ['config'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  c = c
    .replace(/^bind-address = .*$/m, `bind-address = "127.0.0.1:${rpcPort}"`)
    .replace(/dir = "\/var\/lib\/influxdb\/meta"/, `dir = "${dataDir}/meta"`)
    .replace(/dir = "\/var\/lib\/influxdb\/data"/, `dir = "${dataDir}/data"`)
    .replace(/wal-dir = "\/var\/lib\/influxdb\/wal"/, `wal-dir = "${dataDir}/wal"`)
    .replace(/(\[http\][\s\S]*?)bind-address = ":8086"/, `$1bind-address = "127.0.0.1:${httpPort}"`)
    .replace(/(\[http\][\s\S]*?)log-enabled = true/, '$1log-enabled = false')
    .replace(/(\[ifql\][\s\S]*?)bind-address = ":8082"/, '$1bind-address = "127.0.0.1:0"')
    .replace(/reporting-enabled = .*/, 'reporting-enabled = false')
    .replace(/(\[monitor\][\s\S]*?)store-enabled = true/, '$1store-enabled = false');
  if (/:8086"|"\/var\/lib/.test(c)) throw new Error('influxd config substitution failed');
  return c;
}

export async function startInfluxd(opts: {
  dataDir: string;
  port?: number;
  logFile?: string;
}): Promise<ManagedInfluxd> {
  if (!hasInfluxd()) throw new InfluxdMissingError();
  const dataDir = opts.dataDir;
  mkdirSync(dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const rpcPort = await freePort();
  const conf = join(dataDir, 'influxd.conf');
  writeFileSync(conf, influxConfig(dataDir, port, rpcPort));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;

  const launch = async () => {
    const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
    child = spawn('influxd', ['-config', conf], { stdio: ['ignore', out, out] });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`influxd exited with ${code} during start`))),
    );
    exited.catch(() => {});
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${url}/ping`);
        if (r.status === 204) return;
      } catch {
        // not up yet
      }
      if (child.exitCode !== null) await exited;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`influxd did not answer on ${url} within 30 s`);
  };
  await launch();

  const handle: ManagedInfluxd = {
    url,
    port,
    dataDir,
    get pid() {
      return child.pid ?? -1;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(t);
    },
    async restart() {
      await handle.stop();
      await launch();
    },
    async query(q, db) {
      const u = new URL(`${url}/query`);
      u.searchParams.set('q', q);
      if (db) u.searchParams.set('db', db);
      u.searchParams.set('epoch', 'ms');
      const r = await fetch(u, { method: 'POST' });
      const j = (await r.json()) as InfluxQueryResult & { error?: string };
      const err = j.error ?? j.results?.find((x) => x.error)?.error;
      if (err) throw new Error(`influx query "${q}": ${err}`);
      return j;
    },
  };
  return handle;
}
