// Alerts latency benchmark: device message → notification handed to the channel (a local
// webhook receiver), p50/p99, while a load process publishes 5,000 device messages/s; repeated
// for growing hall sizes to find how many counters one alerts process watches with p99 < 100 ms.
//   npm run bench:alerts [-- --sizes 100,500,1000 --rate 5000 --probes 100]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import pino from 'pino';
import { startAlerts } from '../alerts/index.ts';
import { systemClock } from '../core/clock.ts';
import { parseConfig } from '../core/config/load.ts';
import type { ConfigInput } from '../core/config/schema.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};
const HALL = 'bench';
const counterId = (i: number) => `c${i}`;

// ---- load process: hosts the broker and publishes `rate` device messages/s (seats, env) ----
// Broker and load run in their own process so the numbers are the alerts process's own.
if (process.argv.includes('--load')) {
  const counters = Number(arg('counters', '100'));
  const rate = Number(arg('rate', '5000'));
  const broker = await Aedes.createBroker();
  const net = createNetServer(broker.handle);
  await new Promise<void>((r) => net.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(net.address() as AddressInfo).port}`;
  process.send?.({ url });
  await new Promise<void>((r) => process.once('message', () => r()));
  const client = mqtt.connect(url, { clientId: `bench-load-${process.pid}` });
  await new Promise<void>((r) => client.once('connect', () => r()));
  let sent = 0;
  const seat = new Array<boolean>(counters).fill(true);
  const started = Date.now();
  const pump = () => {
    // Catch up to the target rate on every turn (timers are coarse under load).
    const due = Math.floor(((Date.now() - started) * rate) / 1000);
    for (let n = 0; sent < due && n < rate; n++, sent++) {
      const c = sent % counters;
      const ts = Date.now();
      if (sent % 10 === 9) {
        client.publish(`hall/${HALL}/env/env1`, JSON.stringify({ lux: 300 + (sent % 50), co2: 600, ts }), {
          qos: 0,
        });
      } else {
        seat[c] = !seat[c];
        client.publish(
          `hall/${HALL}/counter/${counterId(c)}/seat/s1`,
          JSON.stringify({ occupied: seat[c], ts }),
          {
            qos: 1,
            retain: true,
          },
        );
      }
    }
    setTimeout(pump, 5);
  };
  pump();
  setInterval(() => process.send?.({ sent }), 1000);
} else {
  await main();
}

function configFor(counters: number, dataDir: string, hookUrl: string): ConfigInput {
  return {
    dataDir,
    rules: { awayLimit: '1h', unsignedGrace: '1h', gapGrace: '1h', readinessLead: '0s', faultGrace: '0s' },
    halls: [
      {
        id: HALL,
        name: '基准测试大厅',
        calendar: 'none',
        sessions: { 'mon-sun': ['00:00-24:00'] },
        sensors: [{ id: 'env1' }],
        counters: Array.from({ length: counters }, (_, i) => ({
          id: counterId(i),
          name: `${i + 1}号窗口`,
          seats: ['s1'],
          equipment: [{ id: 'pc', kind: 'pc' as const }],
        })),
      },
    ],
    notifications: {
      allowPrivateTargets: ['127.0.0.1'], // the stand-in webhook listens on loopback
      channels: [{ id: 'hook', type: 'webhook', url: hookUrl }],
      routes: [{ channels: ['hook'], types: ['equipment_fault'] }],
      notifyResolved: false,
    },
  };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function runSize(counters: number, rate: number, probes: number) {
  const load = fork(
    new URL(import.meta.url).pathname,
    ['--load', '--counters', String(counters), '--rate', String(rate)],
    { execArgv: ['--import', 'tsx'] },
  );
  let loadSent = 0;
  const url = await new Promise<string>((r) =>
    load.on('message', (m: { url?: string; sent?: number }) => {
      if (m.url) r(m.url);
      if (m.sent !== undefined) loadSent = m.sent;
    }),
  );
  const arrivals = new Map<string, number>();
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      if (body.kind === 'open') arrivals.set(body.alert.counter, Date.now());
      res.end('{}');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`;
  const dataDir = mkdtempSync(join(tmpdir(), 'hw-bench-alerts-'));
  const config = parseConfig(configFor(counters, dataDir, hookUrl), {});
  const svc = await startAlerts(
    { config, logger: pino({ level: 'silent' }), clock: systemClock, mqtt: { url }, services: new Map() },
    { settleMs: 200, clientId: `bench-alerts-${counters}` },
  );
  load.send('go');
  const probe = mqtt.connect(url, { clientId: `bench-probe-${counters}` });
  await new Promise<void>((r) => probe.once('connect', () => r()));
  await new Promise((r) => setTimeout(r, 3000)); // warm up under load
  const received0 = svc.runner.counts.received;
  const t0 = Date.now();
  const sentAt = new Map<string, number>();
  for (let i = 0; i < probes; i++) {
    const c = counterId((i * 7919) % counters);
    if (sentAt.has(c)) continue;
    sentAt.set(c, Date.now());
    probe.publish(
      `hall/${HALL}/counter/${c}/equipment/pc`,
      JSON.stringify({ status: 'fault', code: 'BENCH', ts: Date.now() }),
      {
        qos: 1,
        retain: true,
      },
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const elapsed = (Date.now() - t0) / 1000;
  if (process.env.BENCH_DEBUG)
    console.error({ loadSent, received: svc.runner.counts.received, elapsed, health: svc.health().details });
  const achieved = (svc.runner.counts.received - received0) / elapsed;
  const lat = [...sentAt].filter(([c]) => arrivals.has(c)).map(([c, t]) => arrivals.get(c)! - t);
  probe.end(true);
  const snapshotBytes = JSON.stringify(
    (svc as unknown as { runner: { d: { engine: { snapshot(): unknown } } } }).runner.d.engine.snapshot(),
  ).length;
  await svc.stop();
  load.kill('SIGKILL');
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  rmSync(dataDir, { recursive: true, force: true });
  return {
    counters,
    probes: sentAt.size,
    delivered: lat.length,
    p50: lat.length ? pct(lat, 50) : NaN,
    p99: lat.length ? pct(lat, 99) : NaN,
    max: lat.length ? Math.max(...lat) : NaN,
    loadPerSecond: Math.round(achieved),
    loadSent,
    snapshotKiB: Math.round(snapshotBytes / 1024),
  };
}

async function main() {
  const sizes = arg('sizes', '100,500,1000,2000,4000').split(',').map(Number);
  const rate = Number(arg('rate', '5000'));
  const probes = Number(arg('probes', '100'));
  console.log(
    `alerts benchmark: background ${rate} msg/s, ${probes} probes per size (equipment fault → webhook)`,
  );
  console.log('counters | probes delivered | p50 ms | p99 ms | max ms | load received/s | snapshot KiB');
  const rows = [];
  for (const n of sizes) {
    const r = await runSize(n, rate, probes);
    rows.push(r);
    console.log(
      `${r.counters} | ${r.delivered}/${r.probes} | ${r.p50} | ${r.p99} | ${r.max} | ${r.loadPerSecond} | ${r.snapshotKiB}`,
    );
  }
  const ok = rows.filter((r) => r.p99 < 100 && r.delivered === r.probes);
  console.log(
    `largest size with p99 < 100 ms: ${ok.length ? Math.max(...ok.map((r) => r.counters)) : 'none'} counters`,
  );
  process.exit(0);
}
