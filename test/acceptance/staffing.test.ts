// DOMAIN §2b acceptance scenarios about staffing by roster (R23), leave and closures (R24) and
// waiting citizens (R29).
import { describe, expect, it } from 'vitest';
import { approval, at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);
const afterOpening = (h: Hall, counter: string) =>
  h.opened(undefined, counter).filter((a) => a.openedAt > t('13:30:00'));

/** w07 staffed from 08:40 on Monday 2026-03-09 (everyone else empty). */
function staffedW07(opts: ConstructorParameters<typeof Hall>[1] = {}): Hall {
  const h = new Hall(t('08:00:00'), opts);
  h.seatsEmpty(t('08:00:00'));
  h.send(ev.seat('w07', true, t('08:40:00')));
  h.tick(t('09:00:00'));
  return h;
}

describe('staffing scenarios (R23, R24, R29)', () => {
  it('S26 roster-multi-staff', () => {
    const h = new Hall(t('12:30:00'));
    h.seatsEmpty(t('12:30:00'));
    h.send(ev.seat('w12', true, t('13:30:00'), 's1'));
    h.tick(t('14:39:59'));
    h.send(ev.sign('w12', 'away', t('14:39:59')), ev.seat('w12', false, t('14:40:00'), 's1'));
    h.tick(t('14:40:59'));
    expect(afterOpening(h, 'w12')).toEqual([]);
    h.tick(t('14:41:00'));
    const [gap] = h.opened('staffing_gap', 'w12');
    expect(gap).toMatchObject({
      openedAt: t('14:41:00'),
      details: { sign: 'ignored', limitSeconds: 60, responsible: { staff: 'E2001', basis: 'roster' } },
    });
    expect(h.opened('unattended', 'w12')).toEqual([]);

    // Variant: E2002 on leave that day → available 1 → single-staffed → unattended at 14:50:00.
    const v = new Hall(t('12:30:00'), {
      leave: [{ hall: 'cz-main', staff: 'E2002', from: MON, to: '2026-03-10', approvedBy: '张主任' }],
    });
    v.seatsEmpty(t('12:30:00'));
    v.send(ev.seat('w12', true, t('13:30:00'), 's1'));
    v.tick(t('14:39:59'));
    v.send(ev.sign('w12', 'away', t('14:39:59')), ev.seat('w12', false, t('14:40:00'), 's1'));
    expect(v.stateOf('w12')).toBe('away');
    v.tick(t('14:49:59'));
    expect(afterOpening(v, 'w12')).toEqual([]);
    v.tick(t('14:50:00'));
    expect(v.opened('unattended', 'w12')).toEqual([expect.objectContaining({ openedAt: t('14:50:00') })]);
    expect(v.opened('staffing_gap', 'w12')).toEqual([]);
  });

  it('S27 min-staff', () => {
    const h = new Hall(t('12:30:00'), { counters: { w12: { minStaff: 2 } } });
    h.seatsEmpty(t('12:30:00'));
    h.send(ev.seat('w12', true, t('13:20:00'), 's1'), ev.seat('w12', true, t('13:20:00'), 's2'));
    h.tick(t('13:59:59'));
    h.send(ev.seat('w12', false, t('14:00:00'), 's2'));
    expect(h.stateOf('w12')).toBe('staffed');
    h.tick(t('14:00:59'));
    expect(h.opened('understaffed', 'w12')).toEqual([]);
    h.tick(t('14:01:00'));
    const [u] = h.opened('understaffed', 'w12');
    expect(u).toMatchObject({
      openedAt: t('14:01:00'),
      severity: 'warning',
      details: { since: t('14:00:00'), staffOnPost: 1, required: 2, minStaff: 2, available: 2 },
    });
    expect(u!.message).toContain('在岗人数不足');
    h.tick(t('14:04:59'));
    h.send(ev.seat('w12', true, t('14:05:00'), 's2'));
    expect(h.resolved('understaffed', 'w12')).toEqual([
      expect.objectContaining({ id: u!.id, reason: 'staff_returned', resolvedAt: t('14:05:00') }),
    ]);
    h.tick(t('17:00:00'));
    const f = h.dayFacts('w12', MON);
    expect(f.interruptions).toBe(0);
    expect(f.understaffedMs).toBe(300_000);
    expect(f.staffedMs).toBe(3.5 * 3600_000);
  });

  it('S28 leave-is-not-silence', () => {
    const h = staffedW07();
    h.tick(t('13:00:00'));
    // Entered through the API at 13:00, approved by 张主任.
    h.send(approval.leave('L1', 'E1023', t('14:00:00'), t('15:00:00'), t('13:00:00')));
    h.tick(t('13:59:59'));
    h.send(ev.seat('w07', false, t('14:00:00')));
    h.tick(t('14:01:59'));
    expect(h.opened('unattended', 'w07')).toEqual([]);
    h.tick(t('14:02:00'));
    const [u] = h.opened('unattended', 'w07');
    expect(u).toMatchObject({
      openedAt: t('14:02:00'),
      responsible: { staff: 'E2051', role: 'b' },
      details: { responsible: { staff: 'E2051', basis: 'cover' }, coverFor: 'E1023' },
    });
    expect(u!.message).toContain('顶岗人员B角李强(E2051)');
    expect(u!.message).toContain('A角王芳(E1023)请假');
    h.tick(t('14:19:59'));
    h.send(ev.seat('w07', true, t('14:20:00')));
    expect(h.resolved('unattended', 'w07')).toEqual([
      expect.objectContaining({ id: u!.id, reason: 'staff_returned', resolvedAt: t('14:20:00') }),
    ]);
    h.tick(t('17:00:00'));
    expect(h.dayFacts('w07', MON).interruptions).toBe(1);
    const during = h.intervals('w07').filter((i) => i.start >= t('14:20:00') && i.end <= t('15:00:00'));
    expect(during).toEqual([expect.objectContaining({ state: 'staffed', staff: 'E2051', role: 'b' })]);

    // Entered after the counter emptied (14:05): the 14:02 alert stays open, counted, as attributed.
    const late = staffedW07();
    late.tick(t('13:59:59'));
    late.send(ev.seat('w07', false, t('14:00:00')));
    late.tick(t('14:04:59'));
    late.send(approval.leave('L1', 'E1023', t('14:00:00'), t('15:00:00'), t('14:05:00')));
    late.tick(t('14:19:59'));
    expect(late.resolved('unattended', 'w07')).toEqual([]);
    expect(late.opened('unattended', 'w07')).toEqual([
      expect.objectContaining({ openedAt: t('14:02:00'), responsible: { staff: 'E1023', role: 'a' } }),
    ]);
    late.send(ev.seat('w07', true, t('14:20:00')));
    late.tick(t('17:00:00'));
    expect(late.dayFacts('w07', MON).interruptions).toBe(1);

    // Variant: a closure of w07 14:00–15:00 → closed; at 15:00:00 it is judged as a session start.
    const v = staffedW07();
    v.tick(t('13:00:00'));
    v.send(approval.closure('C1', 'w07', t('14:00:00'), t('15:00:00'), t('13:00:00')));
    v.tick(t('13:59:59'));
    v.send(ev.seat('w07', false, t('14:00:00')));
    v.tick(t('14:00:00'));
    expect(v.stateOf('w07')).toBe('closed');
    v.tick(t('14:59:59'));
    expect(afterOpening(v, 'w07')).toEqual([]);
    v.tick(t('15:00:00'));
    expect(v.opened('late_opening', 'w07')).toEqual([expect.objectContaining({ openedAt: t('15:00:00') })]);
    v.tick(t('15:10:00'));
    expect(v.opened('unattended', 'w07')).toEqual([
      expect.objectContaining({
        openedAt: t('15:10:00'),
        details: expect.objectContaining({ reason: 'not_opened', absenceStartedAt: t('15:00:00') }),
      }),
    ]);
    v.tick(t('17:00:00'));
    expect(v.dayFacts('w07', MON).scheduledMs).toBe((23_400 - 3_600) * 1000);

    // A closure entered after an alert opened does not silence it: it stays counted.
    const c = staffedW07();
    c.tick(t('13:59:59'));
    c.send(ev.seat('w07', false, t('14:00:00')));
    c.tick(t('14:04:59'));
    c.send(approval.closure('C1', 'w07', t('14:00:00'), t('15:00:00'), t('14:05:00')));
    expect(c.stateOf('w07')).toBe('closed');
    expect(c.resolved('unattended', 'w07')).toEqual([
      expect.objectContaining({ openedAt: t('14:02:00'), reason: 'session_end', resolvedAt: t('14:05:00') }),
    ]);
    c.tick(t('17:00:00'));
    const cf = c.dayFacts('w07', MON);
    expect(cf.interruptions).toBe(2); // 14:02, and not opened again at 15:10
    expect(cf.scheduledMs).toBe((23_400 - 3_300) * 1000); // 14:05–15:00 removed, not 14:00–14:05
  });

  it('S34 waiting-citizens', () => {
    const h = staffedW07();
    h.tick(t('09:59:59'));
    h.send(ev.queue('w07', 3, t('10:00:00')));
    h.tick(t('10:04:59'));
    h.send(ev.seat('w07', false, t('10:05:00')));
    h.tick(t('10:07:00'));
    const [u] = h.opened('unattended', 'w07');
    expect(u).toMatchObject({ openedAt: t('10:07:00'), details: { waiting: 3 } });
    expect(u!.message).toMatch(/3\s?位群众等候/);
    h.tick(t('10:07:59'));
    h.send(ev.queue('w07', 5, t('10:08:00')));
    h.tick(t('10:09:59'));
    h.send(ev.queue('w07', 4, t('10:09:00')), ev.seat('w07', true, t('10:10:00')));
    const [r] = h.resolved('unattended', 'w07');
    expect(r).toMatchObject({ id: u!.id, resolvedAt: t('10:10:00'), details: { waiting: 5 } });
    expect(u!.details.waiting).toBe(3); // the opened alert handed out keeps its value
    expect(h.engine.counters().find((c) => c.counter === 'w07')!.waiting).toBe(4);
    h.tick(t('12:00:00'));
    expect(h.dayFacts('w07', MON).waitingAffected).toBe(5);
  });
});
