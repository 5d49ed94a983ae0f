// R23 staffing by roster (core/engine/staffing.ts): `understaffed` against min(minStaff, available)
// and its endings, and personal late arrivals from badges.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../core/config/index.ts';
import type { LateArrival } from '../../../core/engine/types.ts';
import { config, ev, Rig, single, t } from './helpers.ts';

const w01 = (over: Parameters<typeof single>[0] = {}) =>
  single({ seats: ['s1', 's2'], roster: { staff: ['E1', 'E2'] }, minStaff: 2, ...over });
const onLeave = (staff: string) =>
  configSchema.parse({
    ...config([w01()]),
    leave: [{ hall: 'cz-main', staff, from: '2026-03-09', to: '2026-03-10', approvedBy: '张主任' }],
  });

/** Both seats occupied from 08:30, the clock at `now`. */
function bothOnPost(now: string, cfg = config([w01()])): Rig {
  const r = new Rig(cfg, t('08:00:00'));
  r.send(ev.seat('w01', true, t('08:30:00'), 's1'), ev.seat('w01', true, t('08:30:00'), 's2'));
  r.tick(t(now));
  return r;
}
const lateArrivals = (r: Rig): LateArrival[] =>
  r.out.flatMap((o) => (o.kind === 'late_arrival' ? [o.arrival] : []));

describe('R23 understaffed', () => {
  it('one of two required on post for gapGrace → understaffed at since + gapGrace, to the second', () => {
    const r = bothOnPost('10:00:00');
    r.send(ev.seat('w01', false, t('10:00:00'), 's2'));
    r.tick(t('10:00:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('10:01:00'));
    expect(r.opened('understaffed')).toEqual([
      expect.objectContaining({
        openedAt: t('10:01:00'),
        severity: 'warning',
        details: expect.objectContaining({ since: t('10:00:00'), staffOnPost: 1, required: 2, available: 2 }),
      }),
    ]);
    // Not an interruption: the counter stays staffed.
    expect(r.state()).toBe('staffed');
    expect(r.opened('unattended')).toEqual([]);
  });

  it('back within gapGrace → nothing; back after → resolved staff_returned at the seat event', () => {
    const r = bothOnPost('10:00:00');
    r.send(ev.seat('w01', false, t('10:00:00'), 's2'));
    r.tick(t('10:00:30'));
    r.send(ev.seat('w01', true, t('10:00:30'), 's2'));
    r.tick(t('10:05:00'));
    expect(r.opened()).toEqual([]);
    r.send(ev.seat('w01', false, t('10:05:00'), 's2'));
    r.tick(t('10:07:30'));
    r.send(ev.seat('w01', true, t('10:07:30'), 's2'));
    expect(r.resolved('understaffed')).toEqual([
      expect.objectContaining({
        openedAt: t('10:06:00'),
        resolvedAt: t('10:07:30'),
        reason: 'staff_returned',
      }),
    ]);
  });

  it('the last one leaving ends it as superseded (the absence rules take over)', () => {
    const r = bothOnPost('10:00:00');
    r.send(ev.seat('w01', false, t('10:00:00'), 's2'));
    r.tick(t('10:02:00'));
    r.send(ev.seat('w01', false, t('10:02:00'), 's1'));
    expect(r.resolved('understaffed')).toEqual([
      expect.objectContaining({ resolvedAt: t('10:02:00'), reason: 'superseded' }),
    ]);
  });

  it('the 暂停服务 board ends it as paused; the session end as session_end', () => {
    const p = bothOnPost('10:00:00');
    p.send(ev.seat('w01', false, t('10:00:00'), 's2'));
    p.tick(t('10:03:00'));
    p.send(ev.sign('w01', 'paused', t('10:03:00')));
    expect(p.resolved('understaffed')).toEqual([
      expect.objectContaining({ resolvedAt: t('10:03:00'), reason: 'paused' }),
    ]);
    const e = bothOnPost('11:50:00');
    e.send(ev.seat('w01', false, t('11:50:00'), 's2'));
    e.tick(t('12:00:00'));
    expect(e.resolved('understaffed')).toEqual([
      expect.objectContaining({ openedAt: t('11:51:00'), resolvedAt: t('12:00:00'), reason: 'session_end' }),
    ]);
  });

  it('a deadline at or after the session end is dropped', () => {
    const r = bothOnPost('11:59:00');
    r.send(ev.seat('w01', false, t('11:59:00'), 's2'));
    r.tick(t('12:00:00'));
    expect(r.opened('understaffed')).toEqual([]);
  });

  it('with one of two on leave, min(minStaff, available) = 1: one on post is enough', () => {
    const r = bothOnPost('10:00:00', onLeave('E2'));
    r.send(ev.seat('w01', false, t('10:00:00'), 's2'));
    r.tick(t('11:00:00'));
    expect(r.opened()).toEqual([]);
  });

  it('minStaff 1 (the default) never raises it', () => {
    const r = bothOnPost('10:00:00', config([w01({ minStaff: undefined })]));
    r.send(ev.seat('w01', false, t('10:00:00'), 's2'));
    r.tick(t('11:00:00'));
    expect(r.opened('understaffed')).toEqual([]);
  });
});

describe('R23 personal late arrivals (badges)', () => {
  const badged = (cfg = config([w01({ minStaff: undefined })])) => {
    const r = new Rig(cfg, t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00'), 's1'), ev.badge('w01', 'E1', 'in', t('08:30:00')));
    return r;
  };

  it('a first badge-in after T + openingGrace is late by the seconds since T; before or at it is on time', () => {
    const r = badged(config([w01({ minStaff: undefined, rules: { openingGrace: '5m' } })]));
    r.tick(t('09:05:00'));
    r.send(ev.badge('w01', 'E2', 'in', t('09:05:01')));
    expect(lateArrivals(r)).toEqual([
      {
        hall: 'cz-main',
        counter: 'w01',
        staff: 'E2',
        sessionStart: t('09:00:00'),
        at: t('09:05:01'),
        lateSeconds: 301,
      },
    ]);
    const onTime = badged(config([w01({ minStaff: undefined, rules: { openingGrace: '5m' } })]));
    onTime.tick(t('09:04:00'));
    onTime.send(ev.badge('w01', 'E2', 'in', t('09:05:00')));
    onTime.tick(t('12:00:00'));
    expect(lateArrivals(onTime)).toEqual([]);
  });

  it('once per person and session: a second badge-in is not another late arrival', () => {
    const r = badged();
    r.tick(t('09:20:00'));
    r.send(ev.badge('w01', 'E2', 'in', t('09:20:00')));
    r.tick(t('10:00:00'));
    r.send(ev.badge('w01', 'E2', 'out', t('10:00:00')), ev.badge('w01', 'E2', 'in', t('10:30:00')));
    expect(lateArrivals(r).map((l) => [l.staff, l.at, l.lateSeconds])).toEqual([['E2', t('09:20:00'), 1200]]);
  });

  it('each session is judged on its own: E2, badged in over lunch, is on time; E1, out at 12:00, is late', () => {
    const r = badged();
    r.tick(t('09:20:00'));
    r.send(ev.badge('w01', 'E2', 'in', t('09:20:00')));
    r.tick(t('12:00:00'));
    r.send(ev.badge('w01', 'E1', 'out', t('12:00:00')));
    r.tick(t('14:00:00'));
    r.send(ev.badge('w01', 'E1', 'in', t('14:00:00')));
    expect(lateArrivals(r).map((l) => [l.staff, l.sessionStart, l.lateSeconds])).toEqual([
      ['E2', t('09:00:00'), 1200],
      ['E1', t('13:30:00'), 1800],
    ]);
  });

  it('a person on leave is not awaited; a badge-in after the session end is no late arrival', () => {
    const r = badged(onLeave('E2'));
    r.tick(t('09:20:00'));
    r.send(ev.badge('w01', 'E2', 'in', t('09:20:00')));
    expect(lateArrivals(r)).toEqual([]);
    const after = badged();
    after.tick(t('12:00:00'));
    after.send(ev.badge('w01', 'E2', 'in', t('12:00:00')));
    expect(lateArrivals(after)).toEqual([]);
  });
});

describe('R23 late arrivals across a restart', () => {
  const cfg = (grace = '0s') => config([w01({ minStaff: undefined, rules: { openingGrace: grace } })]);
  const lateOf = (r: Rig) => lateArrivals(r).map((l) => [l.staff, l.at, l.lateSeconds]);

  it('a fresh engine started after T + openingGrace awaits whoever it has not seen badge in', () => {
    const r = new Rig(cfg(), t('09:30:00'));
    // The broker's queue hands over E1's badge-in of 08:50 (observed before the start): on time.
    r.send(ev.seat('w01', true, t('09:30:00'), 's1'), ev.badge('w01', 'E1', 'in', t('08:50:00')));
    r.tick(t('09:40:00'));
    r.send(ev.badge('w01', 'E2', 'in', t('09:40:00')));
    r.tick(t('10:00:00'));
    r.send(ev.badge('w01', 'E1', 'out', t('10:00:00')), ev.badge('w01', 'E1', 'in', t('10:10:00')));
    expect(lateOf(r)).toEqual([['E2', t('09:40:00'), 2400]]);
  });

  it('a fresh engine started before T + openingGrace judges at T + openingGrace as usual', () => {
    const r = new Rig(cfg('5m'), t('09:02:00'));
    r.send(ev.badge('w01', 'E2', 'in', t('09:04:00')));
    r.tick(t('09:06:00'));
    r.send(ev.badge('w01', 'E1', 'in', t('09:06:00')));
    expect(lateOf(r)).toEqual([['E1', t('09:06:00'), 360]]);
  });

  it('an engine restored from a snapshot taken before T counts a badge-in queued while it was down', () => {
    const before = new Rig(cfg(), t('08:00:00'));
    before.send(ev.badge('w01', 'E1', 'in', t('08:50:00')));
    before.tick(t('08:55:00'));
    const r = new Rig(cfg(), t('09:30:00'), before.engine.snapshot());
    r.tick(t('09:30:00'));
    r.send(ev.badge('w01', 'E2', 'in', t('09:10:00')));
    expect(lateOf(r)).toEqual([['E2', t('09:10:00'), 600]]);
  });
});
