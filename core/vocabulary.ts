// The one catalogue of words HallWatch shows people, Simplified Chinese first, English second:
// counter states, alert types, severities, equipment kinds and statuses, environment metrics, API
// and recipient roles, A/B roles. The engine's messages, notifications, reports, dashboards and
// the board (through GET /api/vocabulary) all read it here; nobody writes these words out again.
import type { EquipmentConfig } from './config/schema.ts';
import type { AlertType, CounterState, EnvMetric, Severity } from './protocol/payloads.ts';

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

/** Rules v2 types (issue 12) are named here before every wing emits them. */
export type AlertTypeName = AlertType | 'service_paused' | 'understaffed' | 'calendar_unverified';
export const ALERT_TYPE_LABELS: Catalogue<AlertTypeName> = {
  unattended: { zh: '脱岗', en: 'Unattended' },
  staffing_gap: { zh: '窗口缺位', en: 'Staffing gap' },
  late_opening: { zh: '未准时开窗', en: 'Late opening' },
  not_ready: { zh: '开窗准备未到位', en: 'Not ready' },
  equipment_fault: { zh: '设备故障', en: 'Equipment fault' },
  device_offline: { zh: '设备离线', en: 'Device offline' },
  environment: { zh: '环境超标', en: 'Environment out of band' },
  service_paused: { zh: '暂停服务超时', en: 'Service paused too long' },
  understaffed: { zh: '在岗人数不足', en: 'Understaffed' },
  calendar_unverified: { zh: '节假日安排未核实', en: 'Holiday calendar unverified' },
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
  'director' | 'supervisor' | 'facility' | 'counterLead' | 'staff' | 'other'
> = {
  director: { zh: '主任', en: 'Director' },
  supervisor: { zh: '值班主管', en: 'Supervisor' },
  facility: { zh: '设备管理员', en: 'Facilities' },
  counterLead: { zh: '窗口负责人', en: 'Counter lead' },
  staff: { zh: '工作人员', en: 'Staff' },
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
