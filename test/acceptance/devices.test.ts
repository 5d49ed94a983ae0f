// DOMAIN §5 acceptance scenarios about devices: offline sensors vs absent staff, faults while closed.
import { describe, expect, it } from 'vitest';
import { equipmentAvailability } from '../../core/stats/index.ts';
import { at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);

describe('device scenarios', () => {
  it('S08 offline-vs-absent', () => {
    const h = new Hall(t('08:00:00'));
    h.seatsEmpty(t('08:00:00'));
    h.send(ev.seat('w07', true, t('08:40:00')), ev.seat('w08', true, t('08:40:00')));
    h.tick(t('10:04:59'));
    h.send(ev.status('ctl-w07', false, t('10:05:00')));
    expect(h.stateOf('w07')).toBe('unknown');
    const [off] = h.opened('device_offline');
    expect(off).toMatchObject({
      openedAt: t('10:05:00'),
      device: 'ctl-w07',
      counter: 'w07',
      severity: 'warning',
    });
    expect(off!.message).toContain('ctl-w07');
    // Meanwhile w08 (sensor online) empties unsigned → alert at 10:07:00.
    h.send(ev.seat('w08', false, t('10:05:00')));
    h.tick(t('10:07:00'));
    expect(h.opened('unattended', 'w08')).toEqual([expect.objectContaining({ openedAt: t('10:07:00') })]);
    // The seat reads empty while offline (stale data): no unattended up to 10:30.
    h.send(ev.seat('w07', false, t('10:10:00')));
    h.tick(t('10:29:59'));
    expect(h.opened('unattended', 'w07')).toEqual([]);
    expect(h.stateOf('w07')).toBe('unknown');
    h.send(
      ev.status('ctl-w07', true, t('10:30:00')),
      ev.seat('w07', false, t('10:30:00')),
      ev.sign('w07', 'none', t('10:30:00')),
    );
    expect(h.resolved('device_offline')).toEqual([
      expect.objectContaining({ id: off!.id, reason: 'back_online', resolvedAt: t('10:30:00') }),
    ]);
    expect(h.stateOf('w07')).toBe('unattended');
    expect(h.states('w07').at(-1)).toEqual(['unattended', t('10:30:00')]);
    h.tick(t('10:31:59'));
    expect(h.opened('unattended', 'w07')).toEqual([]);
    h.tick(t('10:32:00'));
    expect(h.opened('unattended', 'w07')).toEqual([
      expect.objectContaining({
        openedAt: t('10:32:00'),
        details: expect.objectContaining({ absenceStartedAt: t('10:30:00') }),
      }),
    ]);
    expect(h.seconds('w07', 'unknown')).toBe(25 * 60);

    // Heartbeat variant (30 s): last message 10:05:00 → offline at 10:06:30.
    const v = new Hall(t('08:00:00'), { counters: { w07: { heartbeat: '30s' } } });
    v.seatsEmpty(t('08:00:00'));
    v.send(ev.seat('w07', true, t('08:40:00')));
    for (let s = t('08:40:30'); s <= t('10:05:00'); s += 30_000) v.send(ev.status('ctl-w07', true, s));
    v.tick(t('10:06:29'));
    expect(v.stateOf('w07')).toBe('staffed');
    expect(v.opened('device_offline')).toEqual([]);
    v.tick(t('10:06:30'));
    expect(v.stateOf('w07')).toBe('unknown');
    expect(v.opened('device_offline')).toEqual([
      expect.objectContaining({
        openedAt: t('10:06:30'),
        details: expect.objectContaining({ cause: 'heartbeat_silence' }),
      }),
    ]);
    // Any message is a sign of life again.
    v.send(ev.seat('w07', true, t('10:10:00')));
    expect(v.resolved('device_offline')).toEqual([
      expect.objectContaining({ reason: 'back_online', resolvedAt: t('10:10:00') }),
    ]);
    expect(v.stateOf('w07')).toBe('staffed');
  });

  it('S13 fault-while-closed', () => {
    const h = new Hall(t('08:00:00'));
    h.seatsEmpty(t('08:00:00'));
    h.send(
      ev.seat('w07', true, t('08:40:00')),
      ev.equipment('w07', 'pc', 'ok', t('08:40:00')),
      ev.equipment('w07', 'printer', 'ok', t('08:40:00')),
      ev.equipment(undefined, 'queue', 'ok', t('08:40:00')),
    );
    h.tick(t('12:19:59'));
    h.send(ev.equipment('w07', 'printer', 'fault', t('12:20:00'), 'PAPER_OUT'));
    h.tick(t('13:29:59'));
    expect(h.opened('equipment_fault')).toEqual([]);
    h.tick(t('13:30:00'));
    const [pf] = h.opened('equipment_fault', 'w07');
    expect(pf).toMatchObject({
      openedAt: t('13:30:00'),
      equipment: 'printer',
      details: { status: 'fault', code: 'PAPER_OUT' },
    });
    expect(pf!.message).toContain('故障警示牌');
    expect(pf!.message).toContain('7号窗口打印机');
    h.tick(t('13:40:59'));
    h.send(ev.equipment('w07', 'printer', 'ok', t('13:41:00')));
    const [pr] = h.resolved('equipment_fault', 'w07');
    expect(pr).toMatchObject({ id: pf!.id, reason: 'repaired', resolvedAt: t('13:41:00') });
    expect((pr!.resolvedAt - pr!.openedAt) / 1000).toBe(660);

    // Hall queue machine: fault 16:58 opens at once and stays open over the night until ok at 08:20.
    h.tick(t('16:57:59'));
    h.send(ev.equipment(undefined, 'queue', 'fault', t('16:58:00')));
    const [qf] = h.opened('equipment_fault').filter((a) => a.equipment === 'queue');
    expect(qf).toMatchObject({ openedAt: t('16:58:00') });
    expect(qf!.counter).toBeUndefined();
    const next = '2026-03-10';
    h.tick(at(next, '08:19:59'));
    expect(h.engine.openAlerts().map((a) => a.id)).toContain(qf!.id);
    h.send(ev.equipment(undefined, 'queue', 'ok', at(next, '08:20:00')));
    expect(h.resolved('equipment_fault').find((a) => a.equipment === 'queue')).toMatchObject({
      resolvedAt: at(next, '08:20:00'),
      reason: 'repaired',
    });

    // Availability from the equipment views: service seconds only.
    const changes = (counter: string | undefined, equipment: string) =>
      h.out.flatMap((o) =>
        o.kind === 'equipment' &&
        o.view.equipment === equipment &&
        o.view.counter === counter &&
        o.view.status !== 'unknown'
          ? [{ t: o.view.since, status: o.view.status }]
          : [],
      );
    const windows = (counter: string | null) =>
      h.calendar.sessionsBetween('cz-main', counter, t('00:00:00'), at(next, '12:00:00'));
    const queue = equipmentAvailability(windows(null), changes(undefined, 'queue'), at(next, '12:00:00'));
    expect((queue.dataMs - queue.okMs) / 1000).toBe(120);
    const printer = equipmentAvailability(windows('w07'), changes('w07', 'printer'), t('17:00:00'));
    expect((printer.dataMs - printer.okMs) / 1000).toBe(660);
  });
});
