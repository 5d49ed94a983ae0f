// Reading an exported workbook back as Excel would show it (test/reports/xlsx, exports).
import type ExcelJS from 'exceljs';
import { expect } from 'vitest';

/** The seconds of a duration cell: exceljs reads a [h]:mm:ss number back as a Date after 1899-12-30. */
export function excelSeconds(v: unknown): number {
  const ms = v instanceof Date ? v.getTime() - Date.UTC(1899, 11, 30) : Number(v) * 86_400_000;
  return Math.round(ms / 1000);
}

/** Every sheet: an autofilter from the header row over the whole table, the header frozen and bold. */
export function expectFilteredFrozen(wb: ExcelJS.Workbook): void {
  for (const ws of wb.worksheets) {
    const columns = ws.getRow(1).cellCount;
    expect(ws.autoFilter, ws.name).toBe(`A1:${ws.getColumn(columns).letter}${Math.max(1, ws.rowCount)}`);
    expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).font?.bold, ws.name).toBe(true);
  }
}
