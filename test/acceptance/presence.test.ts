// DOMAIN §5 acceptance scenarios about presence: away allowance, unsigned absence, lunch, late
// opening after lunch, A/B cover, two-staff counters, resolve and re-fire.
import { describe, expect, it } from 'vitest';
import { noAbsenceRows, sanctionLevel } from '../../core/stats/index.ts';
import { at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);

/** w07 staffed from 08:40 (before the readiness window) on Monday 2026-03-09 (everyone else empty). */
function staffedW07(): Hall {
  const h = new Hall(t('08:00:00'));
  h.seatsEmpty(t('08:00:00'));
  h.send(ev.seat('w07', true, t('08:40:00')));
  h.tick(t('10:00:00'));
  return h;
}

describe('presence scenarios', () => {
  it('S01 away-within-limit', () => {
    const h = staffedW07();
    h.send(ev.sign('w07', 'away', t('10:01:30')));
    expect(h.stateOf('w07')).toBe('staffed');
    h.send(ev.seat('w07', false, t('10:02:00')));
    expect(h.stateOf('w07')).toBe('away');
    const view = h.engine.counters().find((c) => c.counter === 'w07')!;
    expect(view.deadline).toBe(t('10:12:00'));
    h.tick(t('10:11:58'));
    h.send(ev.seat('w07', true, t('10:11:59')));
    expect(h.stateOf('w07')).toBe('staffed');
    h.tick(t('10:12:00'));
    h.tick(t('12:00:00'));
    expect(h.opened('unattended', 'w07')).toEqual([]);
    const away = h.intervals('w07').filter((i) => i.state === 'away');
    expect(away).toHaveLength(1);
    expect(away[0]).toMatchObject({ start: t('10:02:00'), end: t('10:11:59') });
    expect(h.seconds('w07', 'away')).toBe(599);
    const f = h.dayFacts('w07', MON);
    expect(f.absences).toBe(1);
    expect(f.awayMs).toBe(599_000);
    expect(f.interruptions).toBe(0);
  });

  it('S02 away-overrun', () => {
    const h = staffedW07();
    h.send(ev.sign('w07', 'away', t('10:01:30')), ev.seat('w07', false, t('10:02:00')));
    h.tick(t('10:11:59'));
    expect(h.opened('unattended', 'w07')).toEqual([]);
    h.tick(t('10:12:00'));
    expect(h.stateOf('w07')).toBe('unattended');
    const [a1] = h.opened('unattended', 'w07');
    expect(a1).toMatchObject({
      openedAt: t('10:12:00'),
      severity: 'critical',
      counter: 'w07',
      details: { absenceStartedAt: t('10:02:00'), limitSeconds: 600 },
      responsible: { staff: 'E1023', role: 'a' },
    });
    expect(a1!.notify).toEqual(['E1023', 'E2051']);
    expect(a1!.message).toContain('常州市政务服务中心');
    expect(a1!.message).toContain('7号窗口');
    expect(a1!.message).toContain('A角王芳');
    expect(a1!.message).toContain('B角李强');
    expect(a1!.message).toContain('顶岗');
    expect(a1!.message).toContain('10分钟');
    expect(a1!.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    h.tick(t('10:15:09'));
    h.send(ev.seat('w07', true, t('10:15:10')));
    const [r1] = h.resolved('unattended', 'w07');
    expect(r1).toMatchObject({ id: a1!.id, reason: 'staff_returned', resolvedAt: t('10:15:10') });
    expect(h.stateOf('w07')).toBe('staffed');

    // Events before timers: occupancy with ts 10:12:00.000 exactly raises nothing.
    const v = staffedW07();
    v.send(ev.sign('w07', 'away', t('10:01:30')), ev.seat('w07', false, t('10:02:00')));
    v.tick(t('10:11:59'));
    v.send(ev.seat('w07', true, t('10:12:00')));
    v.tick(t('10:12:00'));
    v.tick(t('10:30:00'));
    expect(v.opened('unattended', 'w07')).toEqual([]);
    expect(v.stateOf('w07')).toBe('staffed');
  });

  it('S03 unsigned-absence', () => {
    const h = staffedW07();
    h.tick(t('14:00:00'));
    h.send(ev.seat('w07', false, t('14:20:00')));
    expect(h.stateOf('w07')).toBe('unattended');
    expect(h.states('w07').at(-1)).toEqual(['unattended', t('14:20:00')]);
    h.tick(t('14:21:59'));
    expect(h.opened('unattended', 'w07')).toEqual([]);
    h.tick(t('14:22:00'));
    const [a] = h.opened('unattended', 'w07');
    expect(a).toMatchObject({
      openedAt: t('14:22:00'),
      details: { absenceStartedAt: t('14:20:00'), limitSeconds: 120, sign: 'none' },
    });
    expect(a!.message).toContain('未放置提示牌');
    expect(a!.message).toContain('2分钟');

    // Variant: back at 14:21:30 → no alert, 90 s unattended, 0 interruptions.
    const v = staffedW07();
    v.tick(t('14:00:00'));
    v.send(ev.seat('w07', false, t('14:20:00')));
    v.tick(t('14:21:29'));
    v.send(ev.seat('w07', true, t('14:21:30')));
    v.tick(t('17:00:00'));
    expect(v.opened('unattended', 'w07')).toEqual([]);
    expect(v.seconds('w07', 'unattended')).toBe(90);
    const f = v.dayFacts('w07', MON);
    expect(f.unattendedMs).toBe(90_000);
    expect(f.interruptions).toBe(0);
    expect(f.absences).toBe(1);
  });

  it('S04 lunch-boundary', () => {
    const h = staffedW07();
    h.send(ev.sign('w07', 'away', t('11:51:50')), ev.seat('w07', false, t('11:52:00')));
    expect(h.engine.counters().find((c) => c.counter === 'w07')!.deadline).toBeUndefined(); // 12:02 ≥ 12:00
    h.tick(t('11:59:59'));
    expect(h.stateOf('w07')).toBe('away');
    h.tick(t('12:00:00'));
    expect(h.stateOf('w07')).toBe('closed');
    expect(h.states('w07').at(-1)).toEqual(['closed', t('12:00:00')]);
    h.tick(t('12:05:00'));
    expect(h.opened(undefined, 'w07')).toEqual([]);
    const away = h.intervals('w07').filter((i) => i.state === 'away');
    expect(away).toEqual([
      expect.objectContaining({ start: t('11:52:00'), end: t('12:00:00'), earlyLeave: true }),
    ]);
    expect(h.seconds('w07', 'away')).toBe(480);
    const f = h.dayFacts('w07', MON);
    expect(f.awayMs).toBe(480_000);
    expect(f.earlyLeaveMs).toBe(480_000);
    expect(f.interruptions).toBe(0);

    // Variant: empties 11:45:00 with away → alert 11:55:00, resolved 12:00:00 session_end; 11:40 excuses nothing.
    const v = staffedW07();
    v.tick(t('11:40:00'));
    expect(v.stateOf('w07')).toBe('staffed');
    v.send(ev.sign('w07', 'away', t('11:44:50')), ev.seat('w07', false, t('11:45:00')));
    v.tick(t('11:54:59'));
    expect(v.opened('unattended', 'w07')).toEqual([]);
    v.tick(t('11:55:00'));
    expect(v.opened('unattended', 'w07')).toEqual([expect.objectContaining({ openedAt: t('11:55:00') })]);
    v.tick(t('12:00:00'));
    expect(v.resolved('unattended', 'w07')).toEqual([
      expect.objectContaining({ resolvedAt: t('12:00:00'), reason: 'session_end' }),
    ]);
    expect(v.intervals('w07').some((i) => i.earlyLeave)).toBe(false);
    expect(v.dayFacts('w07', MON).interruptions).toBe(1);
  });

  it('S05 late-opening-after-lunch', () => {
    const h = staffedW07();
    h.tick(t('12:00:00'));
    h.send(ev.seat('w07', false, t('12:03:00')), ev.sign('w07', 'away', t('12:05:00')));
    h.tick(t('13:29:59'));
    expect(h.opened(undefined, 'w07')).toEqual([]);
    h.tick(t('13:30:00'));
    const [late] = h.opened('late_opening', 'w07');
    expect(late).toMatchObject({ openedAt: t('13:30:00'), severity: 'warning' });
    expect(late!.message).toContain('13:30');
    expect(h.opened('unattended', 'w07')).toEqual([]);
    expect(h.opened('not_ready', 'w07')).toEqual([]);
    h.tick(t('13:34:19'));
    h.send(ev.seat('w07', true, t('13:34:20')));
    const [r] = h.resolved('late_opening', 'w07');
    expect(r).toMatchObject({
      id: late!.id,
      reason: 'arrived',
      resolvedAt: t('13:34:20'),
      details: { lateSeconds: 260 },
    });
    // The away sign still up while staffed is a board hint (收起提示牌), never an alert.
    const view = h.out.filter((o) => o.kind === 'state' && o.change.counter === 'w07').at(-1);
    h.tick(t('17:00:00'));
    expect(h.opened(undefined, 'w07').map((a) => a.type)).toEqual(['late_opening']);
    expect(view).toMatchObject({ change: { state: 'staffed', sign: 'away', hint: 'lower_sign' } });
    const f = h.dayFacts('w07', MON);
    expect(f.lateOpenings).toBe(1);
    expect(f.lateMs).toBe(260_000);
    expect(f.interruptions).toBe(0);
  });

  it('S11 ab-cover-sits-in', () => {
    const h = staffedW07();
    h.send(ev.sign('w07', 'away', t('09:59:50')), ev.seat('w07', false, t('10:00:00')));
    h.tick(t('10:05:59'));
    h.send(ev.badge('w07', 'E2051', 'in', t('10:06:00')));
    h.tick(t('10:06:19'));
    h.send(ev.seat('w07', true, t('10:06:20')));
    expect(h.stateOf('w07')).toBe('staffed');
    h.tick(t('12:00:00'));
    expect(h.opened(undefined, 'w07')).toEqual([]);
    expect(h.seconds('w07', 'away')).toBe(380);
    const after = h.intervals('w07').filter((i) => i.start >= t('10:06:20'));
    expect(after).toEqual([
      expect.objectContaining({
        state: 'staffed',
        start: t('10:06:20'),
        end: t('12:00:00'),
        staff: 'E2051',
        role: 'b',
      }),
    ]);
    const before = h.intervals('w07').filter((i) => i.state === 'staffed' && i.end <= t('10:00:00'));
    expect(before.every((i) => i.staff === 'E1023' && i.role === 'a')).toBe(true);
    expect(h.engine.counters().find((c) => c.counter === 'w07')!.staff).toEqual(['E2051']);

    // Variant: E1023 on approved leave that day; E2051 sits 08:44 → no not_ready, no late_opening.
    const v = new Hall(t('08:00:00'), {
      overrides: [{ date: MON, leave: { staff: 'E1023', cover: 'E2051' } }],
    });
    v.seatsEmpty(t('08:00:00'));
    v.send(ev.seat('w07', true, t('08:44:00')));
    v.tick(t('12:00:00'));
    expect(v.opened(undefined, 'w07')).toEqual([]);
    expect(v.intervals('w07')).toEqual([
      expect.objectContaining({
        state: 'staffed',
        start: t('09:00:00'),
        end: t('12:00:00'),
        staff: 'E2051',
        role: 'b',
      }),
    ]);
    // If the cover then leaves unsigned, the interruption is attributed to the cover (R7/R20).
    v.send(ev.seat('w07', false, t('14:00:00')));
    v.tick(t('14:02:00'));
    expect(v.opened('unattended', 'w07')[0]!.responsible).toEqual({ staff: 'E2051', role: 'b' });
  });

  it('S12 two-staff-one-vs-both', () => {
    const h = new Hall(t('08:00:00'));
    h.seatsEmpty(t('08:00:00'));
    h.send(ev.seat('w12', true, t('13:20:00'), 's1'), ev.seat('w12', true, t('13:21:00'), 's2'));
    h.tick(t('13:59:59'));
    h.send(ev.sign('w12', 'away', t('13:59:59')), ev.seat('w12', false, t('14:00:00'), 's2'));
    expect(h.stateOf('w12')).toBe('staffed');
    h.tick(t('14:10:00'));
    h.tick(t('14:30:00'));
    expect(h.opened(undefined, 'w12').filter((a) => a.openedAt > t('13:30:00'))).toEqual([]);
    h.send(ev.seat('w12', false, t('14:40:00'), 's1'));
    h.tick(t('14:40:59'));
    expect(h.opened(undefined, 'w12').filter((a) => a.openedAt > t('13:30:00'))).toEqual([]);
    h.tick(t('14:41:00'));
    const [gap] = h.opened('staffing_gap', 'w12');
    expect(gap).toMatchObject({
      openedAt: t('14:41:00'),
      severity: 'critical',
      details: { sign: 'ignored', limitSeconds: 60 },
    });
    expect(gap!.message).toContain('至少应有一人在岗');
    h.tick(t('14:44:29'));
    h.send(ev.seat('w12', true, t('14:44:30'), 's2'));
    expect(h.resolved('staffing_gap', 'w12')).toEqual([
      expect.objectContaining({ id: gap!.id, reason: 'staff_returned', resolvedAt: t('14:44:30') }),
    ]);
    expect(h.opened('unattended', 'w12').filter((a) => a.openedAt > t('13:30:00'))).toEqual([]);
    // Rules v2: the version-1 variant (only s1 used → single rules) became S26 (multi-staffed by roster).
  });

  it('S14 resolve-and-refire', () => {
    const h = staffedW07();
    h.send(ev.sign('w07', 'away', t('10:01:30')), ev.seat('w07', false, t('10:02:00')));
    h.tick(t('10:15:09'));
    h.send(ev.seat('w07', true, t('10:15:10')), ev.sign('w07', 'none', t('10:15:15')));
    const [a1] = h.opened('unattended', 'w07');
    expect(h.resolved('unattended', 'w07')[0]).toMatchObject({ id: a1!.id, resolvedAt: t('10:15:10') });
    h.tick(t('10:39:59'));
    h.send(ev.seat('w07', false, t('10:40:00')));
    h.tick(t('10:42:00'));
    const all = h.opened('unattended', 'w07');
    expect(all).toHaveLength(2);
    const a2 = all[1]!;
    expect(a2.openedAt).toBe(t('10:42:00'));
    expect(a2.id).not.toBe(a1!.id);
    expect(a2.responsible).toEqual({ staff: 'E1023', role: 'a' });
    h.tick(t('12:00:00')); // (the afternoon would add R22's not_opened: w07 stays empty)

    // R17 from what the engine emitted: 2 interruptions of E1023 in March 2026.
    const interruptions = h
      .opened(undefined, 'w07')
      .filter((a) => a.type === 'unattended' || a.type === 'staffing_gap');
    const march = interruptions.filter((a) => a.responsible?.staff === 'E1023');
    expect(march).toHaveLength(2);
    expect(h.dayFacts('w07', MON).interruptions).toBe(2);
    expect(sanctionLevel(march.length, [march.length])).toBe('transferRecommended');
    // With one more on 2026-01-15 (a different month): ≥2 in 2026 → at least publicNotice.
    expect(sanctionLevel(1 + 1, [1, 1])).toBe('publicNotice');
    const rows = noAbsenceRows({
      hall: 'cz-main',
      interruptions: [
        {
          id: 'jan',
          type: 'unattended',
          hall: 'cz-main',
          counter: 'w07',
          openedAt: at('2026-01-15', '10:00:00'),
          staff: 'E1023',
        },
        ...march.map((a) => ({
          id: a.id,
          type: 'unattended' as const,
          hall: 'cz-main',
          counter: 'w07',
          openedAt: a.openedAt,
          staff: 'E1023',
        })),
      ],
      from: at('2026-01-01', '00:00:00'),
      to: at('2026-04-01', '00:00:00'),
      localDateOf: (x) => h.calendar.localDate(x),
    });
    const e1023 = rows.find((r) => r.subject === 'staff' && r.staff === 'E1023')!;
    expect(e1023.yearCount).toBe(3);
    expect(e1023.level).toBe('transferRecommended');
  });
});
