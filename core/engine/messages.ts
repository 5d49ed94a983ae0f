// Alert messages in Simplified Chinese: they name the hall, the counter, the staff roles (A角/B角
// with names from config.staff) and how long, because a supervisor acts on the text alone. Every
// word the vocabulary names (alert types, roles, metrics, states, statuses) comes from it.
import type { ServiceCalendar } from '../calendar/types.ts';
import { formatDurationZh } from '../duration.ts';
import type { EnvMetric } from '../protocol/payloads.ts';
import {
  AB_ROLE_LABELS,
  ALERT_TYPE_LABELS,
  type AlertTypeName,
  COUNTER_STATE_LABELS,
  EQUIPMENT_STATUS_LABELS,
  METRIC_LABELS,
  UNATTENDED_REASON_LABELS,
} from '../vocabulary.ts';
import type { Attribution, Ctx } from './state.ts';

/** Local wall-clock HH:MM (HH:MM:SS when seconds matter) in the calendar's zone, never the process TZ. */
export function localClock(cal: ServiceCalendar, t: number, seconds = false): string {
  const ms = t - cal.startOfDay(cal.localDate(t));
  const s = Math.floor(ms / 1000);
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return seconds && s % 60 ? `${hh}:${mm}:${ss}` : `${hh}:${mm}`;
}

export function hallName(ctx: Ctx, hall: string): string {
  return ctx.halls.get(hall)?.name ?? hall;
}

export function counterName(ctx: Ctx, hall: string, counter: string): string {
  return ctx.counterCfg.get(`${hall}/${counter}`)?.name ?? counter;
}

/** "张三(E1023)", or the id when config.staff does not know the person. */
export function staffLabel(ctx: Ctx, staff: string): string {
  const name = ctx.staffNames.get(staff);
  return name ? `${name}(${staff})` : staff;
}

/** A角 / B角; a pooled roster's `staff` role is not said. */
export function roleZh(role: 'a' | 'b' | 'staff'): string {
  return role === 'staff' ? '' : AB_ROLE_LABELS[role].zh;
}

/** 【脱岗】…: a message opens with its alert type's label. */
const title = (type: AlertTypeName) => `【${ALERT_TYPE_LABELS[type].zh}】`;
const PAUSED_SIGN = COUNTER_STATE_LABELS.paused.zh;
const FAULT = EQUIPMENT_STATUS_LABELS.fault.zh;

export function whoLabel(ctx: Ctx, who: Attribution): string {
  if (!who.staff) return '窗口工作人员';
  return `${who.role ? roleZh(who.role) : ''}${staffLabel(ctx, who.staff)}`;
}

export interface PresenceText {
  where: string;
  who: string;
  coverAsk: string;
}

export function unattendedMessage(
  p: PresenceText,
  kind: 'away' | 'unsigned',
  t0: string,
  limitMs: number,
): string {
  const why =
    kind === 'away'
      ? `放置“临时离开,请稍候”提示牌后离岗已超过${formatDurationZh(limitMs)}`
      : `未放置提示牌离岗已超过${formatDurationZh(limitMs)}`;
  return `${title('unattended')}${p.where}：${p.who}自${t0}起无人在岗，${why}。${p.coverAsk}`;
}

export function staffingGapMessage(p: PresenceText, t0: string, graceMs: number): string {
  return `${title('staffing_gap')}${p.where}：多人窗口自${t0}起全部离岗已${formatDurationZh(graceMs)}，至少应有一人在岗，请立即安排人员到岗。`;
}

export function lateOpeningMessage(p: PresenceText, startClock: string): string {
  return `${title('late_opening')}${p.where}：${startClock}应开窗服务，目前无人在岗（${p.who}）。${p.coverAsk}`;
}

export function notReadyMessage(where: string, startClock: string, leadMs: number, why: string[]): string {
  return `${title('not_ready')}${where}：距${startClock}开窗不足${formatDurationZh(leadMs)}，${why.join('；')}，请提前到岗并开启设备。`;
}

export function equipmentFaultMessage(
  where: string,
  equipment: string,
  status: string,
  code?: string,
): string {
  const what = status === 'off' ? '关机/断电' : `${FAULT}${code ? `（${code}）` : ''}`;
  return `${title('equipment_fault')}${where}：${equipment}${what}，请张贴故障警示牌并及时报修。`;
}

export function deviceOfflineMessage(where: string, device: string, since: string, effect: string): string {
  return `${title('device_offline')}${where}：设备${device}自${since}起离线，${effect}，请检查网络和电源。`;
}

export function environmentMessage(
  where: string,
  sensor: string,
  metric: EnvMetric,
  mean: number,
  side: 'low' | 'high',
  limit: number,
  sustainMs: number,
): string {
  const m = METRIC_LABELS[metric];
  const rounded = Math.round(mean * 10) / 10;
  return `${title('environment')}${where}：${sensor}近${formatDurationZh(sustainMs)}${m.zh}平均${rounded}${m.unit}，${side === 'low' ? '低于' : '高于'}${limit}${m.unit}，请及时调节。`;
}

/** R22: the counter was not opened: nobody on post since the session start. */
export function notOpenedMessage(p: PresenceText, startClock: string, limitMs: number): string {
  return `【${UNATTENDED_REASON_LABELS.not_opened.zh}】${p.where}：${startClock}应开窗服务，已超过${formatDurationZh(limitMs)}仍无人在岗（${p.who}）。${p.coverAsk}`;
}

/** R21: the 暂停服务 board has been up in session longer than the limit without an approved closure. */
export function servicePausedMessage(p: PresenceText, since: string, limitMs: number): string {
  return `${title('service_paused')}${p.where}：自${since}起放置“${PAUSED_SIGN}”提示牌已超过${formatDurationZh(limitMs)}，未经批准不得停止对外办公（${p.who}），请立即恢复服务或办理闭窗审批。`;
}

/** R23: fewer staff on post than the counter requires. */
export function understaffedMessage(
  where: string,
  since: string,
  onPost: number,
  required: number,
  graceMs: number,
): string {
  return `${title('understaffed')}${where}：应至少${required}人在岗，自${since}起仅${onPost}人在岗已超过${formatDurationZh(graceMs)}，请安排人员到岗。`;
}

/** R24: B sits in for A on leave; the message names B as 顶岗. */
export function coverLabel(ctx: Ctx, cover: string, coverFor: string): string {
  return `顶岗人员${roleZh('b')}${staffLabel(ctx, cover)}（${roleZh('a')}${staffLabel(ctx, coverFor)}请假）`;
}

export function coverAskMessage(ctx: Ctx, cover: string): string {
  return `请顶岗人员${roleZh('b')}${staffLabel(ctx, cover)}立即到岗，窗口单位同时安排补位。`;
}

/** R29/R30 additions to an alert's text: citizens waiting, the sign's 去向 and expected return. */
export function alertSuffix(
  cal: ServiceCalendar,
  extra: { waiting?: number; note?: string; returnBy?: number },
): string {
  const parts: string[] = [];
  if (extra.waiting) parts.push(`现有${extra.waiting}位群众等候。`);
  if (extra.note) parts.push(`去向：${extra.note}。`);
  if (extra.returnBy !== undefined) parts.push(`预计${localClock(cal, extra.returnBy)}返回。`);
  return parts.join('');
}

/** R26: the hall-wide warning that a year's statutory holidays are unknown. */
export function calendarUnverifiedMessage(ctx: Ctx, hall: string, year: number, missing: string[]): string {
  return (
    `${title('calendar_unverified')}${hallName(ctx, hall)}：系统没有${year}年的法定节假日和调休安排` +
    `（未录入：${missing.join('、')}），${year}年将按周一至周五上班、周末休息推算，` +
    `节假日不会自动闭窗、调休上班日不会自动开窗。请更新 chinese-days 节假日数据，` +
    `或在配置中录入${year}年的节假日闭窗和调休安排。`
  );
}

/** R26: appended to every alert on a date of an uncovered year. */
export function calendarUnverifiedNote(year: number): string {
  return `（注意：${year}年节假日安排未核实，本告警所依据的排班按工作日/周末推算）`;
}
