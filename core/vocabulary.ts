// The one catalogue of words HallWatch shows people, Simplified Chinese first, English second:
// counter states, alert types, severities, equipment kinds and statuses, environment metrics, API
// and recipient roles, A/B roles. The engine's messages, notifications, reports, dashboards and
// the board (through GET /api/vocabulary) all read it here; nobody writes these words out again.
import type { EquipmentConfig } from './config/schema.ts';
import type { ResolveReason } from './engine/types.ts';
import type { AlertStatus, AlertType, CounterState, EnvMetric, Severity } from './protocol/payloads.ts';

export interface Label {
  zh: string;
  en: string;
}
/** A label with a short form for tight places (the board's counter tiles). */
export interface ShortLabel extends Label {
  shortZh: string;
  shortEn: string;
}
type Catalogue<K extends string, L = Label> = Readonly<Record<K, L>>;
const short = (zh: string, en: string, shortZh: string, shortEn: string): ShortLabel => ({
  zh,
  en,
  shortZh,
  shortEn,
});

export const COUNTER_STATE_LABELS: Catalogue<CounterState> = {
  staffed: { zh: '在岗', en: 'Staffed' },
  away: { zh: '临时离开', en: 'Away' },
  paused: { zh: '暂停服务', en: 'Paused' },
  unattended: { zh: '无人值守', en: 'Unattended' },
  closed: { zh: '未开放', en: 'Closed' },
  unknown: { zh: '设备离线', en: 'Offline' },
};

/** Rules v2 types (issue 12) are named here before every wing emits them. The short form is the
 * board's tag on a tile or an alert. */
export type AlertTypeName = AlertType | 'service_paused' | 'understaffed' | 'calendar_unverified';
export const ALERT_TYPE_LABELS: Catalogue<AlertTypeName, ShortLabel> = {
  unattended: short('脱岗', 'Unattended', '脱岗', 'Unattended'),
  staffing_gap: short('窗口缺位', 'Staffing gap', '缺位', 'Gap'),
  late_opening: short('未准时开窗', 'Late opening', '迟开窗', 'Late'),
  not_ready: short('开窗准备未到位', 'Not ready', '未就绪', 'Not ready'),
  equipment_fault: short('设备故障', 'Equipment fault', '故障', 'Fault'),
  device_offline: short('设备离线', 'Device offline', '离线', 'Offline'),
  environment: short('环境超标', 'Environment out of band', '环境', 'Env.'),
  service_paused: short('暂停服务超时', 'Service paused too long', '暂停超时', 'paused too long'),
  understaffed: short('在岗人数不足', 'Understaffed', '人手不足', 'understaffed'),
  calendar_unverified: short(
    '节假日安排未核实',
    'Holiday calendar unverified',
    '节假日未核实',
    'calendar unverified',
  ),
};

/** Why an unattended alert was raised when it is not a plain absence (details.reason, R22). */
export const UNATTENDED_REASON_LABELS: Catalogue<'not_opened', ShortLabel> = {
  not_opened: short('未开窗缺位', 'Not opened', '未开窗', 'not opened'),
};

export const ALERT_STATUS_LABELS: Catalogue<AlertStatus> = {
  open: { zh: '未处理', en: 'Open' },
  acknowledged: { zh: '已确认', en: 'Acknowledged' },
  resolved: { zh: '已恢复', en: 'Resolved' },
};

/** How an alert ended (R4–R26, or by hand): a sentence for notifications, a short form for tables. */
export const RESOLVE_REASON_LABELS: Catalogue<ResolveReason, ShortLabel> = {
  staff_returned: short('人员已返岗', 'Staff back on post', '人员已返岗', 'Staff back'),
  session_end: short('服务时段结束', 'Session ended', '服务时段结束', 'Session end'),
  retracted: short(
    '迟到的设备数据表明告警不成立，已撤销',
    'Retracted: late device data shows the alert did not hold',
    '已撤销',
    'Retracted',
  ),
  superseded: short(
    '开窗时间已到，转为开窗检查',
    'Opening time reached, handed to the opening check',
    '转为开窗检查',
    'Superseded',
  ),
  ready: short('准备就绪', 'Ready', '准备就绪', 'Ready'),
  arrived: short('人员已到岗', 'Staff arrived', '人员已到岗', 'Arrived'),
  repaired: short('设备已恢复正常', 'Equipment repaired', '设备已恢复', 'Repaired'),
  back_online: short('设备已重新上线', 'Device back online', '设备已上线', 'Online'),
  in_band: short('环境指标已恢复正常', 'Environment back in band', '环境已恢复', 'In band'),
  paused: short('已放置暂停服务提示牌', 'Paused sign raised', '暂停服务', 'Paused'),
  unknown: short(
    '设备数据中断，暂停判断',
    'Device data interrupted, rules stand down',
    '数据中断',
    'No data',
  ),
  covered: short('节假日安排已补齐', 'Holiday calendar now covered', '节假日已补齐', 'Covered'),
  manual: short('人工处理关闭', 'Closed by hand', '人工关闭', 'Manual'),
  sign_cleared: short('暂停服务提示牌已收起', 'Paused sign taken down', '提示牌已收起', 'Sign down'),
};

export const SEVERITY_LABELS: Catalogue<Severity> = {
  critical: { zh: '严重', en: 'Critical' },
  warning: { zh: '警告', en: 'Warning' },
  info: { zh: '提示', en: 'Info' },
};

export type EquipmentKind = EquipmentConfig['kind'];
export const EQUIPMENT_KIND_LABELS: Catalogue<EquipmentKind, ShortLabel> = {
  pc: short('电脑', 'PC', '电脑', 'PC'),
  printer: short('打印机', 'Printer', '打印', 'Print'),
  tablet: short('平板电脑', 'Tablet', '平板', 'Tab'),
  docCamera: short('高拍仪', 'Document camera', '高拍', 'Cam'),
  queue: short('排队叫号机', 'Queue ticket machine', '叫号', 'Queue'),
  display: short('电子显示屏', 'Display', '屏幕', 'Disp'),
  touchScreen: short('触摸屏', 'Touch screen', '触屏', 'Touch'),
  waterDispenser: short('饮水机', 'Water dispenser', '饮水', 'Water'),
  lift: short('电梯', 'Lift', '电梯', 'Lift'),
  ratingDevice: short('评价器', 'Rating device', '评价', 'Rate'),
  other: short('其他设备', 'Other equipment', '设备', 'Dev'),
};

export const EQUIPMENT_STATUS_LABELS: Catalogue<'ok' | 'fault' | 'off' | 'unknown'> = {
  ok: { zh: '正常', en: 'OK' },
  fault: { zh: '故障', en: 'Fault' },
  off: { zh: '关机', en: 'Off' },
  unknown: { zh: '无数据', en: 'No data' },
};

export interface MetricLabel extends Label {
  unit: string;
}
export const METRIC_LABELS: Catalogue<EnvMetric, MetricLabel> = {
  lux: { zh: '照度', en: 'Light', unit: 'lx' },
  temperature: { zh: '温度', en: 'Temperature', unit: '°C' },
  humidity: { zh: '湿度', en: 'Humidity', unit: '%RH' },
  co2: { zh: '二氧化碳', en: 'CO₂', unit: 'ppm' },
  noise: { zh: '噪声', en: 'Noise', unit: 'dB(A)' },
};

/**
 * The statistics' figures (docs/statistics.md), keyed by their field in the API's rows; each place
 * adds the unit it shows them in (the sheets seconds, the board minutes or hours).
 */
export type FigureKey =
  | 'scheduledSeconds'
  | 'onPostRate'
  | 'sensorCoverage'
  | 'absenceCount'
  | 'meanAbsenceSeconds'
  | 'interruptionCount'
  | 'lateOpenings'
  | 'onTimeOpeningRate'
  | 'pausedOverLimit'
  | 'understaffed'
  | 'lateArrivals'
  | 'waitingAffected'
  | 'voided'
  | 'availability'
  | 'faultCount'
  | 'meanTimeToRepairSeconds'
  | 'openFaults';
export const FIGURE_LABELS: Catalogue<FigureKey> = {
  scheduledSeconds: { zh: '计划服务时长', en: 'Scheduled' },
  onPostRate: { zh: '在岗率', en: 'On-post rate' },
  sensorCoverage: { zh: '传感器覆盖率', en: 'Sensor coverage' },
  absenceCount: { zh: '离岗次数', en: 'Absences' },
  meanAbsenceSeconds: { zh: '平均离岗时长', en: 'Mean absence' },
  interruptionCount: { zh: '缺位次数', en: 'Interruptions' },
  lateOpenings: { zh: '迟到开窗次数', en: 'Late openings' },
  onTimeOpeningRate: { zh: '准时开窗率', en: 'On-time rate' },
  pausedOverLimit: { zh: '超时暂停服务时长', en: 'Paused too long' },
  understaffed: { zh: '人员不足时长', en: 'Understaffed' },
  lateArrivals: { zh: '个人迟到次数', en: 'Late arrivals' },
  waitingAffected: { zh: '受影响等候人次', en: 'Citizens kept waiting' },
  voided: { zh: '已撤销缺位次数', en: 'Voided' },
  availability: { zh: '设备完好率', en: 'Availability' },
  faultCount: { zh: '故障次数', en: 'Faults' },
  meanTimeToRepairSeconds: { zh: '平均修复时长', en: 'Mean repair' },
  openFaults: { zh: '未修复故障数', en: 'Still open' },
};

/** Who signs in to the API and board (api.tokens[].role). */
export const API_ROLE_LABELS: Catalogue<'supervisor' | 'facility' | 'assessor' | 'admin'> = {
  supervisor: { zh: '大厅主任/值班长', en: 'Hall supervisor' },
  facility: { zh: '设备管理', en: 'Facilities' },
  assessor: { zh: '考核人员', en: 'Assessor' },
  admin: { zh: '管理员', en: 'Administrator' },
};

/** Whom notifications name (notifications.recipients[].role). */
export const RECIPIENT_ROLE_LABELS: Catalogue<
  'director' | 'supervisor' | 'facility' | 'counterLead' | 'staff' | 'assessor' | 'other'
> = {
  director: { zh: '主任', en: 'Director' },
  supervisor: { zh: '值班主管', en: 'Supervisor' },
  facility: { zh: '设备管理员', en: 'Facilities' },
  counterLead: { zh: '窗口负责人', en: 'Counter lead' },
  staff: { zh: '工作人员', en: 'Staff' },
  assessor: { zh: '考核人员', en: 'Assessor' },
  other: { zh: '', en: '' },
};

/** A角/B角 (首问负责 roster roles, DOMAIN §1); `staff` is anyone on a pooled roster. */
export const AB_ROLE_LABELS: Catalogue<'a' | 'b' | 'staff'> = {
  a: { zh: 'A角', en: 'A role' },
  b: { zh: 'B角', en: 'B role' },
  staff: { zh: '窗口人员', en: 'Counter staff' },
};

/** Chinese label of a key, or the key itself when the catalogue does not know it. */
export function zh<K extends string>(catalogue: Catalogue<K, Label>, key: string): string {
  return (catalogue as Record<string, Label | undefined>)[key]?.zh ?? key;
}

/** Everything above, as GET /api/vocabulary serves it to the board. */
export const VOCABULARY = {
  counterStates: COUNTER_STATE_LABELS,
  alertTypes: ALERT_TYPE_LABELS,
  unattendedReasons: UNATTENDED_REASON_LABELS,
  alertStatuses: ALERT_STATUS_LABELS,
  resolveReasons: RESOLVE_REASON_LABELS,
  severities: SEVERITY_LABELS,
  equipmentKinds: EQUIPMENT_KIND_LABELS,
  equipmentStatuses: EQUIPMENT_STATUS_LABELS,
  metrics: METRIC_LABELS,
  figures: FIGURE_LABELS,
  apiRoles: API_ROLE_LABELS,
  recipientRoles: RECIPIENT_ROLE_LABELS,
  abRoles: AB_ROLE_LABELS,
} as const;

/** The Chinese words of a catalogue, keyed as it is. */
export function zhOf<K extends string>(catalogue: Catalogue<K, Label>): Record<K, string> {
  return Object.fromEntries(Object.entries<Label>(catalogue).map(([k, l]) => [k, l.zh])) as Record<K, string>;
}
