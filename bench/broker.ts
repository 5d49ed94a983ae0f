// npm run bench:broker [-- --messages 400 --rate 20 --seconds 5]
// Broker throughput and publish→deliver latency, QoS 0 and 1, 50 publishers and one service
// subscriber, for the HallWatch broker (aedes + auth/ACL/limits), bare aedes, and Debian's
// Mosquitto with an equivalent password file and ACL — each broker in its own process, the
// clients in this one. Writes the table under "## Broker" in docs/PERFORMANCE.md.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { stringify } from 'yaml';
import { freePort } from '../runtime/ports.ts';
import { hashPassword } from '../runtime/secrets.ts';

const PUBLISHERS = 50;
const pw = (u: string) => `bench-${u}`;
const users = Array.from({ length: PUBLISHERS }, (_, i) => `ctl-b${String(i + 1).padStart(2, '0')}`);
const counterOf = (u: string) => u.slice(4);

// ---- child mode: serve one broker and print its port ----
const argv = process.argv.slice(2);
if (argv[0] === '--serve-hallwatch' || argv[0] === '--serve-aedes') {
  if (argv[0] === '--serve-hallwatch') {
    const { loadConfig } = await import('../app/config.ts');
    const { startBroker } = await import('../broker/index.ts');
    const { createLogger } = await import('../runtime/logger.ts');
    const { systemClock } = await import('../core/clock.ts');
    const config = loadConfig(argv[1]!);
    const b = await startBroker({
      config,
      logger: createLogger('error'),
      clock: systemClock,
      mqtt: { url: '' },
      services: new Map(),
    });
    console.log(`PORT ${b.addresses.tcp!.port}`);
  } else {
    const { Aedes } = await import('aedes');
    const aedes = await Aedes.createBroker();
    const server = createServer(aedes.handle);
    server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as { port: number }).port}`));
  }
} else {
  await main();
}

interface Row {
  broker: string;
  qos: 0 | 1;
  throughput: number;
  delivered: number;
  sent: number;
  p50: number;
  p99: number;
  max: number;
}

async function startChild(cmd: string, args: string[]): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}`)));
  });
  return { proc, port };
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
        username: 'svc-bench',
        password: pw('svc-bench'),
        reconnectPeriod: 0,
        connectTimeout: 1000,
      });
      c.once('connect', () => {
        resolve(true);
        c.end(true);
      });
      c.once('error', () => resolve(false));
      c.once('close', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`broker on ${port} not reachable`);
}

function connectAs(port: number, username: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      username,
      password: pw(username),
      clientId: username,
      reconnectPeriod: 0,
    });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/** One broker, one QoS: a blast for throughput, then a paced run for latency. */
async function measure(
  broker: string,
  port: number,
  qos: 0 | 1,
  o: { messages: number; rate: number; seconds: number },
): Promise<Row> {
  const sub = await connectAs(port, 'svc-bench');
  const pubs = await Promise.all(users.map((u) => connectAs(port, u)));
  let received = 0;
  let lastAt = 0;
  const latencies: number[] = [];
  let measuring = false;
  sub.on('message', (_t, payload) => {
    received++;
    lastAt = performance.now();
    if (measuring) latencies.push(lastAt - Number(JSON.parse(payload.toString()).sent));
  });
  await sub.subscribeAsync('hall/bench/#', { qos });
  const topic = (u: string) => `hall/bench/counter/${counterOf(u)}/seat/s1`;
  const body = (seq: number) =>
    JSON.stringify({ occupied: seq % 2 === 0, ts: Date.now(), seq, sent: performance.now() });
  const idle = async (expected: number) => {
    while (received < expected) {
      const before = received;
      await new Promise((r) => setTimeout(r, 1500));
      if (received === before) break; // QoS 0 may lose messages: stop when nothing more comes
    }
  };

  // Throughput: every publisher sends `messages` as fast as its connection takes them.
  const sent = PUBLISHERS * o.messages;
  const t0 = performance.now();
  pubs.forEach((c, i) => {
    for (let s = 0; s < o.messages; s++) c.publish(topic(users[i]!), body(s), { qos });
  });
  await idle(sent);
  const delivered = received;
  const throughput = delivered / ((lastAt - t0) / 1000);

  // Latency: a steady load of `rate` messages per second per publisher.
  received = 0;
  measuring = true;
  const paced = PUBLISHERS * o.rate * o.seconds;
  const timers = pubs.map((c, i) => {
    let s = 0;
    return setInterval(() => {
      if (s < o.rate * o.seconds) c.publish(topic(users[i]!), body(s++), { qos });
    }, 1000 / o.rate);
  });
  await new Promise((r) => setTimeout(r, o.seconds * 1000 + 200));
  timers.forEach(clearInterval);
  await idle(paced);
  measuring = false;
  latencies.sort((a, b) => a - b);
  await Promise.all([...pubs, sub].map((c) => c.endAsync(true)));
  return {
    broker,
    qos,
    throughput,
    delivered,
    sent,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: latencies.at(-1) ?? NaN,
  };
}

function hallwatchConfig(dir: string): string {
  const file = join(dir, 'hallwatch.yaml');
  writeFileSync(
    file,
    stringify({
      dataDir: join(dir, 'data'),
      mqtt: {
        listen: { host: '127.0.0.1', port: 0 },
        // The bench measures the broker, not the per-device limiter: raise it out of the way.
        limits: { maxPacketBytes: 16384, maxMessagesPerSecond: 1_000_000, maxConnections: 5000 },
        users: [
          ...users.map((u) => ({
            username: u,
            passwordHash: hashPassword(pw(u)),
            role: 'counter',
            hall: 'bench',
            counter: counterOf(u),
          })),
          { username: 'svc-bench', passwordHash: hashPassword(pw('svc-bench')), role: 'service' },
        ],
      },
      halls: [
        {
          id: 'bench',
          name: '基准测试大厅',
          calendar: 'none',
          sessions: { 'mon-sun': ['00:00-24:00'] },
          counters: users.map((u) => ({ id: counterOf(u), name: u, controller: u, seats: ['s1'] })),
        },
      ],
    }),
  );
  return file;
}

function mosquittoConfig(dir: string, port: number): string {
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  for (const u of [...users, 'svc-bench']) execFileSync('mosquitto_passwd', ['-b', passwd, u, pw(u)]);
  const acl = [
    ...users.flatMap((u) => [`user ${u}`, `topic write hall/bench/counter/${counterOf(u)}/#`, '']),
    'user svc-bench',
    'topic read hall/#',
  ].join('\n');
  writeFileSync(join(dir, 'acl'), `${acl}\n`);
  chmodSync(passwd, 0o644);
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${passwd}`,
      `acl_file ${join(dir, 'acl')}`,
      'persistence false',
      'max_queued_messages 1000000',
      'log_type error',
    ].join('\n'),
  );
  return conf;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { messages: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' } },
  });
  const o = {
    messages: Number(values.messages ?? 400),
    rate: Number(values.rate ?? 20),
    seconds: Number(values.seconds ?? 5),
  };
  const dir = mkdtempSync(join(tmpdir(), 'hw-bench-broker-'));
  // Mosquitto started as root drops to its own user, which must read its password file and ACL.
  chmodSync(dir, 0o755);
  const rows: Row[] = [];
  const children: ChildProcess[] = [];
  try {
    const self = join(import.meta.dirname, 'broker.ts');
    const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
    const hw = await startChild(tsx, [self, '--serve-hallwatch', hallwatchConfig(dir)]);
    children.push(hw.proc);
    const bare = await startChild(tsx, [self, '--serve-aedes']);
    children.push(bare.proc);
    const mport = await freePort();
    const mosq = spawn('mosquitto', ['-c', mosquittoConfig(dir, mport)], { stdio: 'inherit' });
    children.push(mosq);
    await waitPort(mport);
    for (const qos of [0, 1] as const)
      for (const [name, port] of [
        ['HallWatch broker (aedes + auth/ACL/limits)', hw.port],
        ['bare aedes 1.2 (no auth)', bare.port],
        ['Mosquitto 2.0 (password file + ACL)', mport],
      ] as const) {
        const row = await measure(name, port, qos, o);
        rows.push(row);
        console.log(JSON.stringify(row));
      }
  } finally {
    for (const c of children) if (c.pid && c.exitCode === null) process.kill(c.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  writeReport(rows, o);
  process.exit(0);
}

function writeReport(rows: Row[], o: { messages: number; rate: number; seconds: number }): void {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  const mosq = (qos: number) => rows.find((r) => r.qos === qos && r.broker.startsWith('Mosquitto'))!;
  const table = [
    '| broker | QoS | throughput msg/s | delivered / sent | latency p50 ms | p99 ms | max ms | throughput vs Mosquitto |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.broker} | ${r.qos} | ${f(r.throughput)} | ${r.delivered} / ${r.sent} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.max, 1)} | ${f(r.throughput / mosq(r.qos).throughput, 2)}× |`,
    ),
  ].join('\n');
  const machine =
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${spawnSync('mosquitto', ['-h']).stdout.toString().split('\n')[0] ?? ''}`.trim();
  const section = `## Broker

Command: \`npm run bench:broker -- --messages ${o.messages} --rate ${o.rate} --seconds ${o.seconds}\` (bench/broker.ts).
Machine: ${machine}; ${new Date().toISOString().slice(0, 16)}Z. The machine is shared (other test suites may run), so
compare rows of one run, not runs with each other.

Workload: ${PUBLISHERS} publishers (one connection each, counter-controller credentials) and one service subscriber
(\`hall/bench/#\`), each broker in its own process and every client in the bench process.
*Throughput*: every publisher sends ${o.messages} seat messages as fast as its connection takes them; delivered messages per
second at the subscriber. *Latency*: a paced load of ${o.rate} messages/s per publisher (${PUBLISHERS * o.rate} msg/s) for
${o.seconds} s; publish→deliver time measured with one clock (same process).

${table}

Reading: "HallWatch broker" is what \`npm start\` runs (scrypt login cached, topic ACL on every publish and
delivery, per-device token bucket, packet-size check on the parser input); "bare aedes" is the same aedes
without hooks, so the gap between them is HallWatch's own cost. A 24-counter hall produces well under
10 messages per second (a heartbeat per controller every 30 s, a few seat and sign changes a minute).
`;
  const path = join(import.meta.dirname, '..', 'docs', 'PERFORMANCE.md');
  let doc = '';
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = '# Performance\n';
  }
  const start = doc.indexOf('## Broker\n');
  if (start >= 0) {
    const next = doc.indexOf('\n## ', start + 1);
    doc = doc.slice(0, start) + section + (next >= 0 ? `\n${doc.slice(next + 1)}` : '');
  } else {
    doc = `${doc.trimEnd()}\n\n${section}`;
  }
  writeFileSync(path, doc);
  console.log(`\n${table}\n\nwritten to docs/PERFORMANCE.md (## Broker)`);
}
