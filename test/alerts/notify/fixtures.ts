// Notifications as the lifecycle renders them, for the channel and dispatcher tests.

import { Renderer } from '../../../alerts/notify/render.ts';
import type { Notification } from '../../../alerts/notify/types.ts';
import { emptyMentions } from '../../../alerts/policy/routing.ts';
import type { AlertStore } from '../../../alerts/store/index.ts';
import type { Config } from '../../../core/config/schema.ts';
import type { EngineAlert } from '../../../core/engine/types.ts';

export function unattendedAlert(openedAt = Date.UTC(2026, 2, 9, 2, 12), counter = 'w07'): EngineAlert {
  return {
    id: `unattended_${counter}_${openedAt}`,
    type: 'unattended',
    severity: 'critical',
    hall: 'cz-main',
    counter,
    openedAt,
    message: '7号窗口 不动产登记 无人在岗已超过10分钟(临时离开)',
    details: { absenceStartedAt: openedAt - 600_000, limitSeconds: 600 },
    responsible: { staff: 'E1023', role: 'a' },
    notify: ['E1023', 'E2051'],
  };
}

/**
 * The director (reachable by every platform's id and by mobile) and, with `staff`, the counter's
 * A role known only by phone (what `mentionStaff` adds).
 */
export function mentionsOf(staff = false): Notification['mentions'] {
  const m = emptyMentions();
  m.names.push('王主任(主任)');
  m.mobiles.push('13900000009');
  m.wecomUserIds.push('wangzr');
  m.dingtalkUserIds.push('dt-wang');
  m.feishuUserIds.push('ou_wang');
  m.emails.push('director@example.gov.cn');
  m.people!.push({
    name: '王主任(主任)',
    mobile: '13900000009',
    email: 'director@example.gov.cn',
    wecomUserId: 'wangzr',
    dingtalkUserId: 'dt-wang',
    feishuUserId: 'ou_wang',
  });
  if (staff) {
    m.names.push('张三');
    m.mobiles.push('13800001023');
    m.people!.push({ name: '张三', mobile: '13800001023' });
  }
  return m;
}

export function notificationOf(
  config: Config,
  a: EngineAlert = unattendedAlert(),
  key = `${a.id}:open:ch`,
  kind: Notification['kind'] = 'open',
  staff = false,
): Notification {
  const resolved = {
    ...a,
    status: 'resolved' as const,
    resolvedAt: a.openedAt + 60_000,
    resolveReason: 'staff_returned',
  };
  return new Renderer(config).render({
    kind,
    alert: kind === 'resolve' ? resolved : { ...a, status: 'open' },
    engine: a,
    now: a.openedAt + 5_000,
    key,
    mentions: mentionsOf(staff),
  });
}

/** Queues `n` opening alerts (different counters, one second apart) on a channel; returns their ids. */
export function enqueueBurst(
  store: AlertStore,
  config: Config,
  channelId: string,
  n: number,
  o: { base?: number; staff?: boolean; now?: number } = {},
): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = unattendedAlert(
      (o.base ?? Date.UTC(2026, 2, 9, 1, 0)) + i * 1000,
      `w${String(i + 1).padStart(2, '0')}`,
    );
    enqueueOne(store, config, channelId, a, 'open', o.staff, o.now);
    ids.push(a.id);
  }
  return ids;
}

export function enqueueOne(
  store: AlertStore,
  config: Config,
  channelId: string,
  a: EngineAlert,
  kind: 'open' | 'resolve',
  staff = false,
  now = Date.now(),
): string {
  const key = `${a.id}:${kind}:${channelId}`;
  store.outbox.enqueue(key, channelId, kind, notificationOf(config, a, key, kind, staff), now, a.id);
  return key;
}
