// The extras of issue 9, on the same machine right after the peer run (bench/ingest.ts):
//  1. raw influxd write ceiling: a bare line-protocol writer, 5,000-point batches, 2 in flight;
//  2. backlog drain: influxd down, a 5-minute backlog at 1,000 msg/s (300,000 points) published
//     into the ingest (it goes to the spool), influxd back: points/s until all are stored, as a
//     share of (1);
//  3. end-to-end capacity through HallWatch's own embedded broker (startBroker + startIngest in
//     one process, as `npm start -- --only broker,ingest`), same pass rule as the peer bench.
// Reuses the peer bench's servers and publisher (../shared/bench/lib, pub.mjs).
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = resolve(ROOT, '../shared/bench');
const out = process.argv[2] ?? join(ROOT, 'bench/results/ingest-extras.json');
const servers = await import(join(BENCH, 'lib/servers.mjs'));
const util = await import(join(BENCH, 'lib/util.mjs'));
const { PORTS, influxQuery } = servers;
const { sleep, forkChild, resultOf, hrMicros, stop, start, SCRATCH } = util;
const DB = 'bench_extras';
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 300_000);

async function count(from: number, to: number): Promise<number> {
  const j = await influxQuery(
    `SELECT count("occupied") FROM "seat" WHERE time >= ${from}ms AND time < ${to}ms`,
    DB,
  );
  return j.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
}

async function freshInflux(): Promise<ChildProcess> {
  const c = await servers.startInfluxd({
    dataDir: `${SCRATCH}/influx-extras`,
    fresh: true,
    name: 'influxd-extras',
  });
  await influxQuery(`CREATE DATABASE ${DB}`);
  return c;
}

/** 1. Raw ceiling: what influxd itself takes from a minimal writer. */
async function rawCeiling(): Promise<{ pointsPerSec: number; points: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const post = (body: string) =>
    new Promise<void>((res, rej) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: PORTS.influx,
          path: `/write?db=${DB}&precision=ms`,
          method: 'POST',
          agent,
        },
        (r) => {
          r.resume();
          r.on('end', () => (r.statusCode === 204 ? res() : rej(new Error(`HTTP ${r.statusCode}`))));
        },
      );
      req.on('error', rej);
      req.end(body);
    });
  const base = Date.now() - 50 * 60_000;
  const batches = 80;
  const bodies = Array.from({ length: batches }, (_, b) =>
    Array.from({ length: 5000 }, (_, i) => {
      const k = b * 5000 + i;
      const s = k % 2000;
      return `seat,counter=w${String(s % 100).padStart(3, '0')},hall=h${String(Math.floor(s / 200)).padStart(2, '0')},seat=s${(s % 2) + 1} occupied=${k % 3 === 0},seq=${k}i ${base + k}`;
    }).join('\n'),
  );
  await post(bodies[0]!); // series creation outside the timing
  const t0 = performance.now();
  let next = 1;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < batches) await post(bodies[next++]!);
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  return { points: (batches - 1) * 5000, pointsPerSec: Math.round(((batches - 1) * 5000) / secs) };
}

function startSubject(
  script: string,
  args: string[],
  name: string,
  env: NodeJS.ProcessEnv = {},
): ChildProcess {
  return start(name, process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, INGEST_HEALTH_EVERY_MS: '1000', ...env },
  });
}

/** The subject's last health line (it logs one per second). */
function lastHealth(name: string): Record<string, number> | undefined {
  const lines = readFileSync(`${SCRATCH}/${name}.log`, 'utf8').trim().split('\n').reverse();
  for (const l of lines) {
    if (!l.includes('"msg":"health"')) continue;
    return JSON.parse(l).details;
  }
  return undefined;
}

async function probe(from: number): Promise<void> {
  const mqtt = (await import('mqtt')).default;
  // the embedded broker starts with the subject: retry until it listens
  let c: import('mqtt').MqttClient | undefined;
  for (let i = 0; !c; i++) {
    c = await mqtt
      .connectAsync(`mqtt://127.0.0.1:${PORTS.mosquitto}`, {
        clientId: `probe-${process.pid}`,
        reconnectPeriod: 0,
      })
      .catch(async (e: Error) => {
        if (i > 120) throw e;
        await sleep(500);
        return undefined;
      });
  }
  for (let n = 1; n < 200; n++) {
    await c.publishAsync(
      'hall/h09/counter/w099/seat/s2',
      JSON.stringify({ occupied: true, ts: from + n, seq: n }),
      { qos: 1 },
    );
    await sleep(300);
    if (await count(from, from + 1000)) break;
  }
  await c.endAsync();
}

async function publish(
  opts: Record<string, unknown>,
  ms: number,
): Promise<{ sent: number; elapsed: number }> {
  const pub = await forkChild('extras-pub', join(BENCH, 'pub.mjs'), [
    JSON.stringify({
      url: `mqtt://127.0.0.1:${PORTS.mosquitto}`,
      qos: 1,
      seatOnly: true,
      contractOnly: true,
      nPub: 50,
      idPrefix: 'xdev',
      ...opts,
    }),
  ]);
  const res = resultOf(pub, ms + 120_000);
  pub.send({ startAt: hrMicros() + 200_000, warmMs: 0, measureMs: ms });
  const r = await res;
  await stop(pub);
  return r;
}

/** 2. Backlog drain after an outage, as a share of the raw ceiling. */
async function backlogDrain(influxd: ChildProcess, ceiling: number) {
  const mosq = await servers.startMosquitto({ extra: 'max_inflight_messages 0\nmax_queued_messages 0' });
  const subject = startSubject(
    'bench/ingest-subject.ts',
    [
      `mqtt://127.0.0.1:${PORTS.mosquitto}`,
      `http://127.0.0.1:${PORTS.influx}`,
      DB,
      `${SCRATCH}/extras-subject`,
    ],
    'extras-subject',
  );
  const probeAt = Date.now() - 45 * 60_000;
  await probe(probeAt);
  await stop(influxd, 30_000);
  const tsBase = Date.now() - 40 * 60_000;
  const rate = 10_000;
  const p = await publish(
    { mode: 'rate', rate, tsBase, seqBase: 50_000_000 },
    Math.ceil((BACKLOG / rate) * 1000),
  );
  // everything published is in the spool before influxd returns: the drain alone is timed
  for (let i = 0; i < 600; i++) {
    const h = lastHealth('extras-subject');
    if (h && (h.spooled ?? 0) + (h.written ?? 0) >= p.sent) break;
    await sleep(500);
  }
  const back = await servers.startInfluxd({
    dataDir: `${SCRATCH}/influx-extras`,
    fresh: false,
    name: 'influxd-extras',
  });
  const t0 = performance.now();
  let stored = 0;
  let last = -1;
  let lastChange = performance.now();
  let doneAt = performance.now();
  console.log(JSON.stringify({ backlogPublished: p }));
  while (performance.now() - t0 < 600_000) {
    stored = await count(tsBase, tsBase + 10 * 60_000);
    if (stored !== last) {
      last = stored;
      lastChange = doneAt = performance.now();
    }
    if (stored >= p.sent || performance.now() - lastChange > 20_000) break;
    await sleep(250);
  }
  const secs = (doneAt - t0) / 1000;
  await stop(subject, 15_000);
  await stop(mosq);
  const pointsPerSec = Math.round(stored / secs);
  return {
    influxd: back,
    result: {
      backlog: p.sent,
      // PUBACKed by the broker: what it accepted (an overloaded broker may not ack every publish in time)
      accepted: (p as { acked?: number }).acked,
      stored,
      lost: p.sent - stored,
      drainSec: +secs.toFixed(1),
      pointsPerSec,
      shareOfCeiling: +(pointsPerSec / ceiling).toFixed(2),
    },
  };
}

/** 3. End-to-end capacity through the embedded broker: bisection like the peer bench (5 steps). */
async function embeddedCapacity(persistence = 'file', windowOffsetMin = 0) {
  const port = PORTS.mosquitto; // the embedded broker takes the mosquitto port (mosquitto is stopped)
  let lo = 2000;
  let hi = 100_000;
  const steps: unknown[] = [];
  let window = Date.now() - (30 + windowOffsetMin) * 60_000;
  for (let i = 0; i < 5; i++) {
    const rate = Math.round(Math.sqrt(lo * hi) / 50) * 50;
    const subject = startSubject(
      'bench/ingest-subject.ts',
      [
        `embedded:${port}`,
        `http://127.0.0.1:${PORTS.influx}`,
        DB,
        `${SCRATCH}/extras-embedded-${persistence}-${i}`,
      ],
      'extras-embedded',
      { BROKER_PERSISTENCE: persistence },
    );
    window += 60_000;
    await probe(window - 30_000);
    const p = await publish({ mode: 'rate', rate, tsBase: window, seqBase: (60 + i) * 1_000_000 }, 12_000);
    const t = performance.now();
    let stored = 0;
    let drainSec: number | null = null;
    while (performance.now() - t < 8000) {
      stored = await count(window, window + 30_000);
      if (stored >= p.sent) {
        drainSec = (performance.now() - t) / 1000;
        break;
      }
      await sleep(250);
    }
    await stop(subject, 15_000);
    const pass = stored >= p.sent && drainSec !== null && drainSec <= 2 && p.sent / p.elapsed >= 0.97 * rate;
    steps.push({ rate, sent: p.sent, stored, drainSec, pass });
    console.log(JSON.stringify({ embedded: rate, persistence, sent: p.sent, stored, drainSec, pass }));
    if (pass) lo = rate;
    else hi = rate;
  }
  return { capacityPerSec: lo, firstFail: hi, steps };
}

mkdirSync(dirname(out), { recursive: true });
if (process.env.BENCH_EXTRAS === 'durability') {
  // `npm run bench:durability`: what the broker's durability costs (issue 13), in one run: the
  // embedded capacity with the broker in memory (PUBACK before anything is stored), then with the
  // default journal (PUBACK after the message's group-commit fdatasync).
  const influxd = await freshInflux();
  const memory = await embeddedCapacity('memory');
  console.log(
    JSON.stringify({ durability: { persistence: 'memory', capacityPerSec: memory.capacityPerSec } }),
  );
  const file = await embeddedCapacity('file', 10);
  console.log(JSON.stringify({ durability: { persistence: 'file', capacityPerSec: file.capacityPerSec } }));
  await stop(influxd, 30_000);
  writeFileSync(out, JSON.stringify({ when: new Date().toISOString(), memory, file }, null, 1));
  process.exit(0);
}
let influxd = await freshInflux();
const raw = await rawCeiling();
console.log(JSON.stringify({ rawCeiling: raw }));
const drained = await backlogDrain(influxd, raw.pointsPerSec);
influxd = drained.influxd;
console.log(JSON.stringify({ backlogDrain: drained.result }));
const embedded = await embeddedCapacity();
console.log(
  JSON.stringify({
    embeddedCapacity: { capacityPerSec: embedded.capacityPerSec, firstFail: embedded.firstFail },
  }),
);
await stop(influxd, 30_000);
writeFileSync(
  out,
  JSON.stringify(
    { when: new Date().toISOString(), rawCeiling: raw, backlogDrain: drained.result, embedded },
    null,
    1,
  ),
);
process.exit(0);
