// Cost of one alert change in the alerts service's engine + store, by hall size (issue 16): bytes
// written and time per change, without MQTT or channels, on a fake clock.
//   npm run bench:alerts-cost [-- --sizes 1000,10000,50000 --changes 100 --burst 500 --seats 1000 --mode parts|whole]
// `parts` is the service as it is (the engine's changed parts saved with each group commit);
// `whole` replays the pre-issue-16 costs on the same engine and store: each alert change commits
// alone and is followed by the whole engine as one JSON row (what EngineRunner.snapshot wrote).
// Bytes are the process's write() bytes (/proc/self/io wchar: WAL frames, checkpoints), CPU is
// process.cpuUsage, so both hold on a loaded machine; wall ms does not.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { AlertLifecycle } from '../alerts/lifecycle.ts';
import { EngineRunner } from '../alerts/live/runner.ts';
import { LiveViews } from '../alerts/live/views.ts';
import { type AlertStore, openStore } from '../alerts/store/index.ts';
import { createCalendar } from '../core/calendar/index.ts';
import { parseConfig } from '../core/config/load.ts';
import type { Config, ConfigInput } from '../core/config/schema.ts';
import { createEngine } from '../core/engine/index.ts';
import type { RuleEngine } from '../core/engine/types.ts';
import type { DeviceEvent } from '../core/protocol/events.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};
const PER_HALL = 25;
const T0 = Date.UTC(2026, 2, 9, 2, 0, 0); // Monday 10:00 Asia/Shanghai

function configFor(counters: number, dataDir: string): Config {
  const halls = Math.ceil(counters / PER_HALL);
  const input: ConfigInput = {
    dataDir,
    rules: { awayLimit: '1h', unsignedGrace: '1h', gapGrace: '1h', readinessLead: '0s', faultGrace: '0s' },
    halls: Array.from({ length: halls }, (_, h) => ({
      id: `h${h}`,
      name: `${h + 1}号大厅`,
      calendar: 'none' as const,
      sessions: { 'mon-sun': ['00:00-24:00'] },
      counters: Array.from({ length: Math.min(PER_HALL, counters - h * PER_HALL) }, (_, i) => ({
        id: `c${i}`,
        name: `${i + 1}号窗口`,
        seats: ['s1'],
        equipment: [{ id: 'pc', kind: 'pc' as const }],
      })),
    })),
    notifications: {
      allowPrivateTargets: ['127.0.0.1'],
      channels: [{ id: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/alerts' }],
      routes: [{ channels: ['hook'], types: ['equipment_fault'] }],
    },
  } as ConfigInput;
  return parseConfig(input, {});
}

const topicBase = (hall: string, counter: string) => `hall/${hall}/counter/${counter}`;
const seat = (hall: string, counter: string, occupied: boolean, ts: number): DeviceEvent => ({
  kind: 'seat',
  hall,
  counter,
  seat: 's1',
  occupied,
  ts,
  tsFromDevice: true,
  receivedAt: ts,
  topic: `${topicBase(hall, counter)}/seat/s1`,
});
const pc = (hall: string, counter: string, status: 'fault' | 'ok', ts: number): DeviceEvent => ({
  kind: 'equipment',
  hall,
  counter,
  equipment: 'pc',
  status,
  ts,
  tsFromDevice: true,
  receivedAt: ts,
  topic: `${topicBase(hall, counter)}/equipment/pc`,
});

function wchar(): number {
  const m = /wchar:\s+(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'));
  return Number(m?.[1] ?? 0);
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Sample {
  wallMs: number;
  cpuMs: number;
  bytes: number;
}
function measure(): () => Sample {
  const w = performance.now();
  const c = cpuMs();
  const b = wchar();
  return () => ({ wallMs: performance.now() - w, cpuMs: cpuMs() - c, bytes: wchar() - b });
}

interface Rig {
  engine: RuleEngine;
  store: AlertStore;
  /** Hands inputs through; resolves when the `changes` alert changes they make are committed. */
  send(es: DeviceEvent[], changes: number): Promise<void>;
  /** Saves the engine now (after the setup). */
  save(): void;
  /** Inputs without alert changes, then the once-a-second tick that saves them. */
  second(es: DeviceEvent[]): void;
  /** Alert changes committed and announced. */
  announced(): number;
  /** Snapshot bytes written so far (the parts' JSON, or the whole-engine JSON). */
  snapshotBytes(): number;
  close(): void;
}

function rig(mode: string, cfg: Config, file: string, clock: { now: number }): Rig {
  const logger = pino({ level: 'silent' });
  const calendar = createCalendar(cfg);
  const store = openStore(file, { groupCommitMs: mode === 'parts' ? 5 : 0 });
  const engine = createEngine({ config: cfg, calendar, now: clock.now });
  let announced = 0;
  let waitFor = 0;
  let wake: (() => void) | undefined;
  const lifecycle = new AlertLifecycle({
    config: cfg,
    calendar,
    store,
    logger,
    publishAlert: () => {},
    onAlert: () => {
      announced++;
      if (wake && announced >= waitFor) wake();
    },
    kick: () => {},
    hasChannel: () => true,
    engineResolve: () => null,
  });
  const until = (n: number) =>
    new Promise<void>((r) => {
      waitFor = n;
      if (announced >= n) r();
      else wake = r;
    });

  if (mode === 'parts') {
    const runner = new EngineRunner({
      config: cfg,
      engine,
      store,
      lifecycle,
      views: new LiveViews(cfg, clock.now),
      logger,
      now: () => clock.now,
      emit: () => {},
    });
    return {
      engine,
      store,
      send: async (es, changes) => {
        const target = announced + changes;
        for (const e of es) runner.handle(e);
        runner.tick(); // faultGrace 0 is a deadline at the event's instant: due at this tick
        await until(target);
      },
      save: () => runner.snapshot(),
      second: (es) => {
        for (const e of es) runner.handle(e);
        runner.tick();
      },
      announced: () => announced,
      snapshotBytes: () => store.partsWritten.bytes,
      close: () => store.close(),
    };
  }
  // whole: the pre-issue-16 path, each alert change its own commit, then the whole engine as JSON.
  const blob = new Database(file);
  const put = blob.prepare(
    `INSERT INTO engine_snapshot (id, engine_at, saved_at, data) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET engine_at = excluded.engine_at, saved_at = excluded.saved_at, data = excluded.data`,
  );
  let blobBytes = 0;
  const save = () => {
    const json = JSON.stringify(engine.snapshot());
    blobBytes += Buffer.byteLength(json);
    put.run(clock.now, clock.now, json);
  };
  return {
    engine,
    store,
    send: async (es, changes) => {
      const target = announced + changes;
      const outs = es.flatMap((e) => engine.handle(e));
      for (const o of [...outs, ...engine.tick(clock.now)])
        if (o.kind === 'alert_opened') lifecycle.opened(o.alert, clock.now);
        else if (o.kind === 'alert_resolved') lifecycle.resolved(o.alert, clock.now);
      // The old runner wrote one snapshot ≤ 50 ms behind a burst of alert changes.
      if (changes) save();
      await until(target);
    },
    save,
    second: (es) => {
      for (const e of es) engine.handle(e);
      engine.tick(clock.now);
      save(); // the old runner: the whole engine at most once a second when states changed
    },
    announced: () => announced,
    snapshotBytes: () => blobBytes,
    close: () => {
      blob.close();
      store.close();
    },
  };
}

async function runSize(mode: string, counters: number, changes: number, burst: number, perSecond: number) {
  const dir = mkdtempSync(join(tmpdir(), 'hw-alerts-cost-'));
  const file = join(dir, 'alerts.sqlite');
  const clock = { now: T0 };
  const cfg = configFor(counters, dir);
  const keys = cfg.halls.flatMap((h) => h.counters.map((c) => [h.id, c.id] as const));
  const setup = measure();
  const r = rig(mode, cfg, file, clock);
  await r.send(
    keys.map(([h, c]) => seat(h, c, true, clock.now)),
    0,
  );
  r.save(); // every part (parts) or the whole engine (whole): the setup's cost, once
  const first = setup();

  // Sequential: one alert change at a time (a fault opens, the next `ok` resolves), each committed.
  const seq = measure();
  const snap0 = r.snapshotBytes();
  for (let i = 0; i < changes; i++) {
    clock.now += 1000;
    const [h, c] = keys[(Math.floor(i / 2) * 7919) % keys.length]!; // a fault, then its repair
    await r.send([pc(h, c, i % 2 === 0 ? 'fault' : 'ok', clock.now)], 1);
  }
  const s = seq();
  const snapSeq = r.snapshotBytes() - snap0;
  // Steady: `perSecond` seat changes a second on distinct counters, saved by the second's tick.
  const seconds = 5;
  const st0 = measure();
  const stSnap0 = r.snapshotBytes();
  for (let sec = 0; sec < seconds; sec++) {
    clock.now += 1000;
    const es: DeviceEvent[] = [];
    for (let i = 0; i < perSecond; i++) {
      const [h, c] = keys[(sec * perSecond + i) % keys.length]!;
      es.push(seat(h, c, sec % 2 === 1, clock.now - 500));
    }
    r.second(es);
  }
  const st = st0();
  const stSnap = r.snapshotBytes() - stSnap0;
  // Burst: `burst` faults on distinct counters in one go (a power dip in a hall wing).
  clock.now += 1000;
  const b0 = measure();
  const burstKeys = new Set(Array.from({ length: burst }, (_, i) => (i * 104_729 + 1) % keys.length));
  await r.send(
    [...burstKeys].map((k) => pc(keys[k]![0], keys[k]![1], 'fault', clock.now)),
    burstKeys.size,
  );
  const b = b0();
  const commits = { ...r.store.commits, announced: r.announced() };
  const deadlines = (e: RuleEngine) =>
    new Map(e.counters().flatMap((c) => (c.deadline ? [[`${c.hall}/${c.counter}`, c.deadline]] : [])));
  const before = deadlines(r.engine);
  r.close();
  const restore = measure();
  const again = openStore(file);
  const snap = again.loadSnapshot();
  const restored = createEngine({
    config: cfg,
    calendar: createCalendar(cfg),
    now: clock.now,
    ...(snap ? { snapshot: snap } : {}),
  });
  const back = restore();
  again.close();
  // Every countdown running at the restart (the last steady second's empty seats) keeps its deadline.
  const after = deadlines(restored);
  const kept = [...before].filter(([k, d]) => after.get(k) === d).length;
  rmSync(dir, { recursive: true, force: true });
  return {
    mode,
    counters,
    changes,
    perChange: {
      bytes: Math.round(s.bytes / changes),
      snapshotBytes: Math.round(snapSeq / changes),
      wallMs: +(s.wallMs / changes).toFixed(2),
      cpuMs: +(s.cpuMs / changes).toFixed(2),
    },
    steady: {
      seatChangesPerSecond: perSecond,
      bytesPerSecond: Math.round(st.bytes / seconds),
      snapshotBytesPerSecond: Math.round(stSnap / seconds),
      cpuMsPerSecond: Math.round(st.cpuMs / seconds),
    },
    burst: {
      changes: burstKeys.size,
      bytesPerChange: Math.round(b.bytes / burstKeys.size),
      wallMs: Math.round(b.wallMs),
      cpuMs: Math.round(b.cpuMs),
    },
    commits,
    setupAndFirstSave: { ms: Math.round(first.wallMs), bytes: first.bytes },
    restoreMs: Math.round(back.wallMs),
    countdownsKept: `${kept}/${before.size}${after.size === before.size ? '' : ` (restored ${after.size})`}`,
  };
}

const mode = arg('mode', 'parts');
const sizes = arg('sizes', '1000,10000,50000').split(',').map(Number);
const changes = Number(arg('changes', '100'));
const burst = Number(arg('burst', '500'));
const perSecond = Number(arg('seats', '1000'));
for (const n of sizes) console.log(JSON.stringify(await runSize(mode, n, changes, burst, perSecond)));
