// What the reports module offers the API, the CLI and the exports (issue 7).
// Queries take instants [from, to) in epoch ms (local midnights for whole days); periods are
// local calendar days, ISO weeks, months and years in the configured zone (Asia/Shanghai).
// Row types are `type` aliases (not interfaces) so they stay assignable to Record<string, unknown>.

import type { ServiceCalendar } from '../core/calendar/types.ts';
import type { Config } from '../core/config/schema.ts';
import type { StateInterval } from '../core/engine/types.ts';
import type { AttributionChange } from '../core/points/derived.ts';
import type { EnvMetric } from '../core/protocol/payloads.ts';
import type { AttributedInterruption } from '../core/stats/no-absence.ts';
import type { Logger } from '../runtime/logger.ts';

export type PeriodUnit = 'day' | 'week' | 'month' | 'year';

/** Levels of the 无缺位制度 (DOMAIN R17), in increasing order of severity. */
export type SanctionLevel = 'none' | 'criticism' | 'publicNotice' | 'transferRecommended';

export type UptimeQuery = {
  hall: string;
  /** One counter; every counter of the hall when absent. */
  counter?: string;
  from: number;
  to: number;
  by: PeriodUnit;
  /** Rows per counter (default), one row per period for the whole hall, or per staff member. */
  scope?: 'counter' | 'hall' | 'staff';
};

/** The numbers an assessor reads for one subject (counter, hall, staff) and one period. See docs/statistics.md. */
export type UptimeStats = {
  /** 计划服务时长: scheduled service seconds S (approved closures removed). */
  scheduledSeconds: number;
  /** The five parts add up to scheduledSeconds exactly (whole seconds). */
  staffedSeconds: number;
  awaySeconds: number;
  pausedSeconds: number;
  unattendedSeconds: number;
  /** Sensor offline, or no recorded state at all. */
  unknownSeconds: number;
  /** 在岗率 = staffed / (S − unknown); null when S − unknown = 0. */
  onPostRate: number | null;
  /** 传感器覆盖率 = 1 − unknown / S; null when S = 0. */
  sensorCoverage: number | null;
  /** 离岗次数: absences (nobody on post, any sign) that did not start at a session start. */
  absenceCount: number;
  /** 平均离岗时长 (clipped at session end); null without absences. */
  meanAbsenceSeconds: number | null;
  /** 超时离岗次数: absences longer than awayLimit. */
  overLimitAbsences: number;
  /** 缺位次数: opened, not retracted unattended + staffing_gap alerts. */
  interruptionCount: number;
  /** 早退时长 (R18). */
  earlyLeaveSeconds: number;
  /** 计划开窗次数: scheduled sessions. */
  sessions: number;
  /** Sessions whose state at T+openingGrace was unknown (left out of the rate). */
  sessionsUnknownAtOpening: number;
  onTimeOpenings: number;
  /** 迟到开窗次数: nobody on post and not paused at T+openingGrace. */
  lateOpenings: number;
  /** 平均迟到时长, from T to the first arrival; null without late openings. */
  meanLateSeconds: number | null;
  /** 准时开窗率 = onTime / (sessions − unknown at opening); null when that is 0. */
  onTimeOpeningRate: number | null;
  /** First sessions of a service day (readiness applies to those only, R10). */
  firstSessions: number;
  readySessions: number;
  /** 准备到位率 = ready first sessions / first sessions known at opening; null when none. */
  readinessRate: number | null;
  /** R21 超时暂停服务时长(秒): how long `service_paused` alerts were open. */
  pausedOverLimit: number;
  /** R23 人员不足时长(秒): staffed with fewer on post than min(minStaff, available). */
  understaffed: number;
  /** R23 个人迟到次数: rostered staff's first badge-in after the opening grace. */
  lateArrivals: number;
  /** R29 受影响等候人次: citizens waiting during counted interruptions. */
  waitingAffected: number;
  /** R28 已撤销缺位次数: interruptions a supervisor voided (counted nowhere else). */
  voided: number;
};

export type UptimeRow = UptimeStats & {
  scope: 'counter' | 'hall';
  hall: string;
  /** Absent on hall rows. */
  counter?: string;
  counterName?: string;
  /** Period key: 2026-03-09 (day), 2026-W11 (ISO week), 2026-03 (month), 2026 (year). */
  period: string;
  /** Epoch ms of the period's first local midnight, clipped to the query's from. */
  periodStart: number;
  periodEnd: number;
};

/** Per staff member (badges / roster attribution). */
export type StaffUptimeRow = {
  scope: 'staff';
  hall: string;
  staff: string;
  staffName?: string;
  /** Counters the staff member was on post at or answerable for in the period. */
  counters: string[];
  period: string;
  periodStart: number;
  periodEnd: number;
  /** Staffed seconds attributed to this person (badge, else roster). */
  staffedSeconds: number;
  /** Staffed seconds as B role (顶岗). */
  coverSeconds: number;
  /** Interruptions attributed to this person (R7/R17). */
  interruptionCount: number;
  /** Late openings at the person's counters while rostered A (or the only rostered staff). */
  lateOpenings: number;
  /** R23 个人迟到次数: the person's first badge-ins after T + openingGrace. */
  lateArrivals: number;
};

export type UptimeReport = {
  hall: string;
  counter?: string;
  from: number;
  to: number;
  by: PeriodUnit;
  scope: 'counter' | 'hall' | 'staff';
  rows: (UptimeRow | StaffUptimeRow)[];
  /** Counter-days whose stored intervals disagree with the calendar (run `npm run replay`). */
  warnings: string[];
};

export type EquipmentQuery = {
  hall: string;
  from: number;
  to: number;
  /** One counter's equipment only; hall-level and every counter's when absent. */
  counter?: string;
};

export type EquipmentRow = {
  hall: string;
  /** Absent for hall-level equipment. */
  counter?: string;
  equipment: string;
  kind: string;
  name?: string;
  /** Service seconds in the range (counter equipment: counter sessions, not paused; hall: hall sessions). */
  serviceSeconds: number;
  /** Service seconds with a known status. */
  dataSeconds: number;
  okSeconds: number;
  /** Service seconds with status fault or off. */
  unavailableSeconds: number;
  /** 设备完好率 = ok / data; null when no data. */
  availability: number | null;
  /** 故障次数: equipment_fault alerts opened in the range (not retracted). */
  faultCount: number;
  /** 平均修复时长 (MTTR) over the resolved ones; null when none resolved. */
  meanTimeToRepairSeconds: number | null;
  /** Faults still open at the end of the range. */
  openFaults: number;
};

export type EquipmentReport = {
  hall: string;
  from: number;
  to: number;
  rows: EquipmentRow[];
  /** Hall-wide: Σok / Σdata. */
  availability: number | null;
};

export type EnvironmentQuery = { hall: string; from: number; to: number };

export type EnvironmentRow = {
  hall: string;
  sensor: string;
  /** Counter the sensor sits at, if any. */
  counter?: string;
  metric: EnvMetric;
  /** Band in force (seasonal for temperature/humidity); a month with another band is a separate row. */
  min?: number;
  max?: number;
  /** Month (YYYY-MM) the band applies to. */
  period: string;
  serviceSeconds: number;
  dataSeconds: number;
  inBandSeconds: number;
  /** 环境达标率 = in band / with data; null when no data. */
  compliance: number | null;
};

export type EnvironmentReport = { hall: string; from: number; to: number; rows: EnvironmentRow[] };

export type NoAbsenceQuery = {
  hall: string;
  counter?: string;
  from: number;
  to: number;
};

/** An interruption as the 无缺位 report lists it: current attribution (R28), voided flag, changes. */
export type Interruption = AttributedInterruption;

export type NoAbsenceRow = {
  subject: 'counter' | 'staff';
  hall: string;
  counter?: string;
  counterName?: string;
  staff?: string;
  staffName?: string;
  /** Calendar year the counts are for. */
  year: number;
  /** Interruptions from 1 January of that year to the end of the query range (year to date). */
  yearCount: number;
  /** One entry per calendar month of the query range within that year. */
  months: { month: string; count: number }[];
  /** The norm's level: ≥1/year criticism, ≥2/year publicNotice, ≥2 in a month transferRecommended. */
  level: SanctionLevel;
  interruptions: Interruption[];
  /** R28: voided interruptions of the subject's year: listed, counted nowhere. */
  voided: Interruption[];
};

/** R28: one attribution change of an interruption (who, when, why), for the 无缺位 report. */
export type AttributionChangeRow = AttributionChange & { alertId: string; counter: string; openedAt: number };

export type NoAbsenceReport = {
  hall: string;
  from: number;
  to: number;
  rows: NoAbsenceRow[];
  /** Every attribution change made in the range (reassigned or voided), oldest interruption first. */
  changes: AttributionChangeRow[];
};

export type ReportKind = 'uptime' | 'equipment' | 'environment' | 'noAbsence';
export interface QueryOf {
  uptime: UptimeQuery;
  equipment: EquipmentQuery;
  environment: EnvironmentQuery;
  noAbsence: NoAbsenceQuery;
}

/** One workbook, a sheet per report (在岗统计, 设备完好, 环境达标, 无缺位). */
export type WorkbookQuery = { hall: string; from: number; to: number; by: PeriodUnit; counter?: string };

export type IntervalsQuery = { hall: string; counter?: string; from: number; to: number };

export interface InfluxTarget {
  url: string;
  database: string;
  username?: string;
  password?: string;
  retentionPolicy?: string;
}

export interface ReportsOptions {
  config: Config;
  calendar: ServiceCalendar;
  /** Defaults to config.influx. */
  influx?: InfluxTarget;
  logger: Logger;
}

export interface Reports {
  uptime(q: UptimeQuery): Promise<UptimeReport>;
  equipment(q: EquipmentQuery): Promise<EquipmentReport>;
  environment(q: EnvironmentQuery): Promise<EnvironmentReport>;
  noAbsence(q: NoAbsenceQuery): Promise<NoAbsenceReport>;
  /** Closed state intervals of a counter (or all counters) overlapping [from, to), in time order. */
  intervals(q: IntervalsQuery): Promise<StateInterval[]>;
  /** CSV text, UTF-8 with BOM, Chinese headers. */
  csv<K extends ReportKind>(kind: K, q: QueryOf[K]): Promise<string>;
  uptimeCsv(q: UptimeQuery): Promise<string>;
  equipmentCsv(q: EquipmentQuery): Promise<string>;
  /** An .xlsx workbook with a sheet per report. */
  xlsx(q: WorkbookQuery): Promise<Buffer>;
  close(): Promise<void>;
}

/** Bad query input (unknown hall or counter, to ≤ from, range too long); the API maps it to 400. */
export class ReportQueryError extends Error {
  readonly code = 'report_query_invalid';
  constructor(
    readonly field: string,
    readonly messageZh: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReportQueryError';
  }
}
