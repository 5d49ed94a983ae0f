// Routing, quiet hours and repeat as the lifecycle applies them (no network: the outbox is the output).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertLifecycle } from '../../../alerts/lifecycle.ts';
import { openStore } from '../../../alerts/store/index.ts';
import { createCalendar } from '../../../core/calendar/index.ts';
import type { EngineAlert } from '../../../core/engine/types.ts';
import { at as atDay } from '../../helpers/time.ts';
import { silentLogger, tempDir, testConfig } from '../helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

// Mon 2026-03-09, Asia/Shanghai (UTC+8).
const at = (hhmm: string) => atDay('2026-03-09', hhmm);

function setup() {
  const t = tempDir();
  const config = testConfig({
    dataDir: t.dir,
    rules: { readinessLead: '15m' },
    notifications: {
      channels: [
        { id: 'sup', type: 'webhook', url: 'http://127.0.0.1:9/sup' },
        { id: 'facility', type: 'webhook', url: 'http://127.0.0.1:9/fac' },
        { id: 'night', type: 'webhook', url: 'http://127.0.0.1:9/night' },
      ],
      routes: [
        {
          channels: ['sup'],
          types: ['unattended', 'staffing_gap', 'late_opening', 'device_offline'],
          minSeverity: 'warning',
        },
        { channels: ['facility'], types: ['equipment_fault'], recipients: ['fac1'] },
        { channels: ['night'], types: ['device_offline'], ignoreQuietHours: true },
      ],
      recipients: [{ id: 'fac1', name: '刘工', role: 'facility', mobile: '13700000000' }],
      repeatEvery: '10m',
    },
  });
  // A real timetable for these tests: Mon–Fri 09:00–12:00, 13:30–17:00.
  config.halls[0]!.sessions = { 'mon-fri': ['09:00-12:00', '13:30-17:00'] };
  const store = openStore(join(t.dir, 'alerts.sqlite'));
  cleanups.push(t.cleanup, () => store.close());
  const kicked: string[] = [];
  const lc = new AlertLifecycle({
    config,
    calendar: createCalendar(config),
    store,
    logger: silentLogger(),
    publishAlert: () => {},
    onAlert: () => {},
    kick: (ids) => kicked.push(...ids),
    hasChannel: () => true,
    engineResolve: () => null,
  });
  const channelsOf = (id: string) => store.outbox.forAlert(id).map((o) => `${o.kind}:${o.channelId}`);
  return { lc, store, kicked, channelsOf };
}

const alert = (
  type: EngineAlert['type'],
  openedAt: number,
  extra: Partial<EngineAlert> = {},
): EngineAlert => ({
  id: `${type}-${openedAt}`,
  type,
  severity: type === 'not_ready' ? 'info' : type === 'unattended' ? 'critical' : 'warning',
  hall: 'cz-main',
  counter: 'w07',
  openedAt,
  message: '测试告警',
  details: {},
  ...extra,
});

describe('policy', () => {
  it('routes by type and minimum severity', () => {
    const { lc, channelsOf } = setup();
    lc.opened(alert('unattended', at('10:12')), at('10:12'));
    lc.opened(alert('not_ready', at('08:50')), at('08:50'));
    lc.opened(alert('equipment_fault', at('10:20'), { equipment: 'printer' }), at('10:20'));
    expect(channelsOf(`unattended-${at('10:12')}`)).toEqual(['open:sup']);
    expect(channelsOf(`not_ready-${at('08:50')}`)).toEqual([]); // info < warning
    expect(channelsOf(`equipment_fault-${at('10:20')}`)).toEqual(['open:facility']);
  });

  it('quiet outside service hours for presence alerts; equipment faults still reach facility staff', () => {
    const { lc, store, channelsOf } = setup();
    lc.opened(alert('device_offline', at('20:00'), { device: 'ctl-w07' }), at('20:00'));
    lc.opened(alert('equipment_fault', at('20:05'), { equipment: 'printer' }), at('20:05'));
    expect(channelsOf(`device_offline-${at('20:00')}`)).toEqual(['open:night']); // only the route that opts out of quiet hours
    expect(channelsOf(`equipment_fault-${at('20:05')}`)).toEqual(['open:facility']);
    expect(store.alerts.get(`device_offline-${at('20:00')}`)!.status).toBe('open');
    // The readiness window before the first session is not quiet.
    lc.opened(alert('device_offline', at('08:50'), { device: 'ctl-w07' }), at('08:50'));
    expect(channelsOf(`device_offline-${at('08:50')}`).sort()).toEqual(['open:night', 'open:sup']);
  });

  it('repeats an unacknowledged alert every repeatEvery, never an acknowledged one', () => {
    const { lc, channelsOf } = setup();
    const a = alert('unattended', at('10:12'));
    lc.opened(a, at('10:12'));
    lc.policyTick(at('10:21'));
    expect(channelsOf(a.id)).toEqual(['open:sup']);
    lc.policyTick(at('10:22'));
    expect(channelsOf(a.id)).toEqual(['open:sup', 'repeat:sup']);
    lc.acknowledge(a.id, '王主管', undefined, at('10:23'));
    lc.policyTick(at('10:40'));
    expect(channelsOf(a.id)).toEqual(['open:sup', 'repeat:sup']);
  });

  it('a resolve goes only to the channels that were told about the alert', () => {
    const { lc, channelsOf } = setup();
    const a = alert('unattended', at('10:12'));
    lc.opened(a, at('10:12'));
    lc.resolved({ ...a, resolvedAt: at('10:15'), reason: 'staff_returned' }, at('10:15'));
    lc.resolved({ ...a, resolvedAt: at('10:16'), reason: 'staff_returned' }, at('10:16'));
    expect(channelsOf(a.id)).toEqual(['open:sup', 'resolve:sup']);
  });
});
