// DOMAIN §2b acceptance scenarios about the 暂停服务 board (R21): the paused limit, overnight.
import { describe, expect, it } from 'vitest';
import { approval, at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);
const TUE = '2026-03-10';

/** w07 staffed from 08:40 on Monday 2026-03-09 (everyone else empty). */
function staffedW07(opts: ConstructorParameters<typeof Hall>[1] = {}): Hall {
  const h = new Hall(t('08:00:00'), opts);
  h.seatsEmpty(t('08:00:00'));
  h.send(ev.seat('w07', true, t('08:40:00')));
  h.tick(t('09:59:59'));
  return h;
}

describe('paused scenarios (R21)', () => {
  it('S21 paused-limit', () => {
    const h = staffedW07();
    h.send(ev.sign('w07', 'paused', t('10:00:00')));
    expect(h.stateOf('w07')).toBe('paused');
    h.tick(t('10:29:59'));
    expect(h.opened('service_paused', 'w07')).toEqual([]);
    h.tick(t('10:30:00'));
    const [p] = h.opened('service_paused', 'w07');
    expect(p).toMatchObject({
      openedAt: t('10:30:00'),
      severity: 'warning',
      details: {
        pausedSince: t('10:00:00'),
        limitSeconds: 1800,
        responsible: { staff: 'E1023', basis: 'roster' },
      },
    });
    expect(p!.message).toContain('暂停服务');
    expect(p!.message).toContain('30分钟');
    h.tick(t('10:40:59'));
    h.send(ev.sign('w07', 'none', t('10:41:00')));
    expect(h.resolved('service_paused', 'w07')).toEqual([
      expect.objectContaining({ id: p!.id, reason: 'sign_cleared', resolvedAt: t('10:41:00') }),
    ]);
    expect(h.stateOf('w07')).toBe('staffed');
    h.tick(t('17:00:00'));
    expect(h.seconds('w07', 'paused')).toBe(2460);
    const f = h.dayFacts('w07', MON);
    expect(f.pausedMs).toBe(2_460_000);
    expect(f.interruptions).toBe(1);
    expect(f.pausedOverLimitMs).toBe(660_000);

    // Variant: an approved closure of w07 10:00–11:00 → no alert, 3,600 s off the schedule, closed.
    const v = staffedW07({
      closures: [
        { hall: 'cz-main', counter: 'w07', from: `${MON}T10:00`, to: `${MON}T11:00`, approvedBy: '张主任' },
      ],
    });
    v.send(ev.sign('w07', 'paused', t('10:00:00')));
    v.tick(t('10:00:00'));
    expect(v.stateOf('w07')).toBe('closed');
    v.tick(t('10:41:00'));
    v.send(ev.sign('w07', 'none', t('10:41:00')));
    v.tick(t('17:00:00'));
    expect(v.opened(undefined, 'w07')).toEqual([]);
    // (The board raised at 10:00:00 itself shows `paused` for 0 s: events before timers.)
    const states = v
      .states('w07')
      .filter(([, since], i, all) => since >= t('09:00:00') && all[i + 1]?.[1] !== since);
    expect(states).toEqual([
      ['staffed', t('09:00:00')],
      ['closed', t('10:00:00')],
      ['staffed', t('11:00:00')],
      ['closed', t('12:00:00')],
      ['staffed', t('13:30:00')],
      ['closed', t('17:00:00')],
    ]);
    const vf = v.dayFacts('w07', MON);
    expect(vf.scheduledMs).toBe((23_400 - 3_600) * 1000);
    expect(vf.staffedMs).toBe(vf.scheduledMs);
    expect(vf.interruptions).toBe(0);
    expect(vf.sessions).toBe(3); // the piece after the closure starts like a session (R24)
    expect(vf.onTimeOpenings).toBe(3);

    // The same closure entered through the API before it starts behaves the same.
    const api = staffedW07();
    api.send(approval.closure('c1', 'w07', t('10:00:00'), t('11:00:00'), t('09:30:00')));
    api.send(ev.sign('w07', 'paused', t('10:00:00')));
    api.tick(t('10:41:00'));
    api.send(ev.sign('w07', 'none', t('10:41:00')));
    api.tick(t('17:00:00'));
    expect(api.opened(undefined, 'w07')).toEqual([]);
    expect(api.dayFacts('w07', MON).scheduledMs).toBe((23_400 - 3_600) * 1000);
  });

  it('S22 paused-overnight', () => {
    const h = new Hall(t('16:00:00'));
    h.seatsEmpty(t('16:00:00'));
    h.tick(t('17:04:59'));
    h.send(ev.sign('w07', 'paused', t('17:05:00')));
    expect(h.stateOf('w07')).toBe('closed');
    const before = h.out.length;
    h.tick(at(TUE, '23:00:00'));
    const tue = h.out.slice(before);
    const opened = tue.flatMap((o) =>
      o.kind === 'alert_opened' && o.alert.counter === 'w07' ? [o.alert] : [],
    );
    // No not_ready, no late_opening: only service_paused, once per session.
    expect(opened.map((a) => [a.type, a.openedAt])).toEqual([
      ['service_paused', at(TUE, '09:30:00')],
      ['service_paused', at(TUE, '14:00:00')],
    ]);
    expect(opened[0]!.details).toMatchObject({ pausedSince: at(TUE, '09:00:00'), limitSeconds: 1800 });
    expect(opened[1]!.details).toMatchObject({ pausedSince: at(TUE, '13:30:00') });
    expect(opened[0]!.id).not.toBe(opened[1]!.id);
    const resolved = tue.flatMap((o) =>
      o.kind === 'alert_resolved' && o.alert.counter === 'w07' ? [o.alert] : [],
    );
    expect(resolved.map((a) => [a.type, a.reason, a.resolvedAt])).toEqual([
      ['service_paused', 'session_end', at(TUE, '12:00:00')],
      ['service_paused', 'session_end', at(TUE, '17:00:00')],
    ]);
    const f = h.dayFacts('w07', TUE);
    expect(f.interruptions).toBe(2);
    expect(f.pausedMs).toBe(23_400_000);
    expect(f.lateOpenings).toBe(0);
    expect(f.pausedOverLimitMs).toBe((9_000 + 10_800) * 1000);
  });
});
