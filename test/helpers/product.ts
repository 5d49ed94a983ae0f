// The product as `npm start -- --config FILE [--only …]` runs it, for tests that kill it.
//
//   const env = await productEnv({ overrides: { ingest: { flushInterval: '50ms' } } });
//   const all = await env.start();                       // all services, one child process
//   const broker = await env.start({ only: ['broker'] }); // or one process per --only list
//   await all.kill('SIGKILL'); await all.restart();       // kill -9 and start the same command again
//   await env.influxd.stop(); await env.influxd.restart(); // an InfluxDB outage
//   await env.cleanup();                                  // every child by PID, influxd, temp dir
//
// The config is config/hallwatch.example.yaml (the one a hall starts from, default settings), or
// `base`, with free loopback ports for MQTT and the API, a temp dataDir, and a real influxd of its
// own (test/helpers/influxd.ts) on a free port. `npm start` refuses the example's demo secrets, so
// every password and token hash is replaced by one of this test process's own secrets:
// `productPassword(username)`, `productToken(role)`; a process without the broker gets the first
// role-service account in HALLWATCH_MQTT_USERNAME / HALLWATCH_MQTT_PASSWORD. `overrides` are deep-merged into it (arrays are
// replaced, `undefined` deletes a key); the merged config is validated here, so a bad fixture fails
// in the test. Every process of one env shares the config file, the data dir and the influxd,
// like two processes of one installation. A child is ready when each of its services logged
// `started` (pino JSON on stdout); its output is kept in memory and in DATADIR/<name>.log.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALL_SERVICES } from '../../app/options.ts';
import { configSchema } from '../../core/config/schema.ts';
import { freePort } from '../../runtime/ports.ts';
import { hashPassword, hashToken } from '../../runtime/secrets.ts';
import { MQTT_PASSWORD_ENV, MQTT_USERNAME_ENV, type ServiceName } from '../../runtime/service.ts';
import { startTestInfluxd } from './influxd.ts';

const ROOT = join(import.meta.dirname, '../..');
export const EXAMPLE_CONFIG = join(ROOT, 'config/hallwatch.example.yaml');
/** The contract's minimal configuration (CONTRACT §4), verbatim. */
export const CONTRACT_MINIMAL_CONFIG = join(ROOT, 'test/core/config/contract-minimal.yaml');

// Real secrets, new for each test process (never the README's demo ones, which npm start refuses).
const RUN = randomBytes(9).toString('base64url');
/** The MQTT password of `username` in every product env of this test process. */
export const productPassword = (username: string) => `pw-${RUN}-${username}`;
/** The API token of the config's token with `role` in every product env of this test process. */
export const productToken = (role: string) => `tok-${RUN}-${role}`;
const hashes = new Map<string, string>();
/** scrypt is slow on purpose: each username is hashed once per test process. */
const passwordHashOf = (username: string) => {
  const h = hashes.get(username) ?? hashPassword(productPassword(username));
  hashes.set(username, h);
  return h;
};

/** The config with this process's secrets in place of every password and token hash. */
export function withProductSecrets(config: Json): Json {
  const mqtt = config.mqtt as Json | undefined;
  const api = config.api as Json | undefined;
  const users = (mqtt?.users ?? []) as Json[];
  const tokens = (api?.tokens ?? []) as Json[];
  const bridges = config.bridges as Json[] | undefined;
  return {
    ...config,
    ...(mqtt
      ? {
          mqtt: {
            ...mqtt,
            users: users.map((u) => ({ ...u, passwordHash: passwordHashOf(u.username as string) })),
          },
        }
      : {}),
    ...(api
      ? {
          api: {
            ...api,
            tokens: tokens.map((t) => ({ ...t, tokenHash: hashToken(productToken(t.role as string)) })),
          },
        }
      : {}),
    ...(bridges
      ? {
          bridges: bridges.map((b) => ({
            ...b,
            password: productPassword((b.username ?? b.controller) as string),
          })),
        }
      : {}),
  };
}

export type Json = Record<string, unknown>;

/** The example halls with the first hall (cz-main) in service all day, so an equipment fault alerts now. */
export function hallsInServiceNow(): Json[] {
  const halls = (parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as { halls: Json[] }).halls;
  return halls.map((h, i) =>
    i === 0 ? { ...h, calendar: 'none', sessions: { 'mon-sun': ['00:00-24:00'] }, overrides: [] } : h,
  );
}

/**
 * The `notifications` override of one webhook channel `hook` at `url` that gets every alert of
 * `types`, once (no escalation, repeat or resolve notice), with a short retry for tests.
 */
export function webhookNotifications(
  url: string,
  types: string[],
  retry = { initial: '500ms', max: '2s' },
): Json {
  return {
    channels: [{ id: 'hook', type: 'webhook', url }],
    routes: [{ channels: ['hook'], types }],
    escalateAfter: undefined,
    escalateTo: [],
    repeatEvery: undefined,
    notifyResolved: false,
    allowPrivateTargets: ['127.0.0.1/32'],
    retry,
  };
}

export interface ProductEnvOptions {
  /** The config file to start from (default: the example config). */
  base?: string;
  /** Deep-merged into the example config after ports, dataDir and influx are set. */
  overrides?: Json;
  /** false: no influxd (and no influx section unless overrides give one). Default: start one. */
  influxd?: boolean;
  /** Extra environment for every child (e.g. secrets referenced as ${VAR} in overrides). */
  env?: NodeJS.ProcessEnv;
}

export interface StartOptions {
  /** `--only` list; all services when absent (plain `npm start`). */
  only?: ServiceName[];
  /** Name of this process in logs and DATADIR/<name>.log (default: the --only list or "all"). */
  name?: string;
  /** Extra environment for this child. */
  env?: NodeJS.ProcessEnv;
  /** Extra command-line arguments, e.g. `['--halls', 'a,b']` (app/partition.ts). */
  args?: string[];
  /** How long to wait for readiness (default 60 s: the machine may be loaded). */
  readyTimeoutMs?: number;
}

export interface ProductProcess {
  readonly name: string;
  readonly only: ServiceName[];
  /** PID of the running child (changes on restart). */
  readonly pid: number;
  /** Everything this child wrote to stdout/stderr since its last start. */
  output(): string;
  /** Parsed pino lines of the current run (non-JSON lines skipped). */
  logLines(): Json[];
  /** Parsed pino lines of every run of this child (DATADIR/<name>.log), oldest first. */
  allLogLines(): Json[];
  /** Resolves with the first log line (current run) that `match` accepts. */
  waitForLog(match: (line: Json) => boolean, timeoutMs?: number, what?: string): Promise<Json>;
  /** Sends a signal and waits for the exit (SIGKILL = kill -9). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the same command again (after kill or stop) and waits for readiness. */
  restart(): Promise<void>;
  /** SIGTERM (a clean stop), SIGKILL after 20 s. */
  stop(): Promise<void>;
  exited(): boolean;
}

export interface ProductEnv {
  dir: string;
  configFile: string;
  /** The config as written (before defaults), for reading ports and users. */
  config: Json;
  mqttUrl: string;
  apiUrl: string | undefined;
  influxd: Awaited<ReturnType<typeof startTestInfluxd>> | undefined;
  /** The influx database the ingest writes to. */
  database: string;
  start(o?: StartOptions): Promise<ProductProcess>;
  processes: ProductProcess[];
  cleanup(): Promise<void>;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Json, v) : v;
  }
  return out;
}

export async function productEnv(o: ProductEnvOptions = {}): Promise<ProductEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-product-'));
  const influxd = o.influxd === false ? undefined : await startTestInfluxd();
  const base = withProductSecrets(parse(readFileSync(o.base ?? EXAMPLE_CONFIG, 'utf8')) as Json);
  const mqttPort = await freePort();
  const apiPort = await freePort();
  const placed: Json = {
    dataDir: join(dir, 'data'),
    mqtt: { listen: { host: '127.0.0.1', port: mqttPort } },
    ...(base.api ? { api: { listen: { host: '127.0.0.1', port: apiPort } } } : {}),
    ...(influxd ? { influx: { url: influxd.url } } : { influx: undefined }),
  };
  const config = deepMerge(deepMerge(base, placed), o.overrides ?? {});
  configSchema.parse(config); // a bad fixture fails here, not silently in the child
  const configFile = join(dir, 'hallwatch.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const listen = (config.mqtt as Json).listen as { port: number } | undefined;
  const api = config.api as { listen: { port: number } } | undefined;
  const processes: ProductProcess[] = [];

  const env: ProductEnv = {
    dir,
    configFile,
    config,
    mqttUrl: `mqtt://127.0.0.1:${listen?.port ?? mqttPort}`,
    apiUrl: api ? `http://127.0.0.1:${api.listen.port}` : undefined,
    influxd,
    database: ((config.influx as Json | undefined)?.database as string | undefined) ?? 'hallwatch',
    processes,
    start: async (s = {}) => {
      const p = spawnProduct(configFile, dir, s, { ...serviceLogin(config), ...o.env, ...s.env });
      processes.push(p);
      await p.restart();
      return p;
    },
    async cleanup() {
      await Promise.all(processes.map((p) => p.kill('SIGKILL')));
      await influxd?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

/** What a process without the broker logs in with (the first role-service account). */
function serviceLogin(config: Json): NodeJS.ProcessEnv {
  const users = ((config.mqtt as Json | undefined)?.users ?? []) as Json[];
  const svc = users.find((u) => u.role === 'service');
  if (!svc) return {};
  const username = svc.username as string;
  return { [MQTT_USERNAME_ENV]: username, [MQTT_PASSWORD_ENV]: productPassword(username) };
}

function spawnProduct(
  configFile: string,
  dir: string,
  s: StartOptions,
  extraEnv: NodeJS.ProcessEnv,
): ProductProcess {
  const only = s.only ?? [...ALL_SERVICES];
  const name = s.name ?? (s.only ? only.join('+') : 'all');
  const args = [
    '--import',
    'tsx',
    'app/start.ts',
    '--config',
    configFile,
    ...(s.only ? ['--only', only.join(',')] : []),
    ...(s.args ?? []),
  ];
  const logFile = join(dir, `${name}.log`);
  let child: ChildProcess | undefined;
  let out = '';
  let exit: Promise<void> = Promise.resolve();

  const parsed = (text = out): Json[] => {
    const lines: Json[] = [];
    for (const l of text.split('\n')) {
      if (!l.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(l) as Json);
      } catch {
        // a line cut by kill -9
      }
    }
    return lines;
  };
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;

  const waitForLog: ProductProcess['waitForLog'] = async (match, timeoutMs = 60_000, what = 'log line') => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const hit = parsed().find(match);
      if (hit) return hit;
      if (exited())
        throw new Error(
          `${name} exited (${child?.exitCode ?? child?.signalCode}) before ${what}:\n${out.slice(-3000)}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${name}: no ${what} within ${timeoutMs} ms:\n${out.slice(-3000)}`);
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (exited()) return;
    child!.kill(signal);
    await exit;
  };

  const p: ProductProcess = {
    name,
    only,
    get pid() {
      return child?.pid ?? -1;
    },
    output: () => out,
    logLines: () => parsed(),
    allLogLines: () => parsed(readFileSync(logFile, 'utf8')),
    waitForLog,
    kill,
    async stop() {
      if (exited()) return;
      const t = setTimeout(() => child?.kill('SIGKILL'), 20_000);
      await kill('SIGTERM');
      clearTimeout(t);
    },
    exited,
    async restart() {
      if (!exited()) throw new Error(`${name} is still running (pid ${child!.pid}): kill or stop it first`);
      out = '';
      appendFileSync(logFile, `--- start ${new Date().toISOString()} ${args.join(' ')}\n`);
      const c = spawn(process.execPath, args, {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HALLWATCH_CONFIG: '', ...extraEnv },
      });
      child = c;
      exit = new Promise((r) => c.once('exit', () => r()));
      const take = (d: Buffer) => {
        const text = d.toString();
        out += text;
        appendFileSync(logFile, text);
      };
      c.stdout!.on('data', take);
      c.stderr!.on('data', take);
      for (const svc of only)
        await waitForLog(
          (l) => l.msg === 'started' && l.service === svc,
          s.readyTimeoutMs ?? 60_000,
          `"${svc} started"`,
        );
    },
  };
  return p;
}

/** Cleans up every env of a test file even when a test failed half-way. */
export function productEnvs(): {
  make(o?: ProductEnvOptions): Promise<ProductEnv>;
  cleanup(): Promise<void>;
} {
  const envs: ProductEnv[] = [];
  return {
    async make(o) {
      const e = await productEnv(o);
      envs.push(e);
      return e;
    },
    async cleanup() {
      await Promise.all(envs.splice(0).map((e) => e.cleanup()));
    },
  };
}
