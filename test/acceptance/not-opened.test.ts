// DOMAIN §2b acceptance scenarios about counters that are not opened (R22): no-show, left before
// opening, lunch overrun.
import { describe, expect, it } from 'vitest';
import { at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);

describe('not-opened scenarios (R22)', () => {
  it('S23 no-show', () => {
    const h = new Hall(t('08:00:00'));
    h.seatsEmpty(t('08:00:00'));
    h.tick(t('08:45:00'));
    expect(h.opened('not_ready', 'w07')).toEqual([expect.objectContaining({ openedAt: t('08:45:00') })]);
    h.tick(t('09:00:00'));
    expect(h.resolved('not_ready', 'w07')).toEqual([
      expect.objectContaining({ reason: 'superseded', resolvedAt: t('09:00:00') }),
    ]);
    expect(h.opened('late_opening', 'w07')).toEqual([expect.objectContaining({ openedAt: t('09:00:00') })]);
    expect(h.stateOf('w07')).toBe('unattended');
    expect(h.states('w07').at(-1)).toEqual(['unattended', t('09:00:00')]);
    h.tick(t('09:09:59'));
    expect(h.opened('unattended', 'w07')).toEqual([]);
    h.tick(t('09:10:00'));
    const [u] = h.opened('unattended', 'w07');
    expect(u).toMatchObject({
      openedAt: t('09:10:00'),
      severity: 'critical',
      details: {
        reason: 'not_opened',
        absenceStartedAt: t('09:00:00'),
        responsible: { staff: 'E1023', basis: 'roster' },
      },
    });
    expect(u!.message).toContain('09:00');
    expect(u!.message).toContain('10分钟');
    h.tick(t('12:00:00'));
    expect(h.resolved(undefined, 'w07').map((a) => [a.type, a.reason, a.resolvedAt])).toEqual([
      ['not_ready', 'superseded', t('09:00:00')],
      ['unattended', 'session_end', t('12:00:00')],
      ['late_opening', 'session_end', t('12:00:00')],
    ]);
    h.tick(t('17:00:00'));
    expect(h.opened(undefined, 'w07').map((a) => [a.type, a.openedAt])).toEqual([
      ['not_ready', t('08:45:00')],
      ['late_opening', t('09:00:00')],
      ['unattended', t('09:10:00')],
      ['late_opening', t('13:30:00')],
      ['unattended', t('13:40:00')],
    ]);
    expect(
      h
        .resolved(undefined, 'w07')
        .slice(3)
        .map((a) => [a.type, a.resolvedAt]),
    ).toEqual([
      ['unattended', t('17:00:00')],
      ['late_opening', t('17:00:00')],
    ]);
    const f = h.dayFacts('w07', MON);
    expect(f.lateOpenings).toBe(2);
    expect(f.interruptions).toBe(2);
    expect(f.unattendedMs).toBe(23_400_000);
    const interruptions = h.opened('unattended', 'w07');
    expect(interruptions.map((a) => a.details.responsible)).toEqual([
      { staff: 'E1023', basis: 'roster' },
      { staff: 'E1023', basis: 'roster' },
    ]);
  });

  it('S24 left-before-opening', () => {
    const h = new Hall(t('08:00:00'));
    h.seatsEmpty(t('08:00:00'));
    h.send(ev.seat('w07', true, t('08:40:00')));
    h.tick(t('08:58:59'));
    h.send(ev.sign('w07', 'away', t('08:59:00')), ev.seat('w07', false, t('08:59:00')));
    h.tick(t('09:00:00'));
    expect(h.opened('late_opening', 'w07')).toEqual([expect.objectContaining({ openedAt: t('09:00:00') })]);
    h.tick(t('09:10:00'));
    // The away sign gives no allowance at T.
    expect(h.opened('unattended', 'w07')).toEqual([
      expect.objectContaining({
        openedAt: t('09:10:00'),
        details: expect.objectContaining({ reason: 'not_opened', absenceStartedAt: t('09:00:00') }),
      }),
    ]);
    h.tick(t('09:12:29'));
    h.send(ev.seat('w07', true, t('09:12:30')));
    // (R10: the empty seat at 08:59 opened not_ready, superseded at 09:00.)
    const after = h.resolved(undefined, 'w07').filter((a) => a.type !== 'not_ready');
    expect(after.map((a) => [a.type, a.reason, a.resolvedAt])).toEqual([
      ['unattended', 'staff_returned', t('09:12:30')],
      ['late_opening', 'arrived', t('09:12:30')],
    ]);
    expect(h.resolved('late_opening', 'w07')[0]!.details).toMatchObject({ lateSeconds: 750 });
    h.tick(t('12:00:00'));
    const f = h.dayFacts('w07', MON);
    expect(f.interruptions).toBe(1);
    expect(f.lateOpenings).toBe(1);
    expect(f.lateMs).toBe(750_000);
  });

  it('S25 lunch-overrun', () => {
    const h = new Hall(t('08:00:00'));
    h.seatsEmpty(t('08:00:00'));
    h.send(ev.seat('w07', true, t('08:40:00')));
    h.tick(t('12:00:00'));
    h.send(ev.seat('w07', false, t('12:03:00')), ev.sign('w07', 'away', t('12:05:00')));
    h.tick(t('13:30:00'));
    expect(h.opened('late_opening', 'w07')).toEqual([expect.objectContaining({ openedAt: t('13:30:00') })]);
    h.tick(t('13:40:00'));
    expect(h.opened('unattended', 'w07')).toEqual([
      expect.objectContaining({
        openedAt: t('13:40:00'),
        details: expect.objectContaining({ reason: 'not_opened', absenceStartedAt: t('13:30:00') }),
      }),
    ]);
    h.tick(t('13:44:19'));
    h.send(ev.seat('w07', true, t('13:44:20')));
    expect(h.resolved(undefined, 'w07').map((a) => [a.type, a.reason, a.resolvedAt])).toEqual([
      ['unattended', 'staff_returned', t('13:44:20')],
      ['late_opening', 'arrived', t('13:44:20')],
    ]);
    expect(h.resolved('late_opening', 'w07')[0]!.details).toMatchObject({ lateSeconds: 860 });
    h.tick(t('17:00:00'));
    const f = h.dayFacts('w07', MON);
    expect(f.interruptions).toBe(1);
    expect(f.lateOpenings).toBe(1);
    expect(f.lateMs).toBe(860_000);
  });
});
