// Simplified Chinese message text: which hall, which counter, which staff (A/B roles), since
// when and for how long. Channels only lay these lines out (markdown, text, e-mail, JSON).
import { zoneOf } from '../../core/calendar/zone.ts';
import type { Config, CounterConfig } from '../../core/config/schema.ts';
import { formatDurationZh } from '../../core/duration.ts';
import type { EngineAlert } from '../../core/engine/types.ts';
import type { AlertObject, AlertType, Severity } from '../../core/protocol/payloads.ts';
import {
  AB_ROLE_LABELS,
  ALERT_STATUS_LABELS,
  ALERT_TYPE_LABELS,
  RESOLVE_REASON_LABELS,
  SEVERITY_LABELS,
  zhOf,
} from '../../core/vocabulary.ts';
import { Router } from '../policy/routing.ts';
import type { NotificationKind } from '../store/index.ts';
import type { MentionedPerson, Mentions, Notification } from './types.ts';

export const TYPE_ZH: Record<AlertType, string> = zhOf(ALERT_TYPE_LABELS);
export const SEVERITY_ZH: Record<Severity, string> = zhOf(SEVERITY_LABELS);
const ROLE_ZH = zhOf(AB_ROLE_LABELS);
const REASON_ZH: Record<string, string> = zhOf(RESOLVE_REASON_LABELS);

/** 2026-03-09 10:12:00 in the configured zone. */
export const localTime = (t: number, timeZone: string): string => zoneOf(timeZone).localDateTime(t);

export interface RenderInput {
  kind: NotificationKind;
  alert: AlertObject;
  engine?: EngineAlert;
  now: number;
  key: string;
  mentions: Mentions;
  repeat?: number;
  unacknowledgedMs?: number;
}

export class Renderer {
  private readonly staffNames: Map<string, string>;
  constructor(private readonly config: Config) {
    this.staffNames = new Map(config.staff.map((s) => [s.id, s.name]));
  }

  hallName(hall: string): string {
    return this.config.halls.find((h) => h.id === hall)?.name ?? hall;
  }

  counter(hall: string, counter: string | undefined): CounterConfig | undefined {
    if (!counter) return undefined;
    return this.config.halls.find((h) => h.id === hall)?.counters.find((c) => c.id === counter);
  }

  /** 大厅名 + 窗口名 (+ 设备/传感器). */
  where(a: AlertObject, e?: EngineAlert): string {
    const parts = [this.hallName(a.hall)];
    const c = this.counter(a.hall, a.counter);
    if (a.counter) parts.push(c?.name ?? `${a.counter}号窗口`);
    if (a.equipment) {
      const eq = a.counter
        ? c?.equipment.find((x) => x.id === a.equipment)
        : this.config.halls.find((h) => h.id === a.hall)?.equipment.find((x) => x.id === a.equipment);
      parts.push(eq?.name ?? a.equipment);
    }
    if (e?.sensor) parts.push(`环境传感器 ${e.sensor}`);
    else if (e?.device && !a.counter) parts.push(`设备 ${e.device}`);
    return parts.join(' ');
  }

  private staffLabel(id: string): string {
    const n = this.staffNames.get(id);
    return n ? `${n}(${id})` : id;
  }

  /** A角 张三(E1023)、B角 李四(E2051) — and who is responsible when the engine knows. */
  staffLine(a: AlertObject, e?: EngineAlert): string | undefined {
    const c = this.counter(a.hall, a.counter);
    const parts: string[] = [];
    if (c?.roster && 'a' in c.roster) {
      parts.push(`${ROLE_ZH.a} ${this.staffLabel(c.roster.a)}`);
      if (c.roster.b) parts.push(`${ROLE_ZH.b} ${this.staffLabel(c.roster.b)}`);
    } else if (c?.roster && 'staff' in c.roster) {
      parts.push(`${ROLE_ZH.staff} ${c.roster.staff.map((s) => this.staffLabel(s)).join('、')}`);
    }
    if (e?.responsible)
      parts.push(`责任人 ${ROLE_ZH[e.responsible.role]} ${this.staffLabel(e.responsible.staff)}`);
    return parts.length ? parts.join('；') : undefined;
  }

  /** How long the condition has lasted: from the absence start when the engine names it, else from openedAt. */
  private lasted(a: AlertObject, until: number): number {
    const d = a.details as Record<string, unknown>;
    const start = typeof d.absenceStartedAt === 'number' ? d.absenceStartedAt : a.openedAt;
    return Math.max(0, until - start);
  }

  render(i: RenderInput): Notification {
    const { alert: a, kind } = i;
    const tz = this.config.timezone;
    const label = `${SEVERITY_ZH[a.severity]}·${TYPE_ZH[a.type]}`;
    const reason = (a as { resolveReason?: string }).resolveReason;
    const head =
      kind === 'open'
        ? `【${label}】`
        : kind === 'resolve'
          ? `【${reason === 'retracted' ? RESOLVE_REASON_LABELS.retracted.shortZh : ALERT_STATUS_LABELS.resolved.zh}·${TYPE_ZH[a.type]}】`
          : kind === 'escalate'
            ? `【升级·${label}·${formatDurationZh(i.unacknowledgedMs ?? 0)}未确认】`
            : `【重复提醒·${label}·第${i.repeat ?? 1}次】`;
    const title = `${head}${this.where(a, i.engine)}`;
    const lines = [a.message];
    lines.push(`发生时间：${localTime(a.openedAt, tz)}`);
    if (kind === 'resolve' && a.resolvedAt !== undefined) {
      lines.push(`恢复时间：${localTime(a.resolvedAt, tz)}`);
      lines.push(`共持续：${formatDurationZh(this.lasted(a, a.resolvedAt))}`);
      if (reason) lines.push(`关闭原因：${REASON_ZH[reason] ?? reason}`);
    } else {
      lines.push(`已持续：${formatDurationZh(this.lasted(a, i.now))}`);
    }
    const staff = this.staffLine(a, i.engine);
    if (staff) lines.push(`人员：${staff}`);
    if (i.mentions.names.length) lines.push(`通知：${i.mentions.names.join('、')}`);
    lines.push(`告警编号：${a.id}`);
    const link = this.config.notifications?.boardUrl;
    return {
      key: i.key,
      kind,
      alert: a,
      title,
      lines,
      ...(link ? { link } : {}),
      mentions: i.mentions,
      createdAt: i.now,
    };
  }
}

/** The admins' notice that a channel refused for good; keyed once per channel, code and local day. */
export function channelErrorNotice(
  config: Config,
  channelId: string,
  err: { message: string; code?: number | undefined },
  at: number,
): Notification {
  const when = localTime(at, config.timezone);
  const mentions = new Router(config).mentionsOf(config.notifications?.adminRecipients ?? [], null);
  return {
    key: `notice:${channelId}:${err.code ?? 'error'}:${when.slice(0, 10)}`,
    kind: 'notice',
    title: `【通知渠道故障】${channelId}`,
    lines: [
      `平台拒绝发送：${err.message}`,
      '该渠道已停止发送，告警仍在队列中。请检查机器人地址、加签密钥或关键词设置，修复配置后重启服务即恢复发送。',
      `时间：${when}`,
    ],
    mentions,
    createdAt: at,
  };
}

const SERVICE_ZH: Record<string, string> = { ingest: '数据写入服务' };
const SERVICE_REASON_ZH: Record<string, string> = {
  influx_refusing:
    'InfluxDB 拒收全部数据点（可能是数据库、其前置代理或账号故障），数据暂存于本地缓存，未丢弃',
};

/**
 * The admins' notice that a service reports itself down (retained `hallwatch/status/{service}`);
 * null for an `ok` status or a payload that is not one. Keyed by service, reason and start.
 */
export function serviceDownNotice(config: Config, payload: Buffer, at: number): Notification | null {
  let s: { service?: unknown; status?: unknown; reason?: unknown; since?: unknown; detail?: unknown };
  try {
    s = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (s?.status !== 'down' || typeof s.service !== 'string') return null;
  const reason = typeof s.reason === 'string' ? s.reason : 'unknown';
  const since = typeof s.since === 'number' ? s.since : at;
  const mentions = new Router(config).mentionsOf(config.notifications?.adminRecipients ?? [], null);
  return {
    key: `notice:service:${s.service}:${reason}:${since}`,
    kind: 'notice',
    title: `【系统故障】${SERVICE_ZH[s.service] ?? s.service}`,
    lines: [
      SERVICE_REASON_ZH[reason] ?? `原因：${reason}`,
      ...(typeof s.detail === 'string' ? [`详情：${s.detail.slice(0, 300)}`] : []),
      `开始时间：${localTime(since, config.timezone)}`,
    ],
    mentions,
    createdAt: at,
  };
}

/** Title of a digest folding several notifications into one robot message. */
export function digestTitle(batch: Notification[]): string {
  const opened = batch.filter(
    (n) => n.kind === 'open' || n.kind === 'repeat' || n.kind === 'escalate',
  ).length;
  const resolved = batch.length - opened;
  return `【HallWatch 告警汇总】${opened ? `新告警 ${opened} 条` : ''}${opened && resolved ? '，' : ''}${resolved ? `已恢复 ${resolved} 条` : ''}`;
}

export function mergeMentions(batch: Notification[]): Mentions {
  const u = (f: (m: Mentions) => string[]) => [...new Set(batch.flatMap((n) => f(n.mentions)))];
  return {
    names: u((m) => m.names),
    mobiles: u((m) => m.mobiles),
    emails: u((m) => m.emails),
    wecomUserIds: u((m) => m.wecomUserIds),
    dingtalkUserIds: u((m) => m.dingtalkUserIds),
    feishuUserIds: u((m) => m.feishuUserIds),
  };
}

/**
 * Every person the batch names, once. Rows queued before per-person mentions existed carry only
 * the flat lists: each user id and mobile then counts as a person of its own.
 */
export function peopleOf(batch: Notification[]): MentionedPerson[] {
  const out: MentionedPerson[] = [];
  const seen = new Set<string>();
  for (const n of batch) {
    const m = n.mentions;
    const people: MentionedPerson[] = m.people ?? [
      ...m.wecomUserIds.map((u) => ({ name: u, wecomUserId: u })),
      ...m.dingtalkUserIds.map((u) => ({ name: u, dingtalkUserId: u })),
      ...m.feishuUserIds.map((u) => ({ name: u, feishuUserId: u })),
      ...m.mobiles.map((x) => ({ name: x, mobile: x })),
    ];
    for (const p of people) {
      const id = JSON.stringify([p.name, p.mobile, p.wecomUserId, p.dingtalkUserId, p.feishuUserId]);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(p);
    }
  }
  return out;
}
