// R15 alert lifecycle, R19 time (late and out-of-order events), snapshot equivalence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineOutput } from '../../../core/engine/types.ts';
import type { DeviceEvent } from '../../../core/protocol/events.ts';
import { config, ev, Rig, single, staffedRig, t } from './helpers.ts';

const staffed = () => staffedRig();

describe('R15 lifecycle', () => {
  it('a manual resolve is not undone by the engine; the next absence opens a new alert', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')));
    r.tick(t('10:02:00'));
    const [a] = r.opened('unattended');
    const done = r.engine.resolveManually(a!.id, t('10:03:00'));
    expect(done).toMatchObject({ id: a!.id, reason: 'manual', resolvedAt: t('10:03:00') });
    expect(r.engine.resolveManually(a!.id, t('10:03:00'))).toBeNull();
    r.tick(t('10:30:00'));
    expect(r.opened()).toHaveLength(1);
    r.send(ev.seat('w01', true, t('10:31:00')), ev.seat('w01', false, t('10:40:00')));
    r.tick(t('10:42:00'));
    expect(r.opened('unattended')).toHaveLength(2);
    expect(r.opened('unattended')[1]!.id).not.toBe(a!.id);
  });

  it('late_opening is retracted by a late arrival observed at or before T', () => {
    const r = new Rig(config([single()]), t('08:00:00'));
    r.send(ev.seat('w01', false, t('08:00:00')));
    r.tick(t('09:00:02'));
    expect(r.opened('late_opening')).toHaveLength(1);
    r.send(ev.seat('w01', true, t('08:59:58')));
    expect(r.resolved('late_opening')).toEqual([expect.objectContaining({ reason: 'retracted' })]);
  });

  it('a late away sign observed before an unsigned alert retracts it and starts the away deadline', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')));
    r.tick(t('10:02:05'));
    const [unsigned] = r.opened('unattended');
    r.send(ev.sign('w01', 'away', t('10:01:00')));
    expect(r.resolved('unattended')).toEqual([
      expect.objectContaining({ id: unsigned!.id, reason: 'retracted' }),
    ]);
    expect(r.state()).toBe('away');
    expect(r.engine.counters()[0]!.deadline).toBe(t('10:10:00'));
    r.tick(t('10:10:00'));
    expect(r.opened('unattended')[1]).toMatchObject({ openedAt: t('10:10:00'), details: { sign: 'away' } });
    // A sign raised after the alert (by ts) changes nothing (R5).
    const s = staffed();
    s.send(ev.seat('w01', false, t('10:00:00')));
    s.tick(t('10:02:05'));
    s.send(ev.sign('w01', 'away', t('10:02:01')));
    expect(s.resolved()).toEqual([]);
    expect(s.state()).toBe('unattended');
  });

  it('a retracted alert raised again at the same instant gets a new id', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')));
    r.tick(t('10:02:00'));
    r.send(ev.seat('w01', true, t('10:02:00')), ev.seat('w01', false, t('10:02:00')));
    // Same instant again: the absence clock starts at 10:02:00 → next alert at 10:04:00.
    r.tick(t('10:04:00'));
    const ids = r.opened('unattended').map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('R19 time', () => {
  it('late events count from their own ts: a seat emptied at 10:00:00 reported at 10:01:30 still alerts at 10:02:00', () => {
    const r = staffed();
    r.tick(t('10:01:30'));
    r.send({ ...ev.seat('w01', false, t('10:00:00')), receivedAt: t('10:01:30') });
    r.tick(t('10:01:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('10:02:00'));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('10:02:00') })]);
  });

  it('a very late report whose deadline has passed opens the alert at the deadline', () => {
    const r = staffed();
    r.tick(t('10:05:00'));
    r.send(ev.seat('w01', false, t('10:00:00')));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('10:02:00') })]);
  });

  it('first seat data arriving mid-session (old retained ts) starts the absence clock at arrival, not before', () => {
    const r = new Rig(config([single()]), t('10:00:00'));
    r.tick(t('11:00:00'));
    expect(r.state()).toBe('unknown');
    r.send(ev.seat('w01', false, t('17:00:00', '2026-03-06')));
    expect(r.state()).toBe('unattended');
    expect(r.opened()).toEqual([]);
    r.tick(t('11:02:00'));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('11:02:00') })]);
  });

  it('a seat re-reporting the same value does not move the absence start', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')), ev.seat('w01', false, t('10:01:00')));
    r.tick(t('10:02:00'));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('10:02:00') })]);
  });

  it('out-of-order reports older than what the engine holds are ignored', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')), ev.seat('w01', true, t('09:59:00')));
    expect(r.state()).toBe('unattended');
    r.send(ev.sign('w01', 'away', t('10:00:30')), ev.sign('w01', 'none', t('10:00:10')));
    expect(r.engine.counters()[0]!.sign).toBe('away');
  });

  it('timers due before an event fire before it; an event at the deadline instant wins', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')));
    const out = r.engine.handle(ev.seat('w01', true, t('10:02:01')));
    const kinds = out.map((o) => o.kind);
    expect(kinds.indexOf('alert_opened')).toBeLessThan(kinds.indexOf('alert_resolved'));
    const r2 = staffed();
    r2.send(ev.seat('w01', false, t('10:00:00')), ev.seat('w01', true, t('10:02:00')));
    r2.tick(t('10:02:00'));
    expect(r2.opened()).toEqual([]);
  });
});

describe('snapshot and restore', () => {
  const cfg = config([
    single({ equipment: [{ id: 'pc', kind: 'pc' }] }),
    single({
      id: 'w02',
      name: '2号窗口',
      controller: 'ctl-w02',
      seats: ['s1', 's2'],
      roster: { staff: ['E1', 'E2'] },
    }),
  ]);
  const event = fc.record({
    minute: fc.integer({ min: 0, max: 10 * 60 }),
    pick: fc.integer({ min: 0, max: 9 }),
    flag: fc.boolean(),
  });
  const toEvent = (e: { minute: number; pick: number; flag: boolean }): DeviceEvent => {
    const ts = t('08:00:00') + e.minute * 60_000;
    switch (e.pick) {
      case 0:
      case 1:
        return ev.seat('w01', e.flag, ts);
      case 2:
        return ev.seat('w02', e.flag, ts, e.flag ? 's1' : 's2');
      case 3:
        return ev.seat('w02', !e.flag, ts, 's1');
      case 4:
        return ev.sign('w01', e.flag ? 'away' : 'none', ts);
      case 5:
        return ev.sign('w02', e.flag ? 'paused' : 'none', ts);
      case 6:
        return ev.status('ctl-w01', e.flag, ts);
      case 7:
        return ev.equipment('w01', 'pc', e.flag ? 'ok' : 'off', ts);
      case 8:
        return ev.badge('w01', e.flag ? 'E2' : 'E1', 'in', ts);
      default:
        return ev.seat('w02', e.flag, ts, 's2');
    }
  };
  const strip = (o: EngineOutput[]) => JSON.stringify(o);

  it('restoring from JSON at any instant continues exactly like an engine that never stopped', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.integer({ min: 0, max: 600 }), (raw, cutMin) => {
        const events = raw.map(toEvent).sort((a, b) => a.ts - b.ts);
        const cut = t('08:00:00') + cutMin * 60_000;
        const end = t('18:30:00');
        const a = new Rig(cfg, t('07:00:00'));
        a.send(
          ev.seat('w01', false, t('07:00:00')),
          ev.seat('w02', false, t('07:00:00'), 's1'),
          ev.seat('w02', false, t('07:00:00'), 's2'),
        );
        const b = new Rig(cfg, t('07:00:00'));
        b.send(
          ev.seat('w01', false, t('07:00:00')),
          ev.seat('w02', false, t('07:00:00'), 's1'),
          ev.seat('w02', false, t('07:00:00'), 's2'),
        );
        const before = events.filter((e) => e.ts < cut);
        const after = events.filter((e) => e.ts >= cut);
        a.send(...before).tick(cut);
        b.send(...before).tick(cut);
        const c = new Rig(cfg, cut + 5, JSON.parse(JSON.stringify(b.engine.snapshot())));
        const n = a.out.length;
        a.send(...after).tick(end);
        c.send(...after).tick(end);
        expect(strip(c.out)).toBe(strip(a.out.slice(n)));
        expect(c.engine.openAlerts()).toEqual(a.engine.openAlerts());
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a foreign snapshot loudly', () => {
    expect(() => new Rig(cfg, t('08:00:00'), { version: 1, at: 0, state: { nope: true } })).toThrow(
      /unusable engine snapshot/,
    );
  });
});
