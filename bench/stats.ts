// npm run bench:stats — a year of one 24-counter hall (config/hallwatch.example.yaml), then the
// uptime report for the year. Target: < 1 s. The data: the simulator library's events for the year
// (seeded; BENCH_SOURCE=generator uses the small generator below instead) run through the real rule
// engine, whose intervals and alerts are written to a real influxd in the stored model. Heartbeats
// are left out (and so are the configured heartbeat intervals): they never reach the derived points
// the reports read, and a year of them would only slow the generation.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../app/config.ts';
import { createCalendar } from '../core/calendar/index.ts';
import type { Config } from '../core/config/schema.ts';
import { drive, timeline } from '../core/engine/drive.ts';
import { createEngine } from '../core/engine/index.ts';
import { alertLine, engineAlertPoint, intervalLine } from '../core/points/index.ts';
import type { DeviceEvent, Sign } from '../core/protocol/events.ts';
import { formatTopic } from '../core/protocol/topics.ts';
import { createReports, type UptimeRow } from '../reports/index.ts';
import { createInfluxClient } from '../reports/influx.ts';
import { startInfluxd } from '../runtime/influxd.ts';
import { createLogger } from '../runtime/logger.ts';
import { createHallModel } from '../simulator/index.ts';

const YEAR = Number(process.env.BENCH_YEAR ?? 2026);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function benchConfig(): Config {
  const c = structuredClone(loadConfig('config/hallwatch.example.yaml'));
  const hall = c.halls[0]!;
  hall.counters = hall.counters.map((x) => ({ ...x, heartbeat: undefined }));
  hall.equipment = hall.equipment.map((e) => ({ ...e, heartbeat: undefined }));
  hall.sensors = hall.sensors.map((s) => ({ ...s, heartbeat: undefined }));
  hall.devices = hall.devices.map((d) => ({ ...d, heartbeat: undefined }));
  c.halls = [hall];
  return c;
}

function generate(config: Config): DeviceEvent[] {
  const calendar = createCalendar(config);
  const hall = config.halls[0]!;
  const rnd = mulberry32(20261125);
  const events: DeviceEvent[] = [];
  const ev = (ts: number, e: Record<string, unknown>, topic: string) =>
    events.push({
      hall: hall.id,
      ts: Math.round(ts),
      tsFromDevice: true,
      receivedAt: Math.round(ts),
      topic,
      ...e,
    } as DeviceEvent);
  const seatEv = (t: number, counter: string, seat: string, occupied: boolean) =>
    ev(
      t,
      { kind: 'seat', counter, seat, occupied },
      formatTopic({ kind: 'seat', hall: hall.id, counter, seat }),
    );
  const signEv = (t: number, counter: string, sign: Sign) =>
    ev(t, { kind: 'sign', counter, sign }, formatTopic({ kind: 'sign', hall: hall.id, counter }));
  const MIN = 60_000;
  for (const c of hall.counters) {
    const from = calendar.startOfDay(`${YEAR}-01-01`);
    const sessions = calendar.sessionsBetween(hall.id, c.id, from, calendar.startOfDay(`${YEAR + 1}-01-01`));
    for (const s of sessions) {
      // Arrival: mostly before T, sometimes late.
      const arrive = s.start - 20 * MIN + rnd() * 24 * MIN;
      for (const seat of c.seats) seatEv(arrive + rnd() * MIN, c.id, seat, true);
      signEv(arrive + MIN, c.id, 'none');
      let t = Math.max(arrive, s.start) + 10 * MIN;
      const absences = Math.floor(rnd() * 5);
      for (let k = 0; k < absences && t < s.end - 30 * MIN; k++) {
        t += rnd() * ((s.end - t) / (absences - k + 1));
        // Mostly signed and back within the 10-minute limit; a few unsigned ones overrun the 2-minute grace.
        const signed = rnd() < 0.85;
        const paused = rnd() < 0.03;
        const len = paused ? 30 * MIN : signed ? (1 + rnd() * 9.6) * MIN : (0.3 + rnd() * 2.2) * MIN;
        if (signed || paused) signEv(t - 10_000, c.id, paused ? 'paused' : 'away');
        for (const seat of c.seats) seatEv(t + rnd() * 5_000, c.id, seat, false);
        for (const seat of c.seats) seatEv(t + len + rnd() * 5_000, c.id, seat, true);
        if (signed || paused) signEv(t + len + 10_000, c.id, 'none');
        t += len + 10 * MIN;
      }
      // Leaving for lunch / the evening, a little early with the away sign now and then.
      const leave = s.end - (rnd() < 0.2 ? rnd() * 8 * MIN : -rnd() * 5 * MIN);
      if (rnd() < 0.5) signEv(leave - 20_000, c.id, 'away');
      for (const seat of c.seats) seatEv(leave, c.id, seat, false);
      if (rnd() < 0.01) {
        const e = c.equipment[0];
        if (e) {
          const ft = s.start + rnd() * (s.end - s.start);
          const topic = formatTopic({ kind: 'equipment', hall: hall.id, counter: c.id, equipment: e.id });
          ev(ft, { kind: 'equipment', counter: c.id, equipment: e.id, status: 'fault' }, topic);
          ev(
            ft + rnd() * 90 * MIN,
            { kind: 'equipment', counter: c.id, equipment: e.id, status: 'ok' },
            topic,
          );
        }
      }
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

async function main() {
  const config = benchConfig();
  const calendar = createCalendar(config);
  const hall = config.halls[0]!.id;
  // BENCH_DATA_DIR keeps the generated year between runs (generation takes a while).
  const keep = process.env.BENCH_DATA_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'hw-bench-stats-'));
  const influxd = await startInfluxd({ dataDir: dir });
  try {
    const existing = keep
      ? ((
          await influxd.query('SELECT COUNT(duration_s) FROM counter_interval', 'hallwatch').catch(() => null)
        )?.results[0]?.series?.[0]?.values[0]?.[1] as number | undefined)
      : undefined;
    // BENCH_SHARD=52w: the database created with a longer shard group duration than InfluxDB's 7d default.
    const shard = process.env.BENCH_SHARD;
    await influxd.query(`CREATE DATABASE hallwatch${shard ? ` WITH SHARD DURATION ${shard}` : ''}`);
    const from = calendar.startOfDay(`${YEAR}-01-01`);
    const to = calendar.startOfDay(`${YEAR + 1}-01-01`);

    let t0 = performance.now();
    const source = process.env.BENCH_SOURCE === 'generator' ? 'generator' : 'simulator';
    const model = createHallModel(config, { seed: 'bench-stats', calendar, heartbeats: false });
    const eventsOf = (a: number, b: number): DeviceEvent[] =>
      source === 'generator' ? [] : model.eventsBetween(a, b).map((e) => e.event);
    const events = existing ? [] : source === 'generator' ? generate(config) : [];
    let eventCount = events.length;
    const engine = createEngine({ config, calendar, now: from });
    const lines: string[] = [];
    const alerts = new Map<string, Parameters<typeof engineAlertPoint>[0]>();
    const take = (outs: ReturnType<typeof engine.tick>) => {
      for (const o of outs)
        if (o.kind === 'interval') lines.push(intervalLine(o.interval));
        else if (o.kind === 'alert_opened' || o.kind === 'alert_resolved') alerts.set(o.alert.id, o.alert);
    };
    let clock = from;
    const feed = (list: DeviceEvent[]) => {
      if (!list.length) return;
      const until = list.reduce((m, e) => Math.max(m, e.ts), clock);
      drive(engine, timeline(list, clock, until, 60_000), take);
      clock = until;
    };
    feed(events);
    if (!existing && source === 'simulator')
      for (let day = from; day < to; day += 86_400_000) {
        const list = eventsOf(day, day + 86_400_000);
        eventCount += list.length;
        feed(list);
      }
    if (!existing) drive(engine, timeline([], clock, to, 60_000), take);
    const intervals = existing ?? lines.length;
    for (const a of alerts.values()) lines.push(alertLine(engineAlertPoint(a)));
    const genSeconds = (performance.now() - t0) / 1000;

    t0 = performance.now();
    const db = createInfluxClient({ url: influxd.url, database: 'hallwatch' });
    if (!existing) await db.write(lines);
    const writeSeconds = (performance.now() - t0) / 1000;

    if (process.env.BENCH_HOLD) {
      console.log(`influxd on ${influxd.url}; Ctrl-C to stop`);
      await new Promise((r) => setTimeout(r, Number(process.env.BENCH_HOLD) * 1000));
    }
    const reports = createReports({
      config,
      calendar,
      influx: { url: influxd.url, database: 'hallwatch' },
      logger: createLogger('silent'),
    });
    // CPU time (this process + influxd) does not depend on what else the machine is doing; on an
    // idle machine the wall time is about that or less (both processes can run at once).
    const influxCpuMs = () => {
      const f = readFileSync(`/proc/${influxd.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
    };
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const time = async (label: string, fn: () => Promise<unknown>) => {
      const ms: number[] = [];
      const cpu: number[] = [];
      let result: unknown;
      for (let i = 0; i < RUNS; i++) {
        const c0 = process.cpuUsage();
        const i0 = influxCpuMs();
        const s = performance.now();
        result = await fn();
        ms.push(performance.now() - s);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000 + (influxCpuMs() - i0));
      }
      return { label, first: ms[0]!, median: median(ms), max: Math.max(...ms), cpu: median(cpu), result };
    };
    const q = { hall, from, to };
    const results = [
      await time('uptime, year, by month, per counter', () => reports.uptime({ ...q, by: 'month' })),
      await time('uptime, year, by day, per counter', () => reports.uptime({ ...q, by: 'day' })),
      await time('uptime, year, by year, whole hall', () =>
        reports.uptime({ ...q, by: 'year', scope: 'hall' }),
      ),
      await time('uptime, year, per staff member', () =>
        reports.uptime({ ...q, by: 'month', scope: 'staff' }),
      ),
      await time('equipment, year', () => reports.equipment(q)),
      await time('无缺位, year', () => reports.noAbsence(q)),
    ];
    const year = (results[2]!.result as { rows: UptimeRow[] }).rows[0]!;
    await reports.close();

    const out = [
      `HallWatch statistics benchmark — ${new Date().toISOString()}, node ${process.version}, influxd 1.6 (local, own data dir), shard duration ${shard ?? '7d (default)'}, load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
      `data: ${YEAR}, hall ${hall}, ${config.halls[0]!.counters.length} counters; ${eventCount} device events (${existing ? 'kept data' : source}) → engine → ${intervals} intervals + ${alerts.size} alerts (generated+engine ${genSeconds.toFixed(1)} s, written ${writeSeconds.toFixed(1)} s)`,
      `year totals: scheduled ${year.scheduledSeconds} s, staffed ${year.staffedSeconds} s, on-post rate ${(year.onPostRate! * 100).toFixed(2)} %, ${year.absenceCount} absences, ${year.interruptionCount} interruptions, ${year.lateOpenings} late openings`,
      '',
      `| report | wall, first run (ms) | wall, median of ${RUNS} (ms) | wall, max (ms) | CPU node+influxd, median (ms) |`,
      '|---|---:|---:|---:|---:|',
      ...results.map(
        (r) =>
          `| ${r.label} | ${r.first.toFixed(0)} | ${r.median.toFixed(0)} | ${r.max.toFixed(0)} | ${r.cpu.toFixed(0)} |`,
      ),
    ];
    console.log(out.join('\n'));
  } finally {
    await influxd.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
