// The words of the 日报 and 月报, Simplified Chinese, from the reports the API serves (the same
// objects, never numbers of their own). Channels lay the lines out like any notification.
import { weekdayOf } from '../../core/calendar/zone.ts';
import type { Config, HallConfig } from '../../core/config/schema.ts';
import { formatDurationZh } from '../../core/duration.ts';
import { EQUIPMENT_KIND_LABELS, zhOf } from '../../core/vocabulary.ts';
import type { EquipmentReport, NoAbsenceReport, UptimeReport, UptimeRow } from '../../reports/types.ts';
import { localTime } from '../notify/render.ts';
import type { DueReport } from './schedule.ts';

const KIND_ZH: Record<string, string> = zhOf(EQUIPMENT_KIND_LABELS);
const WEEKDAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** What a 日报 is made of: the API's reports for the hall and the day. */
export interface DailyInput {
  hallRows: UptimeReport;
  counterRows: UptimeReport;
  noAbsence: NoAbsenceReport;
  equipment: EquipmentReport;
}

export interface MonthlyInput {
  hallRows: UptimeReport;
  equipment: EquipmentReport;
  filename: string;
}

export const percent = (r: number | null | undefined): string =>
  r === null || r === undefined ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
const seconds = (s: number) => formatDurationZh(s * 1000);

export class ReportText {
  private readonly staffNames: Map<string, string>;
  constructor(private readonly config: Config) {
    this.staffNames = new Map(config.staff.map((s) => [s.id, s.name]));
  }

  hall(id: string): HallConfig {
    const h = this.config.halls.find((x) => x.id === id);
    if (!h) throw new Error(`unknown hall ${id}`);
    return h;
  }

  private counterName(hall: HallConfig, id: string | undefined): string {
    if (!id) return '大厅';
    return hall.counters.find((c) => c.id === id)?.name ?? `${id}号窗口`;
  }

  private person(id: string | undefined): string {
    if (!id) return '未认定';
    const n = this.staffNames.get(id);
    return n ? `${n}(${id})` : id;
  }

  private hallRow(r: UptimeReport): UptimeRow | undefined {
    return r.rows[0] as UptimeRow | undefined;
  }

  dailyTitle(due: DueReport): string {
    return `【日报】${this.hall(due.hall).name} ${due.period}（${WEEKDAY_ZH[weekdayOf(due.period)]}）`;
  }

  /** The 日报's lines, sections in the configured order; a section with nothing to say says so. */
  dailyLines(due: DueReport, x: DailyInput): string[] {
    const hall = this.hall(due.hall);
    const total = this.hallRow(x.hallRows);
    const counters = x.counterRows.rows as UptimeRow[];
    const tz = this.config.timezone;
    const lines: string[] = [];
    if (total)
      lines.push(`计划服务时长：${seconds(total.scheduledSeconds)}；在岗率：${percent(total.onPostRate)}`);
    for (const section of this.config.notifications.reports.daily.content) {
      if (section === 'interruptions') {
        const list = x.noAbsence.rows
          .filter((r) => r.subject === 'counter')
          .flatMap((r) => r.interruptions)
          .filter((i) => !i.voided && i.openedAt >= due.from && i.openedAt < due.to)
          .sort((a, b) => a.openedAt - b.openedAt);
        lines.push(`缺位次数：${total?.interruptionCount ?? list.length}`);
        for (const i of list)
          lines.push(
            `  ${localTime(i.openedAt, tz).slice(11, 16)} ${this.counterName(hall, i.counter)}，责任人 ${this.person(i.staff)}`,
          );
      } else if (section === 'lateOpenings') {
        lines.push(`迟到开窗次数：${total?.lateOpenings ?? 0}`);
        for (const c of counters.filter((r) => r.lateOpenings > 0))
          lines.push(
            `  ${this.counterName(hall, c.counter)} ${c.lateOpenings} 次${c.meanLateSeconds !== null ? `，平均迟到 ${seconds(c.meanLateSeconds)}` : ''}`,
          );
      } else if (section === 'paused') {
        lines.push(`暂停服务时长：${seconds(total?.pausedSeconds ?? 0)}`);
        for (const c of counters.filter((r) => r.pausedSeconds > 0))
          lines.push(
            `  ${this.counterName(hall, c.counter)} ${seconds(c.pausedSeconds)}${c.pausedOverLimit > 0 ? `（超时 ${seconds(c.pausedOverLimit)}）` : ''}`,
          );
      } else if (section === 'openFaults') {
        const open = x.equipment.rows.filter((r) => r.openFaults > 0);
        lines.push(`未修复设备故障：${open.reduce((s, r) => s + r.openFaults, 0)}`);
        for (const r of open)
          lines.push(
            `  ${this.counterName(hall, r.counter)} ${r.name ?? KIND_ZH[r.kind] ?? r.equipment}（${r.equipment}）`,
          );
      } else if (section === 'sensorCoverage') {
        lines.push(
          `传感器覆盖率：${percent(total?.sensorCoverage)}${total?.unknownSeconds ? `（状态未知 ${seconds(total.unknownSeconds)}）` : ''}`,
        );
        for (const c of counters.filter((r) => r.sensorCoverage !== null && r.sensorCoverage < 1))
          lines.push(`  ${this.counterName(hall, c.counter)} ${percent(c.sensorCoverage)}`);
      }
    }
    return lines;
  }

  monthlyTitle(due: DueReport): string {
    return `【月报】${this.hall(due.hall).name} ${due.period.slice(0, 4)}年${due.period.slice(5, 7)}月 考核统计`;
  }

  monthlyLines(due: DueReport, x: MonthlyInput): string[] {
    const t = this.hallRow(x.hallRows);
    const last = localTime(due.to - 1, this.config.timezone).slice(0, 10);
    return [
      `统计区间：${due.period}-01 至 ${last}`,
      `在岗率：${percent(t?.onPostRate)}；传感器覆盖率：${percent(t?.sensorCoverage)}`,
      `缺位次数：${t?.interruptionCount ?? 0}；迟到开窗次数：${t?.lateOpenings ?? 0}；准时开窗率：${percent(t?.onTimeOpeningRate)}`,
      `暂停服务时长：${seconds(t?.pausedSeconds ?? 0)}；设备完好率：${percent(x.equipment.availability)}`,
      `附件：${x.filename}（在岗统计、人员统计、设备完好、环境达标、无缺位）`,
    ];
  }
}
