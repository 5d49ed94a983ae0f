// DOMAIN §5 acceptance scenarios about presence: away allowance, unsigned absence, lunch, late
// opening after lunch, A/B cover, two-staff counters, resolve and re-fire.
import { describe, expect, it } from 'vitest';
import { at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);

/** w07 staffed from 08:50 on Monday 2026-03-09 (everyone else empty). */
function staffedW07(): Hall {
  const h = new Hall(t('08:00:00'));
  h.seatsEmpty(t('08:00:00'));
  h.send(ev.seat('w07', true, t('08:50:00')));
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
    expect(h.opened('unattended')).toEqual([]);
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
    expect(h.opened('unattended')).toEqual([]);
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
    expect(v.opened('unattended')).toEqual([]);
    expect(v.stateOf('w07')).toBe('staffed');
  });
});
