// CSV (UTF-8 with BOM so Excel opens Chinese correctly, CRLF) and XLSX (exceljs, a sheet per report)
// that reads like a hand-made workbook: durations [h]:mm:ss, dates as dates, filters, frozen header.
import ExcelJS from 'exceljs';
import { periodFirstDate } from '../core/stats/periods.ts';
import {
  attributionColumns,
  type CellKind,
  type Column,
  ENVIRONMENT_COLUMNS,
  EQUIPMENT_COLUMNS,
  noAbsenceColumns,
  STAFF_COLUMNS,
  UPTIME_COLUMNS,
} from './columns.ts';
import type {
  EnvironmentReport,
  EquipmentReport,
  NoAbsenceReport,
  StaffUptimeRow,
  UptimeReport,
  UptimeRow,
} from './types.ts';

const BOM = '\uFEFF';

/**
 * A text cell a spreadsheet would read as a formula (= + - @, or a leading tab/CR that hides one)
 * gets a leading apostrophe (OWASP "CSV injection"): names and device texts come from people and
 * devices, and `=HYPERLINK(…)` in a report must stay text. Numbers are written as numbers.
 */
export function neutralise(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvCell(v: string | number | null | undefined, kind: Column<unknown>['kind']): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'number')
    return kind === 'rate' ? (Math.round(v * 1_000_000) / 1_000_000).toString() : String(v);
  const text = neutralise(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => csvCell(c.header, 'text')).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.value(r), c.kind)).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

export function uptimeCsv(r: UptimeReport): string {
  return r.scope === 'staff'
    ? toCsv(STAFF_COLUMNS, r.rows as StaffUptimeRow[])
    : toCsv(UPTIME_COLUMNS, r.rows as UptimeRow[]);
}
export const equipmentCsv = (r: EquipmentReport) => toCsv(EQUIPMENT_COLUMNS, r.rows);
export const environmentCsv = (r: EnvironmentReport) => toCsv(ENVIRONMENT_COLUMNS, r.rows);
export const noAbsenceCsv = (r: NoAbsenceReport) => toCsv(noAbsenceColumns(r.rows), r.rows);

/** Excel formats of the workbook: what an assessor would have chosen by hand. */
export const XLSX_FORMATS = {
  duration: '[h]:mm:ss',
  date: 'yyyy-mm-dd',
  week: 'yyyy-mm-dd"起一周"',
  month: 'yyyy-mm',
  year: 'yyyy',
  dateTime: 'yyyy-mm-dd hh:mm:ss',
  rate: '0.00%',
} as const;

/** Excel keeps wall-clock dates without a zone: local Y-M-D h:m:s as that instant in UTC (exceljs writes UTC). */
const wallClock = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  new Date(Date.UTC(y, mo - 1, d, h, mi, s));

/** A period key (2026-03-09, 2026-W11, 2026-03, 2026) as the Excel date of its first day. */
function periodCell(key: string): { value: Date; numFmt: string } | undefined {
  const first = /^\d{4}-W\d{2}$/.test(key) ? periodFirstDate(key) : undefined;
  const [y, mo = 1, d = 1] = (first ?? key).split('-').map(Number) as [number, number?, number?];
  if (!Number.isInteger(y) || !Number.isInteger(mo) || !Number.isInteger(d)) return undefined;
  const numFmt = first
    ? XLSX_FORMATS.week
    : /^\d{4}-\d{2}-\d{2}$/.test(key)
      ? XLSX_FORMATS.date
      : /^\d{4}-\d{2}$/.test(key)
        ? XLSX_FORMATS.month
        : XLSX_FORMATS.year;
  return { value: wallClock(y, mo, d), numFmt };
}

/** A local time written `YYYY-MM-DD HH:MM:SS` (or ISO) as an Excel date-time. */
function localTimeCell(text: string): { value: Date; numFmt: string } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return { value: wallClock(y, mo, d, h, mi, sec), numFmt: XLSX_FORMATS.dateTime };
}

/** One value as an XLSX cell: durations in days with [h]:mm:ss, periods and times as dates. */
function xlsxCell(
  v: string | number | null | undefined,
  kind: CellKind,
): { value: ExcelJS.CellValue; numFmt?: string } {
  if (v === null || v === undefined || v === '') return { value: null };
  if (kind === 'seconds' && typeof v === 'number')
    return { value: v / 86_400, numFmt: XLSX_FORMATS.duration };
  if (kind === 'rate' && typeof v === 'number') return { value: v, numFmt: XLSX_FORMATS.rate };
  if (kind === 'period' && typeof v === 'string') return periodCell(v) ?? { value: v };
  if (kind === 'localTime' && typeof v === 'string') return localTimeCell(v) ?? { value: v };
  return { value: v };
}

/** The CSV header says the unit (…(秒)); in the workbook the [h]:mm:ss format says it. */
const xlsxHeader = (c: Column<unknown>) =>
  c.kind === 'seconds' ? c.header.replace(/\(秒\)$/, '') : c.header;

const WIDTH: Partial<Record<CellKind, number>> = { period: 14, localTime: 20, seconds: 12 };

function addSheet<R>(wb: ExcelJS.Workbook, name: string, columns: readonly Column<R>[], rows: readonly R[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: xlsxHeader(c as Column<unknown>),
    width: Math.max(WIDTH[c.kind] ?? 10, xlsxHeader(c as Column<unknown>).length * 2 + 2),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const cells = columns.map((c) => xlsxCell(c.value(r), c.kind));
    const row = ws.addRow(cells.map((x) => x.value));
    cells.forEach((x, i) => {
      if (x.numFmt) row.getCell(i + 1).numFmt = x.numFmt;
    });
  }
  // A filter button on every header cell, over the whole table.
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, ws.rowCount), column: columns.length },
  };
}

export interface Workbook {
  uptime: UptimeReport;
  staff?: UptimeReport;
  equipment: EquipmentReport;
  environment: EnvironmentReport;
  noAbsence: NoAbsenceReport;
  /** Local wall-clock text of an instant (YYYY-MM-DD HH:MM:SS) for the change log. */
  localTime?: (t: number) => string;
}

const isoTime = (t: number) => new Date(t).toISOString();

/** Sheets: 在岗统计, 人员统计 (when given), 设备完好, 环境达标, 无缺位. */
export async function toXlsx(w: Workbook): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'HallWatch';
  addSheet(wb, '在岗统计', UPTIME_COLUMNS, w.uptime.rows as UptimeRow[]);
  if (w.staff) addSheet(wb, '人员统计', STAFF_COLUMNS, w.staff.rows as StaffUptimeRow[]);
  addSheet(wb, '设备完好', EQUIPMENT_COLUMNS, w.equipment.rows);
  addSheet(wb, '环境达标', ENVIRONMENT_COLUMNS, w.environment.rows);
  addSheet(wb, '无缺位', noAbsenceColumns(w.noAbsence.rows), w.noAbsence.rows);
  if (w.noAbsence.changes.length)
    addSheet(wb, '缺位改判记录', attributionColumns(w.localTime ?? isoTime), w.noAbsence.changes);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
