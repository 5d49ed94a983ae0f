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
  unattended: { zh: '脱岗', en: 'Unattended', shortZh: '脱岗', shortEn: 'Unattended' },
  staffing_gap: { zh: '窗口缺位', en: 'Staffing gap', shortZh: '缺位', shortEn: 'Gap' },
  late_opening: { zh: '未准时开窗', en: 'Late opening', shortZh: '迟开窗', shortEn: 'Late' },
  not_ready: { zh: '开窗准备未到位', en: 'Not ready', shortZh: '未就绪', shortEn: 'Not ready' },
  equipment_fault: { zh: '设备故障', en: 'Equipment fault', shortZh: '故障', shortEn: 'Fault' },
  device_offline: { zh: '设备离线', en: 'Device offline', shortZh: '离线', shortEn: 'Offline' },
  environment: { zh: '环境超标', en: 'Environment out of band', shortZh: '环境', shortEn: 'Env.' },
  service_paused: {
    zh: '暂停服务超时',
    en: 'Service paused too long',
    shortZh: '暂停超时',
    shortEn: 'paused too long',
  },
  understaffed: { zh: '在岗人数不足', en: 'Understaffed', shortZh: '人手不足', shortEn: 'understaffed' },
  calendar_unverified: {
    zh: '节假日安排未核实',
    en: 'Holiday calendar unverified',
    shortZh: '节假日未核实',
    shortEn: 'calendar unverified',
  },
};

/** Why an unattended alert was raised when it is not a plain absence (details.reason, R22). */
export const UNATTENDED_REASON_LABELS: Catalogue<'not_opened', ShortLabel> = {
  not_opened: { zh: '未开窗缺位', en: 'Not opened', shortZh: '未开窗', shortEn: 'not opened' },
};

export const ALERT_STATUS_LABELS: Catalogue<AlertStatus> = {
  open: { zh: '未处理', en: 'Open' },
  acknowledged: { zh: '已确认', en: 'Acknowledged' },
  resolved: { zh: '已恢复', en: 'Resolved' },
};

/** How an alert ended (R4–R26, or by hand): a sentence for notifications, a short form for tables. */
export const RESOLVE_REASON_LABELS: Catalogue<ResolveReason, ShortLabel> = {
  staff_returned: {
    zh: '人员已返岗',
    en: 'Staff back on post',
    shortZh: '人员已返岗',
    shortEn: 'Staff back',
  },
  session_end: { zh: '服务时段结束', en: 'Session ended', shortZh: '服务时段结束', shortEn: 'Session end' },
  retracted: {
    zh: '迟到的设备数据表明告警不成立，已撤销',
    en: 'Retracted: late device data shows the alert did not hold',
    shortZh: '已撤销',
    shortEn: 'Retracted',
  },
  superseded: {
    zh: '开窗时间已到，转为开窗检查',
    en: 'Opening time reached, handed to the opening check',
    shortZh: '转为开窗检查',
    shortEn: 'Superseded',
  },
  ready: { zh: '准备就绪', en: 'Ready', shortZh: '准备就绪', shortEn: 'Ready' },
  arrived: { zh: '人员已到岗', en: 'Staff arrived', shortZh: '人员已到岗', shortEn: 'Arrived' },
  repaired: { zh: '设备已恢复正常', en: 'Equipment repaired', shortZh: '设备已恢复', shortEn: 'Repaired' },
  back_online: { zh: '设备已重新上线', en: 'Device back online', shortZh: '设备已上线', shortEn: 'Online' },
  in_band: {
    zh: '环境指标已恢复正常',
    en: 'Environment back in band',
    shortZh: '环境已恢复',
    shortEn: 'In band',
  },
  paused: { zh: '已放置暂停服务提示牌', en: 'Paused sign raised', shortZh: '暂停服务', shortEn: 'Paused' },
  unknown: {
    zh: '设备数据中断，暂停判断',
    en: 'Device data interrupted, rules stand down',
    shortZh: '数据中断',
    shortEn: 'No data',
  },
  covered: {
    zh: '节假日安排已补齐',
    en: 'Holiday calendar now covered',
    shortZh: '节假日已补齐',
    shortEn: 'Covered',
  },
  manual: { zh: '人工处理关闭', en: 'Closed by hand', shortZh: '人工关闭', shortEn: 'Manual' },
  sign_cleared: {
    zh: '暂停服务提示牌已收起',
    en: 'Paused sign taken down',
    shortZh: '提示牌已收起',
    shortEn: 'Sign down',
  },
};

export const SEVERITY_LABELS: Catalogue<Severity> = {
  critical: { zh: '严重', en: 'Critical' },
  warning: { zh: '警告', en: 'Warning' },
  info: { zh: '提示', en: 'Info' },
};

export type EquipmentKind = EquipmentConfig['kind'];
export const EQUIPMENT_KIND_LABELS: Catalogue<EquipmentKind, ShortLabel> = {
  pc: { zh: '电脑', en: 'PC', shortZh: '电脑', shortEn: 'PC' },
  printer: { zh: '打印机', en: 'Printer', shortZh: '打印', shortEn: 'Print' },
  tablet: { zh: '平板电脑', en: 'Tablet', shortZh: '平板', shortEn: 'Tab' },
  docCamera: { zh: '高拍仪', en: 'Document camera', shortZh: '高拍', shortEn: 'Cam' },
  queue: { zh: '排队叫号机', en: 'Queue ticket machine', shortZh: '叫号', shortEn: 'Queue' },
  display: { zh: '电子显示屏', en: 'Display', shortZh: '屏幕', shortEn: 'Disp' },
  touchScreen: { zh: '触摸屏', en: 'Touch screen', shortZh: '触屏', shortEn: 'Touch' },
  waterDispenser: { zh: '饮水机', en: 'Water dispenser', shortZh: '饮水', shortEn: 'Water' },
  lift: { zh: '电梯', en: 'Lift', shortZh: '电梯', shortEn: 'Lift' },
  ratingDevice: { zh: '评价器', en: 'Rating device', shortZh: '评价', shortEn: 'Rate' },
  other: { zh: '其他设备', en: 'Other equipment', shortZh: '设备', shortEn: 'Dev' },
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
  apiRoles: API_ROLE_LABELS,
  recipientRoles: RECIPIENT_ROLE_LABELS,
  abRoles: AB_ROLE_LABELS,
} as const;

/** The Chinese words of a catalogue, keyed as it is. */
export function zhOf<K extends string>(catalogue: Catalogue<K, Label>): Record<K, string> {
  return Object.fromEntries(Object.entries<Label>(catalogue).map(([k, l]) => [k, l.zh])) as Record<K, string>;
}
