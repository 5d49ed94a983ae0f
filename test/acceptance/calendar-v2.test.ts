// DOMAIN §5 version 2: S30 (R25 calendar overrides) and S31 (R26 uncovered year, loudly).
import { describe, expect, it } from 'vitest';
import { Router } from '../../alerts/policy/routing.ts';
import { configSchema } from '../../core/config/index.ts';
import type { AlertObject } from '../../core/protocol/payloads.ts';
import { at, commonConfig, ev, Hall } from './fixtures.ts';

const AUTUMN = { from: '2026-09-01', to: '2026-10-31', sessions: ['09:00-12:00', '13:30-18:00'] };

/** The closures an administrator enters for 2027 when the package has no 2027 data. */
const HOLIDAYS_2027 = [
  { from: '2027-01-01', to: '2027-01-03', closed: true as const, days: 'all' as const, reason: '元旦' },
  { from: '2027-02-06', to: '2027-02-12', closed: true as const, days: 'all' as const, reason: '春节' },
  { from: '2027-04-03', to: '2027-04-05', closed: true as const, days: 'all' as const, reason: '清明节' },
  { from: '2027-05-01', to: '2027-05-05', closed: true as const, days: 'all' as const, reason: '劳动节' },
  { from: '2027-06-09', to: '2027-06-11', closed: true as const, days: 'all' as const, reason: '端午节' },
  { from: '2027-09-15', to: '2027-09-17', closed: true as const, days: 'all' as const, reason: '中秋节' },
  { from: '2027-10-01', to: '2027-10-07', closed: true as const, days: 'all' as const, reason: '国庆节' },
];

describe('calendar, version 2', () => {
  it('S30 overrides', () => {
    // Range override: working days only. National Day and Sat 09-05 stay closed; 调休 Sat 10-10 opens.
    const h = new Hall(at('2026-09-04', '18:00:00'), { overrides: [AUTUMN] });
    h.seatsEmpty(at('2026-09-04', '18:00:00'));
    h.tick(at('2026-09-06', '23:00:00'));
    expect(h.opened(undefined, 'w07')).toEqual([]);
    h.tick(at('2026-10-09', '18:00:00'));
    const before = h.opened('late_opening', 'w07').length;
    expect(h.calendar.sessionsOn('cz-main', 'w07', '2026-10-01')).toEqual([]);
    expect(h.calendar.sessionsOn('cz-main', 'w07', '2026-09-05')).toEqual([]);
    h.tick(at('2026-10-10', '09:00:00'));
    expect(h.opened('late_opening', 'w07').slice(before)).toEqual([
      expect.objectContaining({ openedAt: at('2026-10-10', '09:00:00') }),
    ]);
    h.send(ev.seat('w07', true, at('2026-10-10', '09:05:00')));
    h.tick(at('2026-10-10', '17:59:59'));
    expect(h.stateOf('w07')).toBe('staffed');
    h.tick(at('2026-10-10', '18:00:00'));
    expect(h.stateOf('w07')).toBe('closed');

    // Weekly exception every Monday (早会): the morning session starts at 09:30.
    const m = new Hall(at('2026-03-09', '08:00:00'), {
      overrides: [{ every: 'mon', sessions: ['09:30-12:00', '13:30-17:00'], note: '早会' }],
    });
    m.seatsEmpty(at('2026-03-09', '08:00:00'));
    m.tick(at('2026-03-09', '09:29:59'));
    expect(m.opened('late_opening', 'w07')).toEqual([]);
    m.tick(at('2026-03-09', '09:30:00'));
    expect(m.opened('late_opening', 'w07')).toEqual([
      expect.objectContaining({ openedAt: at('2026-03-09', '09:30:00') }),
    ]);

    // Extra session 17:00-18:30 on 03-10 touches 13:30-17:00: one session, 17:00 is no boundary.
    const D = '2026-03-10';
    const x = new Hall(at(D, '13:00:00'), {
      overrides: [{ date: D, sessions: ['09:00-12:00', '13:30-17:00', '17:00-18:30'] }],
    });
    x.send(ev.seat('w07', true, at(D, '13:25:00')));
    x.send(ev.sign('w07', 'away', at(D, '16:58:00')), ev.seat('w07', false, at(D, '16:58:00')));
    x.tick(at(D, '17:00:00'));
    expect(x.stateOf('w07')).toBe('away');
    x.send(ev.seat('w07', true, at(D, '17:05:00')), ev.sign('w07', 'none', at(D, '17:05:00')));
    x.tick(at(D, '19:00:00'));
    expect(x.opened(undefined, 'w07')).toEqual([]);
    const facts = x.dayFacts('w07', D);
    expect(facts.earlyLeaveMs).toBe(0);
    expect(facts.sessions).toBe(2);
    expect(facts.lateOpenings).toBe(0);
    expect(facts.scheduledMs / 1000).toBe(3 * 3600 + 5 * 3600);
    expect(x.seconds('w07', 'away')).toBe(420);
  });

  it('S31 uncovered-year-loud', () => {
    // Running since 1 December: 2027 has no data; the alert opens 30 days before 1 January, at 00:00.
    const run = new Hall(at('2026-12-01', '08:00:00'));
    run.tick(at('2026-12-01', '23:59:59'));
    expect(run.opened('calendar_unverified')).toEqual([]);
    run.tick(at('2026-12-02', '00:00:00'));
    expect(run.opened('calendar_unverified')).toEqual([
      expect.objectContaining({ openedAt: at('2026-12-02', '00:00:00') }),
    ]);

    // Started at 2026-12-02 09:00 local: it opens at once, hall-wide, a warning, for 2027.
    const h = new Hall(at('2026-12-02', '09:00:00'));
    h.tick(at('2026-12-02', '09:00:00'));
    const [a] = h.opened('calendar_unverified');
    expect(a).toMatchObject({
      type: 'calendar_unverified',
      severity: 'warning',
      hall: 'cz-main',
      openedAt: at('2026-12-02', '09:00:00'),
      details: { year: 2027, warnDays: 30 },
    });
    expect(a!.counter).toBeUndefined();
    expect(a!.message).toContain('2027年');
    expect(a!.message).toContain('春节 2027-02-06');
    // It stays open: later ticks do not reopen or resolve it.
    h.tick(at('2026-12-20', '09:00:00'));
    expect(h.opened('calendar_unverified')).toHaveLength(1);
    expect(h.resolved('calendar_unverified')).toEqual([]);

    // Routed like any alert: to the admins' and the supervisors' channels.
    const routed = configSchema.parse({
      ...commonConfig(),
      notifications: {
        channels: [
          { id: 'admins', type: 'webhook', url: 'http://127.0.0.1:9/admins' },
          { id: 'supervisors', type: 'wecom', url: 'http://127.0.0.1:9/wecom' },
          { id: 'facility', type: 'webhook', url: 'http://127.0.0.1:9/facility' },
        ],
        recipients: [
          { id: 'admin', name: '系统管理员', role: 'other' },
          { id: 'zhang', name: '张主任', role: 'supervisor' },
        ],
        routes: [
          { channels: ['admins'], types: ['calendar_unverified', 'device_offline'], recipients: ['admin'] },
          { channels: ['supervisors'], minSeverity: 'warning', recipients: ['role:supervisor'] },
          { channels: ['facility'], types: ['equipment_fault'] },
        ],
      },
    });
    const object = { ...a!, status: 'open' } as AlertObject;
    const deliveries = new Router(routed).route(object, a);
    expect(deliveries.map((d) => d.channelId)).toEqual(['admins', 'supervisors']);
    expect(deliveries[0]!.mentions.names).toEqual(['系统管理员']);
    expect(deliveries[1]!.mentions.names).toEqual(['张主任(值班主管)']);

    // Overrides closing 2027's holidays (a restart with the new configuration) → resolved `covered`.
    const covered = new Hall(at('2026-12-21', '10:00:00'), {
      snapshot: h.engine.snapshot(),
      overrides: HOLIDAYS_2027,
    });
    covered.tick(at('2026-12-21', '10:00:00'));
    expect(covered.resolved('calendar_unverified')).toEqual([
      expect.objectContaining({ id: a!.id, reason: 'covered', resolvedAt: at('2026-12-21', '10:00:00') }),
    ]);

    // A late_opening on 2027-02-10 (uncovered) says its schedule is unverified.
    const D = '2027-02-10';
    const late = new Hall(at(D, '08:00:00'));
    late.seatsEmpty(at(D, '08:00:00'));
    late.tick(at(D, '09:00:00'));
    const [l] = late.opened('late_opening', 'w07');
    expect(l).toMatchObject({ openedAt: at(D, '09:00:00'), details: { calendarUnverified: true } });
    expect(l!.message).toContain('2027年节假日安排未核实');
    // With 2027 covered by overrides, the same alert carries no such mark (10 Feb is 春节 then: 11 Feb).
    const ok = new Hall(at('2027-02-15', '08:00:00'), { overrides: HOLIDAYS_2027 });
    ok.seatsEmpty(at('2027-02-15', '08:00:00'));
    ok.tick(at('2027-02-15', '09:00:00'));
    expect(ok.opened('late_opening', 'w07')[0]!.details.calendarUnverified).toBeUndefined();
    expect(ok.opened('calendar_unverified')).toEqual([]);
  });
});
