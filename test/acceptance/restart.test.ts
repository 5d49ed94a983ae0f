// DOMAIN §5 acceptance scenarios about time: restart mid-countdown, late-event retraction.
import { describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../core/engine/types.ts';
import { at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);

/** S02 up to `until`: staffed, sign away 10:01:30, seat empty 10:02:00 (deadline 10:12:00). */
function s02(until: number): Hall {
  const h = new Hall(t('08:00:00'));
  h.seatsEmpty(t('08:00:00'));
  h.send(ev.seat('w07', true, t('08:40:00')));
  h.tick(t('10:00:00'));
  h.send(ev.sign('w07', 'away', t('10:01:30')), ev.seat('w07', false, t('10:02:00')));
  h.tick(until);
  return h;
}

/** Snapshots go through JSON, as they do on disk. */
const viaJson = (s: EngineSnapshot): EngineSnapshot => JSON.parse(JSON.stringify(s));

describe('restart and late events', () => {
  it('S16 restart-mid-countdown', () => {
    const before = s02(t('10:05:00'));
    const snap = viaJson(before.engine.snapshot());
    expect(snap.at).toBe(t('10:05:00'));

    // Restore at 10:08 → the countdown keeps its deadline: alert at 10:12:00.
    const r1 = new Hall(t('10:08:00'), { snapshot: snap });
    r1.tick(t('10:08:00'));
    expect(r1.engine.counters().find((c) => c.counter === 'w07')).toMatchObject({
      state: 'away',
      deadline: t('10:12:00'),
    });
    r1.tick(t('10:11:59'));
    expect(r1.opened('unattended', 'w07')).toEqual([]);
    r1.tick(t('10:12:00'));
    const [a] = r1.opened('unattended', 'w07');
    expect(a).toMatchObject({
      openedAt: t('10:12:00'),
      details: { absenceStartedAt: t('10:02:00'), limitSeconds: 600 },
    });

    // Restore at 10:20 with the seat still empty → opened with the original openedAt 10:12:00.
    const r2 = new Hall(t('10:20:00'), { snapshot: snap });
    r2.tick(t('10:20:00'));
    const [b] = r2.opened('unattended', 'w07');
    expect(b).toMatchObject({ openedAt: t('10:12:00') });
    expect(b!.id).toBe(a!.id); // same stable id as an engine that never stopped
    const never = s02(t('10:20:00'));
    expect(never.opened('unattended', 'w07')[0]!.id).toBe(a!.id);
    // The intervals tile the same way: away until 10:12:00, then unattended.
    expect(r2.intervals('w07')).toEqual([
      expect.objectContaining({ state: 'away', start: t('10:02:00'), end: t('10:12:00') }),
    ]);

    // An alert already open is not reopened after a restore.
    const open = viaJson(never.engine.snapshot());
    const r3 = new Hall(t('10:25:00'), { snapshot: open });
    r3.tick(t('10:25:00'));
    expect(r3.opened()).toEqual([]);
    expect(r3.engine.openAlerts().map((x) => x.id)).toContain(a!.id);
    r3.send(ev.seat('w07', true, t('10:26:00')));
    expect(r3.resolved('unattended', 'w07')).toEqual([
      expect.objectContaining({ id: a!.id, reason: 'staff_returned', resolvedAt: t('10:26:00') }),
    ]);
  });

  it('S17 late-event-retraction', () => {
    const h = s02(t('10:12:00'));
    const [a1] = h.opened('unattended', 'w07');
    expect(a1!.openedAt).toBe(t('10:12:00'));
    h.tick(t('10:12:03'));
    // The seat event observed at 10:11:55 arrives at 10:12:03.
    h.send({ ...ev.seat('w07', true, t('10:11:55')), receivedAt: t('10:12:03') });
    const [r] = h.resolved('unattended', 'w07');
    expect(r).toMatchObject({ id: a1!.id, reason: 'retracted' });
    expect(h.stateOf('w07')).toBe('staffed');
    h.tick(t('12:00:00'));
    expect(h.dayFacts('w07', MON).interruptions).toBe(0);
  });
});
