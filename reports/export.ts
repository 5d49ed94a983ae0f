// CSV (UTF-8 with BOM so Excel opens Chinese correctly, CRLF) and XLSX (exceljs, a sheet per report).
import ExcelJS from 'exceljs';
import {
  attributionColumns,
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

function addSheet<R>(wb: ExcelJS.Workbook, name: string, columns: readonly Column<R>[], rows: readonly R[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.header,
    width: Math.max(10, c.header.length * 2 + 2),
    ...(c.kind === 'rate' ? { style: { numFmt: '0.00%' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow(
      columns.map((c) => {
        const v = c.value(r);
        return v === undefined || v === '' ? null : v;
      }),
    );
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
