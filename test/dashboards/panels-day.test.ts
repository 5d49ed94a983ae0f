// Every dashboard panel as a user reads it: DOMAIN's Monday 2026-03-09 simulated through the
// engine and stored in a real influxd in the ingest's data model; each panel's query expanded with
// Grafana's rules (panel range, $timeFilter, $__interval from the panel width, variables), run, and
// passed through the panel's transformations, value mappings and thresholds. The numbers must be
// the API's (the reports functions behind /api/stats) for the same day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar/index.ts';
import { alertLine, counterStateLine, engineAlertPoint } from '../../core/points/index.ts';
import type { DeviceEvent } from '../../core/protocol/events.ts';
import { formatTopic } from '../../core/protocol/topics.ts';
import { allDashboards } from '../../dashboards/index.ts';
import { createReports, type Reports, type UptimeRow } from '../../reports/index.ts';
import { at, config } from '../core/stats/fixtures.ts';
import {
  D,
  derivedLines,
  deviceLine,
  equipment,
  HALL,
  influxWithDb,
  interruption,
  logger,
  runLive,
  SCRIPT,
} from '../reports/helpers.ts';
import {
  dashboardRange,
  type Frame,
  groupingToMatrix,
  interpolate,
  intervalOf,
  mapped,
  maxDataPointsOf,
  organize,
  panelRange,
  type Range,
  tableFrame,
  thresholdColour,
  type Variable,
} from './grafana-macros.ts';

const calendar = createCalendar(config);
const NEXT = '2026-03-10';
const day: Range = { from: at(D, '00:00:00'), to: at(NEXT, '00:00:00') };

// biome-ignore lint/suspicious/noExplicitAny: built dashboard JSON, read the way Grafana reads it
type Json = any;
interface Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: [number, unknown][];
}

/** Environment readings once a minute in service hours: lux 180 from 14:00 to 15:00 (S18), else 330. */
function environmentDay(): DeviceEvent[] {
  const out: DeviceEvent[] = [];
  for (let m = 9 * 60; m < 17 * 60; m++) {
    const ts = at(D, `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`);
    out.push({
      hall: HALL,
      ts,
      tsFromDevice: true,
      receivedAt: ts,
      topic: formatTopic({ kind: 'env', hall: HALL, sensor: 'env1' }),
      kind: 'env',
      sensor: 'env1',
      readings: {
        lux: m >= 14 * 60 && m < 15 * 60 ? 180 : 330,
        temperature: 24.5,
        humidity: 45,
        co2: 800,
        noise: 52,
      },
    } as DeviceEvent);
  }
  return out;
}

describe('dashboards on a simulated day, read as a user reads them', () => {
  let db: Awaited<ReturnType<typeof influxWithDb>>;
  let api: Reports;
  const dashboards = allDashboards(config) as Json[];
  const checked = new Set<string>();

  beforeAll(async () => {
    db = await influxWithDb();
    const events = [
      ...SCRIPT,
      equipment(D, '12:20:00', 'w07', 'printer', 'fault'),
      equipment(D, '13:41:00', 'w07', 'printer', 'ok'),
      equipment(D, '08:00:00', undefined, 'queue', 'ok'),
      equipment(D, '16:58:00', undefined, 'queue', 'fault'),
      ...environmentDay(),
    ];
    const live = runLive(config, calendar, events, day.from, day.to);
    // S14's second interruption at 14:20, one retracted at 16:20 and one on the Friday before.
    const extra = [
      interruption(D, '14:20:00', 'E1023'),
      interruption(D, '16:20:00', 'E1023', { reason: 'retracted', resolvedAt: at(D, '16:20:03') } as never),
      interruption('2026-03-06', '10:00:00', 'E1023'),
    ];
    await db.db.write([
      ...events.map(deviceLine),
      ...derivedLines(live),
      ...live.states.map((s) => counterStateLine(s.hall, s.counter, s)),
      ...extra.map((a) => alertLine(engineAlertPoint(a))),
    ]);
    api = createReports({ config, calendar, influx: db.target, logger });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await db?.influxd.cleanup();
  });

  const dashboard = (uid: string) => dashboards.find((d) => d.uid === uid)!;
  const panel = (uid: string, title: string): Json => {
    const p = dashboard(uid).panels.find((x: Json) => x.title === title);
    if (!p) throw new Error(`no panel ${title} on ${uid}`);
    checked.add(`${uid}/${title}`);
    return p;
  };
  /** The range a dashboard opens with at `now` (its own `time`: now-12h, now-24h…). */
  const opened = (uid: string, now: number) => dashboardRange(dashboard(uid).time, now);
  /** Every variable on "All" (the custom all value), as a dashboard opens. */
  const allVars = (uid: string): Record<string, Variable> =>
    Object.fromEntries(
      (dashboard(uid).templating?.list ?? []).map((v: Json) => [
        v.name,
        { value: '$__all', allValue: v.allValue },
      ]),
    );

  /** Runs a panel's query as Grafana would at `now` with the dashboard range `range`. */
  async function run(
    uid: string,
    title: string,
    range: Range,
    now: number,
    vars: Record<string, Variable> = {},
  ): Promise<{ series: Series[]; interval: number; p: Json }> {
    const p = panel(uid, title);
    const r = panelRange(range, p.timeFrom, now, (t) => calendar.startOfDay(calendar.localDate(t)));
    const interval = intervalOf(r, p.maxDataPoints ?? maxDataPointsOf(p.gridPos.w));
    const q = interpolate(p.targets[0].query, {
      range: r,
      interval: interval.text,
      vars: { ...allVars(uid), ...vars },
    });
    expect(q, `${title}: every macro expanded`).not.toMatch(/\$[A-Za-z_{]/);
    const res = await db.influxd.query(q, 'hallwatch');
    return { series: (res.results[0]!.series ?? []) as Series[], interval: interval.ms, p };
  }

  /** The bucket value a time series shows at instant t (last bucket starting at or before t). */
  const valueAt = (s: Series, t: number) => {
    let v: unknown;
    for (const [time, x] of s.values) if (time <= t) v = x;
    return v;
  };
  const seriesOf = (series: Series[], tags: Record<string, string>) =>
    series.find((s) => Object.entries(tags).every(([k, v]) => (s.tags?.[k] ?? '') === v));

  it('大厅实时 · 窗口状态时间线: each counter’s state at a moment is the API’s interval state, in the board’s words', async () => {
    const now = at(D, '17:30:00');
    const { series, p, interval } = await run(
      'hallwatch-hall-live',
      '窗口状态时间线',
      opened('hallwatch-hall-live', now),
      now,
    );
    // 12 h over a full-width panel (1,920 points): 22.5 s → Grafana's 20 s buckets.
    expect(interval).toBe(20_000);
    const words = (counter: string, t: number) =>
      mapped(p.fieldConfig.defaults.mappings, valueAt(seriesOf(series, { counter })!, t));
    expect(words('w07', at(D, '09:30:00'))).toBe('在岗');
    expect(words('w07', at(D, '10:05:00'))).toBe('临时离开');
    expect(words('w07', at(D, '10:43:00'))).toBe('无人值守');
    expect(words('w07', at(D, '12:30:00'))).toBe('未开放');
    expect(words('w07', at(D, '15:10:00'))).toBe('暂停服务');
    // Against the API's intervals at every quarter hour of the sessions, for every counter.
    const intervals = await api.intervals({ hall: HALL, ...day });
    const zh = Object.fromEntries(
      Object.entries(p.fieldConfig.defaults.mappings[0].options as Record<string, { text: string }>).map(
        ([k, v]) => [k, v.text],
      ),
    );
    let compared = 0;
    for (const c of config.halls[0]!.counters)
      for (const s of calendar.sessionsOn(HALL, c.id, D))
        for (let t = s.start + 7.5 * 60_000; t < s.end; t += 15 * 60_000) {
          const i = intervals.find((x) => x.counter === c.id && x.start <= t && t < x.end);
          const shown = seriesOf(series, { counter: c.id });
          expect(shown, `${c.id} has a row on the timeline`).toBeDefined();
          expect(words(c.id, t), `${c.id} at ${new Date(t).toISOString()}`).toBe(zh[i!.state]);
          compared++;
        }
    expect(compared).toBeGreaterThan(60);
  });

  it('大厅实时 · 当前在岗人数 at 11:00 reads 3 (w07 one, w12 two, w03 no data)', async () => {
    const now = at(D, '11:00:00');
    const { series } = await run(
      'hallwatch-hall-live',
      '当前在岗人数',
      opened('hallwatch-hall-live', now),
      now,
    );
    expect(series[0]!.values[0]![1]).toBe(3);
  });

  it('大厅实时 · 今日缺位次数 at 17:30 reads the API’s 缺位次数 for the day (2: the retracted one and Friday’s left out)', async () => {
    const now = at(D, '17:30:00');
    const { series } = await run(
      'hallwatch-hall-live',
      '今日缺位次数',
      opened('hallwatch-hall-live', now),
      now,
    );
    const hall = (await api.uptime({ hall: HALL, ...day, by: 'day', scope: 'hall' })).rows[0] as UptimeRow;
    expect(hall.interruptionCount).toBe(2);
    expect(series[0]!.values[0]![1]).toBe(hall.interruptionCount);
  });

  it('大厅实时 · 告警记录: every alert of the range, type, severity, status and reason in Chinese', async () => {
    const now = at(D, '17:30:00');
    const range = opened('hallwatch-hall-live', now);
    const { series, p } = await run('hallwatch-hall-live', '告警记录', range, now);
    const organised = organize(tableFrame(series), p.transformations[1].options);
    const read = (row: unknown[], col: string) =>
      mapped(p.fieldConfig.defaults.mappings, row[organised.columns.indexOf(col)]);
    const ids = organised.rows.map((r) => r[organised.columns.indexOf('告警编号')]);
    expect(new Set(ids).size).toBe(ids.length);
    const tenFortyTwo = organised.rows.find((r) => r[0] === at(D, '10:42:00'))!;
    expect(['类型', '级别', '窗口', '状态'].map((c) => read(tenFortyTwo, c))).toEqual([
      '脱岗',
      '严重',
      'w07',
      '已恢复',
    ]);
    const retracted = organised.rows.find((r) => r[0] === at(D, '16:20:00'))!;
    expect(read(retracted, '关闭原因')).toBe('已撤销');
    // No English value reaches the reader in the type, severity and status columns.
    for (const r of organised.rows)
      for (const c of ['类型', '级别', '状态']) expect(read(r, c), c).toMatch(/^[\u4e00-\u9fff]+$/);
  });

  it('考核统计 · 各窗口服务时间构成: per-state bars sum to the session length and equal the API’s seconds', async () => {
    const { series, p } = await run('hallwatch-assessment', '各窗口服务时间构成（小时）', day, day.to);
    const [pivot, rename] = p.transformations;
    expect(pivot.id).toBe('groupingToMatrix');
    const frame: Frame = organize(groupingToMatrix(tableFrame(series), pivot.options), rename.options);
    const rows = await api.uptime({ hall: HALL, ...day, by: 'day' });
    const PART: Record<string, keyof UptimeRow> = {
      在岗: 'staffedSeconds',
      临时离开: 'awaySeconds',
      暂停服务: 'pausedSeconds',
      无人值守: 'unattendedSeconds',
      设备离线: 'unknownSeconds',
    };
    for (const c of config.halls[0]!.counters) {
      const bar = frame.rows.find((r) => r[0] === c.id);
      expect(bar, `${c.id} has a bar`).toBeDefined();
      const sessions = calendar.sessionsOn(HALL, c.id, D).reduce((s, x) => s + (x.end - x.start), 0);
      const total = frame.columns.slice(1).reduce((s, _, i) => s + Number(bar![i + 1]), 0);
      expect(total, `${c.id} bar height`).toBeCloseTo(sessions / 3_600_000, 9);
      const apiRow = rows.rows.find((r) => (r as UptimeRow).counter === c.id) as UptimeRow;
      for (const [word, field] of Object.entries(PART)) {
        const i = frame.columns.indexOf(word);
        const shown = i < 0 ? 0 : Number(bar![i]);
        expect(shown, `${c.id} ${word}`).toBeCloseTo((apiRow[field] as number) / 3600, 9);
      }
      // Every segment is a state the board knows, in its words.
      for (const col of frame.columns.slice(1)) expect(Object.keys(PART)).toContain(col);
    }
  });

  it('考核统计 · 缺位与迟到明细: the API’s interruptions and late openings of the day, with the person charged', async () => {
    const { series, p } = await run('hallwatch-assessment', '缺位与迟到明细', day, day.to);
    const frame = organize(tableFrame(series), p.transformations[1].options);
    const read = (row: unknown[], col: string) =>
      mapped(p.fieldConfig.defaults.mappings, row[frame.columns.indexOf(col)]);
    const hall = (await api.uptime({ hall: HALL, ...day, by: 'day', scope: 'hall' })).rows[0] as UptimeRow;
    const counted = frame.rows.filter(
      (r) => ['脱岗', '窗口缺位'].includes(read(r, '类型')) && read(r, '关闭原因') !== '已撤销',
    );
    expect(counted).toHaveLength(hall.interruptionCount);
    expect(frame.rows.filter((r) => read(r, '类型') === '未准时开窗')).toHaveLength(hall.lateOpenings);
    expect(counted.map((r) => read(r, '责任人'))).toEqual(['E1023', 'E1023']);
  });

  it('设备与环境 · 设备状态: the printer reads 故障 over lunch and 正常 after 13:41, the queue machine 故障 from 16:58', async () => {
    const now = at(D, '17:30:00');
    const { series, p, interval } = await run(
      'hallwatch-facilities',
      '设备状态',
      opened('hallwatch-facilities', now),
      now,
    );
    expect(interval).toBe(60_000);
    const read = (tags: Record<string, string>, t: number) =>
      mapped(p.fieldConfig.defaults.mappings, valueAt(seriesOf(series, tags)!, t));
    expect(read({ counter: 'w07', equipment: 'printer' }, at(D, '12:30:00'))).toBe('故障');
    expect(read({ counter: 'w07', equipment: 'printer' }, at(D, '14:00:00'))).toBe('正常');
    expect(read({ counter: 'w07', equipment: 'pc' }, at(D, '14:00:00'))).toBe('正常');
    expect(read({ counter: '', equipment: 'queue' }, at(D, '17:10:00'))).toBe('故障');
  });

  it('设备与环境 · environment panels: the reading of the minute, drawn red outside the configured band', async () => {
    const now = at(D, '17:30:00');
    const range = opened('hallwatch-facilities', now);
    const expected: Record<string, number> = {
      lux: 330,
      temperature: 24.5,
      humidity: 45,
      co2: 800,
      noise: 52,
    };
    const titles = dashboard('hallwatch-facilities').panels.filter((x: Json) => x.type === 'timeseries');
    expect(titles).toHaveLength(5);
    for (const tp of titles) {
      const { series, p } = await run('hallwatch-facilities', tp.title, range, now);
      const field = /mean\("(\w+)"\)/.exec(p.targets[0].query)![1]!;
      const env1 = seriesOf(series, { sensor: 'env1' })!;
      expect(valueAt(env1, at(D, '10:00:30')), field).toBe(expected[field]);
      const steps = p.fieldConfig.defaults.thresholds.steps;
      const band = config.halls[0]!.thresholds[field as 'lux'];
      const inside =
        (band?.min === undefined || expected[field]! >= band.min) &&
        (band?.max === undefined || expected[field]! <= band.max);
      expect(thresholdColour(steps, expected[field]!), field).toBe(inside ? 'green' : 'red');
    }
    const lux = (await run('hallwatch-facilities', '照度 (lx)', range, now)).series[0]!;
    expect(valueAt(lux, at(D, '14:30:30'))).toBe(180);
    const steps = panel('hallwatch-facilities', '照度 (lx)').fieldConfig.defaults.thresholds.steps;
    expect(thresholdColour(steps, 180)).toBe('red');
    expect(thresholdColour(steps, 330)).toBe('green');
  });

  it('counters picked in the variable narrow the timeline to them (the regex Grafana builds for one value, for several)', async () => {
    const now = at(D, '17:30:00');
    const { series } = await run(
      'hallwatch-hall-live',
      '窗口状态时间线',
      opened('hallwatch-hall-live', now),
      now,
      {
        counter: { value: ['w07'] },
        hall: { value: 'cz-main' },
      },
    );
    expect(series.map((s) => s.tags?.counter)).toEqual(['w07']);
    // Two picked: Grafana sends (w12|w03).
    const two = await run('hallwatch-hall-live', '窗口状态时间线', opened('hallwatch-hall-live', now), now, {
      counter: { value: ['w12', 'w03'] },
    });
    expect(two.series.map((s) => s.tags?.counter).sort()).toEqual(['w03', 'w12']);
  });

  it('every panel of every dashboard was read above', () => {
    const all = dashboards.flatMap((d) =>
      d.panels.filter((p: Json) => p.type !== 'row').map((p: Json) => `${d.uid}/${p.title}`),
    );
    expect(all.filter((k: string) => !checked.has(k))).toEqual([]);
  });
});
