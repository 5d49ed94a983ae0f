// The columns of each report as users read them (Chinese headers), shared by CSV and XLSX.
import type { SanctionLevel } from '../core/stats/no-absence.ts';
import {
  EQUIPMENT_KIND_LABELS,
  FIGURE_LABELS,
  type FigureKey,
  METRIC_LABELS,
  RECIPIENT_ROLE_LABELS,
  COUNTER_STATE_LABELS as STATE,
  zhOf,
} from '../core/vocabulary.ts';
import type {
  AttributionChangeRow,
  EnvironmentRow,
  EquipmentRow,
  NoAbsenceRow,
  StaffUptimeRow,
  UptimeRow,
} from './types.ts';

/**
 * How a value is written: CSV keeps seconds, period keys and local times as they are; the XLSX
 * writes seconds as Excel durations ([h]:mm:ss), periods as Excel dates and local times as Excel
 * date-times (reports/export.ts).
 */
export type CellKind = 'text' | 'int' | 'seconds' | 'rate' | 'period' | 'localTime';
export interface Column<R> {
  header: string;
  kind: CellKind;
  value(row: R): string | number | null | undefined;
}
/** A figure's column, named by the vocabulary (durations say their unit: seconds). */
const fig = <R>(key: FigureKey, kind: CellKind, value: (row: R) => string | number | null | undefined) =>
  c<R>(`${FIGURE_LABELS[key].zh}${kind === 'seconds' ? '(秒)' : ''}`, kind, value);
const c = <R>(
  header: string,
  kind: CellKind,
  value: (row: R) => string | number | null | undefined,
): Column<R> => ({
  header,
  kind,
  value,
});

export const UPTIME_COLUMNS: Column<UptimeRow>[] = [
  c('窗口', 'text', (r) => r.counter ?? '全大厅'),
  c('窗口名称', 'text', (r) => r.counterName ?? ''),
  c('统计周期', 'period', (r) => r.period),
  fig('scheduledSeconds', 'seconds', (r) => r.scheduledSeconds),
  c(`${STATE.staffed.zh}时长(秒)`, 'seconds', (r) => r.staffedSeconds),
  c(`${STATE.away.zh}时长(秒)`, 'seconds', (r) => r.awaySeconds),
  c(`${STATE.paused.zh}时长(秒)`, 'seconds', (r) => r.pausedSeconds),
  c('缺位时长(秒)', 'seconds', (r) => r.unattendedSeconds),
  c('状态未知时长(秒)', 'seconds', (r) => r.unknownSeconds),
  fig('onPostRate', 'rate', (r) => r.onPostRate),
  fig('sensorCoverage', 'rate', (r) => r.sensorCoverage),
  fig('absenceCount', 'int', (r) => r.absenceCount),
  fig('meanAbsenceSeconds', 'seconds', (r) => r.meanAbsenceSeconds),
  c('超时离岗次数', 'int', (r) => r.overLimitAbsences),
  fig('interruptionCount', 'int', (r) => r.interruptionCount),
  c('早退时长(秒)', 'seconds', (r) => r.earlyLeaveSeconds),
  c('计划开窗次数', 'int', (r) => r.sessions),
  c('开窗时状态未知次数', 'int', (r) => r.sessionsUnknownAtOpening),
  c('准时开窗次数', 'int', (r) => r.onTimeOpenings),
  fig('lateOpenings', 'int', (r) => r.lateOpenings),
  c('平均迟到时长(秒)', 'seconds', (r) => r.meanLateSeconds),
  fig('onTimeOpeningRate', 'rate', (r) => r.onTimeOpeningRate),
  c('首场次数', 'int', (r) => r.firstSessions),
  c('准备到位次数', 'int', (r) => r.readySessions),
  c('准备到位率', 'rate', (r) => r.readinessRate),
  fig('pausedOverLimit', 'seconds', (r) => r.pausedOverLimit),
  fig('understaffed', 'seconds', (r) => r.understaffed),
  fig('lateArrivals', 'int', (r) => r.lateArrivals),
  fig('waitingAffected', 'int', (r) => r.waitingAffected),
  fig('voided', 'int', (r) => r.voided),
];

export const STAFF_COLUMNS: Column<StaffUptimeRow>[] = [
  c('工号', 'text', (r) => r.staff),
  c('姓名', 'text', (r) => r.staffName ?? ''),
  c('窗口', 'text', (r) => r.counters.join(' ')),
  c('统计周期', 'period', (r) => r.period),
  c('在岗时长(秒)', 'seconds', (r) => r.staffedSeconds),
  c('顶岗时长(秒)', 'seconds', (r) => r.coverSeconds),
  fig('interruptionCount', 'int', (r) => r.interruptionCount),
  fig('lateOpenings', 'int', (r) => r.lateOpenings),
  fig('lateArrivals', 'int', (r) => r.lateArrivals),
];

export const EQUIPMENT_COLUMNS: Column<EquipmentRow>[] = [
  c('窗口', 'text', (r) => r.counter ?? '大厅'),
  c('设备', 'text', (r) => r.equipment),
  c('类型', 'text', (r) => EQUIPMENT_KIND_ZH[r.kind] ?? r.kind),
  c('名称', 'text', (r) => r.name ?? ''),
  c('服务时长(秒)', 'seconds', (r) => r.serviceSeconds),
  c('有数据时长(秒)', 'seconds', (r) => r.dataSeconds),
  c('正常时长(秒)', 'seconds', (r) => r.okSeconds),
  c('不可用时长(秒)', 'seconds', (r) => r.unavailableSeconds),
  fig('availability', 'rate', (r) => r.availability),
  fig('faultCount', 'int', (r) => r.faultCount),
  fig('meanTimeToRepairSeconds', 'seconds', (r) => r.meanTimeToRepairSeconds),
  fig('openFaults', 'int', (r) => r.openFaults),
];

export const ENVIRONMENT_COLUMNS: Column<EnvironmentRow>[] = [
  c('传感器', 'text', (r) => r.sensor),
  c('窗口', 'text', (r) => r.counter ?? ''),
  c('指标', 'text', (r) => METRIC_ZH[r.metric] ?? r.metric),
  c('下限', 'text', (r) => r.min ?? ''),
  c('上限', 'text', (r) => r.max ?? ''),
  c('月份', 'period', (r) => r.period),
  c('服务时长(秒)', 'seconds', (r) => r.serviceSeconds),
  c('有数据时长(秒)', 'seconds', (r) => r.dataSeconds),
  c('达标时长(秒)', 'seconds', (r) => r.inBandSeconds),
  c('环境达标率', 'rate', (r) => r.compliance),
];

export const LEVEL_ZH: Record<SanctionLevel, string> = {
  none: '无',
  criticism: '批评',
  publicNotice: '通报批评、诫勉谈话',
  transferRecommended: '通报批评并建议调离窗口岗位',
};

/** Month columns depend on the range, so the no-absence columns are built per report. */
export function noAbsenceColumns(rows: readonly NoAbsenceRow[]): Column<NoAbsenceRow>[] {
  const months = [...new Set(rows.flatMap((r) => r.months.map((m) => m.month)))].sort();
  return [
    c('对象', 'text', (r) => (r.subject === 'counter' ? '窗口' : RECIPIENT_ROLE_LABELS.staff.zh)),
    c('窗口', 'text', (r) => r.counter ?? ''),
    c('窗口名称', 'text', (r) => r.counterName ?? ''),
    c('工号', 'text', (r) => r.staff ?? ''),
    c('姓名', 'text', (r) => r.staffName ?? ''),
    c('年度', 'int', (r) => r.year),
    c('本年缺位次数(截至统计期末)', 'int', (r) => r.yearCount),
    ...months.map((m) =>
      c<NoAbsenceRow>(`${m} 缺位次数`, 'int', (r) =>
        m.startsWith(`${r.year}-`) ? (r.months.find((x) => x.month === m)?.count ?? 0) : null,
      ),
    ),
    c('处理等级', 'text', (r) => LEVEL_ZH[r.level]),
    fig<NoAbsenceRow>('voided', 'int', (r) => r.voided.length),
  ];
}

/** R28: every attribution change (who, when, why), for the 无缺位 workbook. */
export function attributionColumns(localTime: (t: number) => string): Column<AttributionChangeRow>[] {
  return [
    c('告警编号', 'text', (r) => r.alertId),
    c('窗口', 'text', (r) => r.counter),
    c('缺位发生时间', 'localTime', (r) => localTime(r.openedAt)),
    c('原责任人', 'text', (r) => r.previous ?? ''),
    c('改判为', 'text', (r) => (r.void ? '撤销(不计缺位)' : (r.responsible ?? ''))),
    c('改判人', 'text', (r) => r.by),
    c('改判时间', 'localTime', (r) => localTime(r.at)),
    c('理由', 'text', (r) => r.note),
  ];
}

export const METRIC_ZH: Record<string, string> = Object.fromEntries(
  Object.entries(METRIC_LABELS).map(([k, l]) => [k, `${l.zh}(${l.unit})`]),
);

export const EQUIPMENT_KIND_ZH: Record<string, string> = zhOf(EQUIPMENT_KIND_LABELS);
