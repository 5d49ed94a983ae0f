// DOMAIN §5 acceptance scenarios about opening: readiness, signs outside hours, 调休 Saturdays, holidays.
import { describe, expect, it } from 'vitest';
import { at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);

describe('opening scenarios', () => {
  it('S06 morning-readiness', () => {
    const h = new Hall(t('08:00:00'));
    h.seatsEmpty(t('08:00:00'));
    h.send(
      ev.equipment('w07', 'pc', 'off', t('08:30:00')),
      ev.equipment('w07', 'printer', 'ok', t('08:30:00')),
    );
    h.tick(t('08:44:59'));
    expect(h.opened('not_ready')).toEqual([]);
    h.tick(t('08:45:00'));
    const [nr] = h.opened('not_ready', 'w07');
    expect(nr).toMatchObject({ openedAt: t('08:45:00'), severity: 'info' });
    expect(nr!.message).toContain('09:00');
    expect(nr!.message).toContain('无人在岗');
    expect(nr!.message).toContain('7号窗口电脑未开机');
    h.tick(t('08:52:09'));
    h.send(ev.seat('w07', true, t('08:52:10')));
    expect(h.resolved('not_ready', 'w07')).toEqual([]); // pc still off
    h.tick(t('08:52:59'));
    h.send(ev.equipment('w07', 'pc', 'ok', t('08:53:00')));
    expect(h.resolved('not_ready', 'w07')).toEqual([
      expect.objectContaining({ id: nr!.id, reason: 'ready', resolvedAt: t('08:53:00') }),
    ]);
    h.tick(t('09:00:00'));
    expect(h.opened(undefined, 'w07')).toHaveLength(1);
    expect(h.resolved(undefined, 'w07')).toHaveLength(1);

    // w09, still empty at 09:00:00: not_ready resolves `superseded` and late_opening opens at 09:00:00.
    const [w09nr] = h.opened('not_ready', 'w09');
    expect(w09nr!.openedAt).toBe(t('08:45:00'));
    expect(h.resolved('not_ready', 'w09')).toEqual([
      expect.objectContaining({ reason: 'superseded', resolvedAt: t('09:00:00') }),
    ]);
    expect(h.opened('late_opening', 'w09')).toEqual([expect.objectContaining({ openedAt: t('09:00:00') })]);
    const order = h.out
      .filter((o) => (o.kind === 'alert_opened' || o.kind === 'alert_resolved') && o.alert.counter === 'w09')
      .map(
        (o) => `${o.kind}:${o.kind === 'alert_opened' || o.kind === 'alert_resolved' ? o.alert.type : ''}`,
      );
    expect(order).toEqual([
      'alert_opened:not_ready',
      'alert_resolved:not_ready',
      'alert_opened:late_opening',
    ]);
  });

  it('S07 sign-outside-hours', () => {
    const h = new Hall(t('08:00:00'));
    h.seatsEmpty(t('08:00:00'));
    h.send(ev.sign('w07', 'paused', t('08:30:00')));
    expect(h.stateOf('w07')).toBe('closed');
    h.tick(t('09:00:00'));
    expect(h.stateOf('w07')).toBe('paused');
    h.tick(t('12:00:00'));
    // No not_ready, no late_opening; rules v2 (R21): service_paused at 09:30:00 (paused since 09:00:00).
    expect(h.opened(undefined, 'w07').map((a) => [a.type, a.openedAt])).toEqual([
      ['service_paused', t('09:30:00')],
    ]);
    expect(h.opened('service_paused', 'w07')[0]!.details).toMatchObject({
      pausedSince: t('09:00:00'),
      limitSeconds: 1800,
    });
    expect(h.resolved('service_paused', 'w07')).toEqual([
      expect.objectContaining({ reason: 'session_end', resolvedAt: t('12:00:00') }),
    ]);
    expect(h.seconds('w07', 'paused')).toBe(3 * 3600);
    const f = h.dayFacts('w07', MON);
    expect(f.onTimeOpenings).toBe(0); // a session that starts paused is not on time
    expect(f.pausedMs).toBe(3 * 3600_000);

    // 17:05, closed: the away sign is recorded (board) but changes no state and raises nothing.
    h.send(ev.sign('w07', 'none', t('13:00:00')), ev.seat('w07', true, t('13:20:00')));
    h.tick(t('17:04:59'));
    const before = h.out.length;
    h.send(ev.sign('w07', 'away', t('17:05:00')));
    h.tick(t('18:00:00'));
    const after = h.out.slice(before);
    expect(after.filter((o) => o.kind !== 'state')).toEqual([]);
    expect(h.stateOf('w07')).toBe('closed');
    expect(h.engine.counters().find((c) => c.counter === 'w07')!.sign).toBe('away');
  });

  it('S09 adjusted-working-saturday', () => {
    const sat = '2026-02-28';
    expect(new Hall(at(sat, '00:00:00')).calendar.dayKind(sat)).toBe('adjustedWorkday');
    const h = new Hall(at(sat, '08:00:00'));
    h.seatsEmpty(at(sat, '08:00:00'));
    h.tick(at(sat, '09:00:00'));
    expect(h.opened('not_ready', 'w07')).toEqual([
      expect.objectContaining({ openedAt: at(sat, '08:45:00') }),
    ]);
    expect(h.opened('late_opening', 'w07')).toEqual([
      expect.objectContaining({ openedAt: at(sat, '09:00:00') }),
    ]);

    // An ordinary Saturday: only w03 has a session; w07 gets nothing all day.
    const ord = '2026-03-07';
    const o = new Hall(at(ord, '07:00:00'));
    o.seatsEmpty(at(ord, '07:00:00'));
    o.tick(at(ord, '23:59:59'));
    expect(o.opened(undefined, 'w07')).toEqual([]);
    expect(o.intervals('w07')).toEqual([]);
    expect(o.opened('late_opening', 'w03')).toEqual([
      expect.objectContaining({ openedAt: at(ord, '09:00:00') }),
    ]);
    expect(o.seconds('w03')).toBe(3 * 3600);

    // Sunday 2026-01-04 is a working day too.
    const sun = '2026-01-04';
    const s = new Hall(at(sun, '08:00:00'));
    s.seatsEmpty(at(sun, '08:00:00'));
    s.tick(at(sun, '09:00:00'));
    expect(s.opened('late_opening', 'w07')).toEqual([
      expect.objectContaining({ openedAt: at(sun, '09:00:00') }),
    ]);
  });

  it('S10 holiday', () => {
    const h = new Hall(at('2026-09-30', '18:00:00'));
    h.seatsEmpty(at('2026-09-30', '18:00:00'));
    h.tick(at('2026-10-05', '09:59:59'));
    h.send(ev.equipment('w07', 'printer', 'fault', at('2026-10-05', '10:00:00'), 'PAPER_OUT'));
    h.tick(at('2026-10-07', '23:59:59'));
    expect(h.opened()).toEqual([]);
    expect(h.intervals()).toEqual([]); // w03's Saturday session on 10-03 does not run either
    h.tick(at('2026-10-08', '09:00:00'));
    expect(h.opened('not_ready', 'w07')).toEqual([
      expect.objectContaining({ openedAt: at('2026-10-08', '08:45:00') }),
    ]);
    expect(h.opened('not_ready', 'w07')[0]!.message).toContain('7号窗口打印机故障');
    const [fault] = h.opened('equipment_fault', 'w07');
    expect(fault).toMatchObject({ openedAt: at('2026-10-08', '09:00:00'), equipment: 'printer' });
    expect(fault!.message).toContain('故障警示牌');

    // Sat 10-10 is a working day (调休上班).
    h.tick(at('2026-10-10', '09:00:00'));
    expect(h.opened('late_opening', 'w07').map((a) => a.openedAt)).toContain(at('2026-10-10', '09:00:00'));
    expect(h.opened('late_opening', 'w07').map((a) => a.openedAt)).toContain(at('2026-10-08', '09:00:00'));
  });
});
