// The workbook an assessor downloads reads like one made by hand (issue 17): durations as Excel
// durations ([h]:mm:ss), periods and times as Excel dates with a date format, a filter on the
// header row over the table, the header frozen. Read back with exceljs, as Excel would see it.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { toXlsx, XLSX_FORMATS } from '../../reports/export.ts';
import type {
  EnvironmentRow,
  NoAbsenceReport,
  StaffUptimeRow,
  UptimeReport,
  UptimeRow,
} from '../../reports/types.ts';
import { excelSeconds, expectFilteredFrozen } from './xlsx-read.ts';

const uptimeRow = (period: string, staffedSeconds: number) =>
  ({
    hall: 'cz-main',
    counter: 'w07',
    counterName: '7号窗口',
    period,
    scheduledSeconds: 23_400,
    staffedSeconds,
    meanAbsenceSeconds: 95,
    onPostRate: staffedSeconds / 23_400,
    absenceCount: 3,
  }) as unknown as UptimeRow;

const uptime = (by: UptimeReport['by'], rows: UptimeRow[]): UptimeReport => ({
  hall: 'cz-main',
  from: 0,
  to: 1,
  by,
  scope: 'counter',
  rows,
  warnings: [],
});

async function workbook(
  by: UptimeReport['by'],
  rows: UptimeRow[],
  noAbsence: Partial<NoAbsenceReport> = {},
): Promise<ExcelJS.Workbook> {
  const buf = await toXlsx({
    uptime: uptime(by, rows),
    staff: {
      ...uptime(by, []),
      scope: 'staff',
      rows: [
        {
          staff: 'E1023',
          counters: ['w07'],
          period: rows[0]!.period,
          staffedSeconds: 3_600,
        } as StaffUptimeRow,
      ],
    },
    equipment: { hall: 'cz-main', from: 0, to: 1, rows: [], availability: null },
    environment: {
      hall: 'cz-main',
      from: 0,
      to: 1,
      rows: [{ sensor: 'env1', metric: 'lux', period: '2026-03', serviceSeconds: 600 } as EnvironmentRow],
    },
    noAbsence: { hall: 'cz-main', from: 0, to: 1, rows: [], changes: [], ...noAbsence },
    localTime: (t) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '),
  });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  return wb;
}

describe('XLSX workbook', () => {
  it('durations are [h]:mm:ss numbers, a day period is a date, rates are percentages', async () => {
    const wb = await workbook('day', [uptimeRow('2026-03-09', 20_000), uptimeRow('2026-03-10', 30_000)]);
    const ws = wb.getWorksheet('在岗统计')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (name: string) => header.indexOf(name) + 1;
    expect(header).toContain('在岗时长');
    expect(header.some((h) => h.includes('(秒)'))).toBe(false);
    const day = ws.getRow(2);
    expect(day.getCell(col('统计周期')).type).toBe(ExcelJS.ValueType.Date);
    expect(day.getCell(col('统计周期')).value).toEqual(new Date('2026-03-09T00:00:00Z'));
    expect(day.getCell(col('统计周期')).numFmt).toBe('yyyy-mm-dd');
    expect(day.getCell(col('在岗时长')).numFmt).toBe(XLSX_FORMATS.duration);
    expect(excelSeconds(day.getCell(col('在岗时长')).value)).toBe(20_000);
    expect(excelSeconds(day.getCell(col('平均离岗时长')).value)).toBe(95);
    // 30,000 s is 8:20:00 — past a day's worth of hours still reads as hours with [h].
    expect(excelSeconds(ws.getRow(3).getCell(col('在岗时长')).value)).toBe(30_000);
    expect(day.getCell(col('在岗率')).numFmt).toBe('0.00%');
    expect(day.getCell(col('离岗次数')).value).toBe(3);
    expect(day.getCell(col('离岗次数')).type).toBe(ExcelJS.ValueType.Number);
    // The staff sheet's durations too.
    const staff = wb.getWorksheet('人员统计')!;
    expect(staff.getRow(1).getCell(5).value).toBe('在岗时长');
    expect(excelSeconds(staff.getRow(2).getCell(5).value)).toBe(3_600);
    expect(staff.getRow(2).getCell(5).numFmt).toBe('[h]:mm:ss');
  });

  it('week, month and year periods are the dates of their first day with a matching format', async () => {
    const cell = async (by: UptimeReport['by'], period: string) =>
      (await workbook(by, [uptimeRow(period, 1)])).getWorksheet('在岗统计')!.getRow(2).getCell(3);
    const week = await cell('week', '2026-W11');
    expect(week.value).toEqual(new Date('2026-03-09T00:00:00Z')); // Monday of ISO week 11
    expect(week.numFmt).toBe(XLSX_FORMATS.week);
    const month = await cell('month', '2026-03');
    expect(month.value).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(month.numFmt).toBe('yyyy-mm');
    const year = await cell('year', '2026');
    expect(year.value).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(year.numFmt).toBe('yyyy');
  });

  it('the environment month and the attribution log times are Excel dates', async () => {
    const openedAt = Date.UTC(2026, 2, 9, 6, 5, 7); // 14:05:07 in Beijing
    const wb = await workbook('day', [uptimeRow('2026-03-09', 1)], {
      changes: [
        {
          alertId: 'unattended-w07-1',
          counter: 'w07',
          openedAt,
          at: openedAt + 3_600_000,
          by: '张主任',
          note: '系统故障',
          previous: 'E1023',
          void: true,
        },
      ],
    });
    const envRow = wb.getWorksheet('环境达标')!.getRow(2);
    expect(envRow.getCell(6).value).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(envRow.getCell(6).numFmt).toBe('yyyy-mm');
    const log = wb.getWorksheet('缺位改判记录')!;
    expect(log.getRow(2).getCell(3).value).toEqual(new Date('2026-03-09T14:05:07Z')); // wall clock, no zone
    expect(log.getRow(2).getCell(3).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(log.getRow(2).getCell(7).value).toEqual(new Date('2026-03-09T15:05:07Z'));
  });

  it('every sheet has a filter over its table and a frozen header row', async () => {
    const wb = await workbook('day', [uptimeRow('2026-03-09', 1), uptimeRow('2026-03-10', 2)]);
    expect(wb.worksheets).toHaveLength(5);
    expectFilteredFrozen(wb);
    expect(wb.getWorksheet('在岗统计')!.autoFilter).toBe('A1:AD3');
  });
});
