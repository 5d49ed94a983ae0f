import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar/index.ts';
import { alertLine, engineAlertPoint } from '../../core/points/index.ts';
import { toCsv } from '../../reports/export.ts';
import { createReports, type EquipmentRow, type Reports, type UptimeRow } from '../../reports/index.ts';
import { at, config } from '../core/stats/fixtures.ts';
import {
  D,
  derivedLines,
  deviceLine,
  env,
  equipment,
  HALL,
  influxWithDb,
  interruption,
  logger,
  runLive,
  SCRIPT,
} from './helpers.ts';
import { excelSeconds, expectFilteredFrozen } from './xlsx-read.ts';

const calendar = createCalendar(config);
const D2 = '2026-03-10';

// S13: printer fault 12:20 (closed) → 13:41; hall queue fault 16:58 → 08:20 next day; the engine
// opens the equipment_fault alerts. S18: lux 180 from 14:00, 330 from 15:00 at env1.
const DEVICES = [
  equipment(D, '12:20:00', 'w07', 'printer', 'fault'),
  equipment(D, '13:41:00', 'w07', 'printer', 'ok'),
  equipment(D, '08:00:00', undefined, 'queue', 'ok'),
  equipment(D, '16:58:00', undefined, 'queue', 'fault'),
  equipment(D2, '08:20:00', undefined, 'queue', 'ok'),
];
const LUX = [] as ReturnType<typeof env>[];
for (let m = 9 * 60; m < 17 * 60; m++) {
  const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  LUX.push(env(D, time, 'env1', m >= 14 * 60 && m < 15 * 60 ? 180 : 330));
}

let db: Awaited<ReturnType<typeof influxWithDb>>;
let reports: Reports;
const range = { hall: HALL, from: calendar.startOfDay(D), to: calendar.startOfDay(D2) };

beforeAll(async () => {
  db = await influxWithDb();
  const events = [...SCRIPT, ...DEVICES, ...LUX];
  const live = runLive(config, calendar, events, range.from, calendar.startOfDay('2026-03-11'));
  // The live day already has one interruption (10:42); add S14's second one and earlier ones.
  const extra = [
    interruption('2026-01-15', '10:12:00', 'E1023'),
    interruption(D, '14:20:00', 'E1023'),
    interruption(D, '16:20:00', 'E1023', { reason: 'retracted', resolvedAt: at(D, '16:20:03') } as never),
    interruption('2026-02-03', '10:00:00', 'E2051'),
  ];
  await db.db.write([
    ...events.map(deviceLine),
    ...derivedLines(live),
    ...extra.map((a) => alertLine(engineAlertPoint(a))),
  ]);
  reports = createReports({ config, calendar, influx: db.target, logger });
});
afterAll(async () => {
  await reports?.close();
  await db?.influxd.cleanup();
});

describe('equipment and environment reports', () => {
  it('S13: 660 s of printer unavailability and 120 s of the queue machine; faults and repair time', async () => {
    const r = await reports.equipment({ ...range, to: calendar.startOfDay('2026-03-11') });
    const printer = r.rows.find((x) => x.equipment === 'printer') as EquipmentRow;
    expect(printer.unavailableSeconds).toBe(660);
    expect(printer.faultCount).toBe(1);
    expect(printer.meanTimeToRepairSeconds).toBe(660);
    const queue = r.rows.find((x) => x.equipment === 'queue') as EquipmentRow;
    expect(queue.counter).toBeUndefined();
    expect(queue.unavailableSeconds).toBe(120);
    expect(queue.faultCount).toBe(1);
    expect(queue.meanTimeToRepairSeconds).toBe(Math.round((at(D2, '08:20:00') - at(D, '16:58:00')) / 1000));
    expect(queue.availability).toBeCloseTo(1 - 120 / queue.dataSeconds, 9);
    const pc = r.rows.find((x) => x.equipment === 'pc') as EquipmentRow;
    // Paused counter time (15:00–15:30) is no service time for counter equipment (R11).
    expect(pc.serviceSeconds).toBe(2 * 23_400 - 1800);
    expect(pc.availability).toBe(1);
  });

  it('S18: lux compliance is the share of service minutes inside the band', async () => {
    const r = await reports.environment(range);
    const lux = r.rows.find((x) => x.sensor === 'env1' && x.metric === 'lux')!;
    expect(lux).toMatchObject({ period: '2026-03', min: 300, serviceSeconds: 23_400, dataSeconds: 23_400 });
    expect(lux.inBandSeconds).toBe(23_400 - 3600);
  });
});

describe('无缺位 report through InfluxDB', () => {
  it('S14: E1023 has 2 interruptions in March → transfer recommended, 3 in the year; E2051 criticism', async () => {
    const r = await reports.noAbsence({
      hall: HALL,
      from: calendar.startOfDay('2026-03-01'),
      to: calendar.startOfDay('2026-04-01'),
    });
    const a = r.rows.find((x) => x.staff === 'E1023')!;
    expect(a.yearCount).toBe(3);
    expect(a.months).toEqual([{ month: '2026-03', count: 2 }]);
    expect(a.level).toBe('transferRecommended');
    expect(a.staffName).toBe('张三');
    expect(r.rows.find((x) => x.staff === 'E2051')!.level).toBe('criticism');
    expect(r.rows.find((x) => x.counter === 'w07')!.yearCount).toBe(4);
    expect(r.rows.find((x) => x.counter === 'w12')!.level).toBe('none');
  });

  it('a January report: one interruption in the year so far → criticism', async () => {
    const r = await reports.noAbsence({
      hall: HALL,
      from: calendar.startOfDay('2026-01-01'),
      to: calendar.startOfDay('2026-02-01'),
    });
    expect(r.rows.find((x) => x.staff === 'E1023')).toMatchObject({ yearCount: 1, level: 'criticism' });
  });
});

const parseCsv = (text: string) => {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const [head, ...lines] = text.slice(1).trimEnd().split('\r\n');
  const headers = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [headers[i]!, v])));
};

describe('exports', () => {
  it('neutralises text cells a spreadsheet would run as a formula; numbers stay numbers', () => {
    const cols = [
      { header: '名称', kind: 'text' as const, value: (r: { t: string; n: number }) => r.t },
      { header: '值', kind: 'int' as const, value: (r: { t: string; n: number }) => r.n },
    ];
    const rows = [
      '=HYPERLINK("http://x","点我")',
      '+1',
      '-2+3',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      '正常',
      'a=b',
    ].map((t) => ({ t, n: -5 }));
    const lines = toCsv(cols, rows).replace('\uFEFF', '').split('\r\n');
    expect(lines.slice(1, 9)).toEqual([
      `"'=HYPERLINK(""http://x"",""点我"")",-5`,
      "'+1,-5",
      "'-2+3,-5",
      "'@SUM(A1),-5",
      "'\t=1,-5",
      `"'\r=1",-5`,
      '正常,-5',
      'a=b,-5',
    ]);
  });

  it('uptime CSV: BOM, Chinese headers, the numbers of the JSON report', async () => {
    const q = { ...range, counter: 'w07', by: 'day' as const };
    const json = (await reports.uptime(q)).rows[0] as UptimeRow;
    const rows = parseCsv(await reports.csv('uptime', q));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      窗口: 'w07',
      统计周期: D,
      '计划服务时长(秒)': '23400',
      '在岗时长(秒)': String(json.staffedSeconds),
      缺位次数: '2',
      在岗率: String(Math.round(json.onPostRate! * 1e6) / 1e6),
    });
  });

  it('equipment and no-absence CSV carry Chinese headers and levels', async () => {
    const eq = parseCsv(await reports.equipmentCsv(range));
    expect(eq.find((r) => r.设备 === 'printer')).toMatchObject({ 类型: '打印机', '不可用时长(秒)': '660' });
    const na = parseCsv(
      await reports.csv('noAbsence', {
        hall: HALL,
        from: calendar.startOfDay('2026-03-01'),
        to: calendar.startOfDay('2026-04-01'),
      }),
    );
    expect(na.find((r) => r.工号 === 'E1023')).toMatchObject({
      '2026-03 缺位次数': '2',
      处理等级: '通报批评并建议调离窗口岗位',
    });
  });

  it('XLSX: a sheet per report with Chinese headers and the same numbers', async () => {
    const buf = await reports.xlsx({ ...range, by: 'day' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '在岗统计',
      '人员统计',
      '设备完好',
      '环境达标',
      '无缺位',
    ]);
    const ws = wb.getWorksheet('在岗统计')!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 5)).toEqual(['窗口', '窗口名称', '统计周期', '计划服务时长', '在岗时长']);
    const json = (await reports.uptime({ ...range, by: 'day' })).rows as UptimeRow[];
    const w07 = json.find((r) => r.counter === 'w07')!;
    const row = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(1).value === 'w07')!;
    // Durations are Excel durations (days) shown [h]:mm:ss: 6:30:00, not 23400.
    expect(row.getCell(4).numFmt).toBe('[h]:mm:ss');
    expect(excelSeconds(row.getCell(4).value)).toBe(23_400);
    expect(excelSeconds(row.getCell(5).value)).toBe(w07.staffedSeconds);
    // The day is a real Excel date.
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.Date);
    expect(row.getCell(3).numFmt).toBe('yyyy-mm-dd');
    expect(row.getCell(3).value).toEqual(new Date(`${D}T00:00:00Z`));
    expect(row.getCell(headers.indexOf('在岗率') + 1).value).toBeCloseTo(w07.onPostRate!, 9);
    expect(row.getCell(headers.indexOf('在岗率') + 1).numFmt).toBe('0.00%');
    expectFilteredFrozen(wb);
    const eq = wb.getWorksheet('设备完好')!;
    expect((eq.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['窗口', '设备', '类型']);
  });
});
