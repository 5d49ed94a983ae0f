// Notifications as the lifecycle renders them, for the channel tests.

import { Renderer } from '../../../alerts/notify/render.ts';
import type { Notification } from '../../../alerts/notify/types.ts';
import { emptyMentions } from '../../../alerts/policy/routing.ts';
import type { Config } from '../../../core/config/schema.ts';
import type { EngineAlert } from '../../../core/engine/types.ts';

export function unattendedAlert(openedAt = Date.UTC(2026, 2, 9, 2, 12)): EngineAlert {
  return {
    id: `unattended_test${openedAt}`,
    type: 'unattended',
    severity: 'critical',
    hall: 'cz-main',
    counter: 'w07',
    openedAt,
    message: '7号窗口 不动产登记 无人在岗已超过10分钟(临时离开)',
    details: { absenceStartedAt: openedAt - 600_000, limitSeconds: 600 },
    responsible: { staff: 'E1023', role: 'a' },
    notify: ['E1023', 'E2051'],
  };
}

export function notificationOf(
  config: Config,
  a: EngineAlert = unattendedAlert(),
  key = `${a.id}:open:ch`,
  kind: Notification['kind'] = 'open',
): Notification {
  const mentions = emptyMentions();
  mentions.names.push('王主任(主任)');
  mentions.mobiles.push('13900000009');
  mentions.wecomUserIds.push('wangzr');
  mentions.dingtalkUserIds.push('dt-wang');
  mentions.feishuUserIds.push('ou_wang');
  mentions.emails.push('director@example.gov.cn');
  return new Renderer(config).render({
    kind,
    alert: { ...a, status: 'open' },
    engine: a,
    now: a.openedAt + 5_000,
    key,
    mentions,
  });
}
