// R4 away allowance, R5 unsigned absence, R6 multi-staffed counters, R7 attribution, R8 paused.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../core/config/index.ts';
import { config, ev, Rig, single, staffedRig, t } from './helpers.ts';

const staffed = staffedRig;

describe('R4/R5 away sign and unsigned absence', () => {
  it('an away sign raised after leaving, before the unsigned alert, switches to the away deadline', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')));
    expect(r.state()).toBe('unattended');
    r.send(ev.sign('w01', 'away', t('10:01:00')));
    expect(r.state()).toBe('away');
    expect(r.engine.counters()[0]!.deadline).toBe(t('10:10:00'));
    r.tick(t('10:09:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('10:10:00'));
    expect(r.opened('unattended')).toEqual([
      expect.objectContaining({
        openedAt: t('10:10:00'),
        details: expect.objectContaining({ sign: 'away' }),
      }),
    ]);
    // The first minute was unattended (no sign yet), then away until the deadline.
    r.tick(t('12:00:00'));
    expect(r.seconds('unattended')).toBe(60 + 110 * 60);
    expect(r.seconds('away')).toBe(540);
  });

  it('an away sign raised after the unsigned alert has no effect until staff return', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')));
    r.tick(t('10:02:00'));
    r.send(ev.sign('w01', 'away', t('10:03:00')));
    expect(r.state()).toBe('unattended');
    expect(r.opened('unattended')).toHaveLength(1);
    expect(r.resolved()).toEqual([]);
  });

  it('the away mode sticks when the sign comes down during the absence', () => {
    const r = staffed();
    r.send(
      ev.sign('w01', 'away', t('09:59:00')),
      ev.seat('w01', false, t('10:00:00')),
      ev.sign('w01', 'none', t('10:03:00')),
    );
    expect(r.state()).toBe('away');
    r.tick(t('10:09:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('10:10:00'));
    expect(r.opened('unattended')).toHaveLength(1);
  });

  it('every limit comes from the configuration (counter rules override hall and top level)', () => {
    const cfg = config([single({ rules: { awayLimit: '30s', unsignedGrace: '5s' } })], {
      rules: { awayLimit: '20m' },
    });
    const r = staffed(cfg);
    r.send(ev.seat('w01', false, t('10:00:00')));
    r.tick(t('10:00:05'));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('10:00:05') })]);
    expect(r.opened('unattended')[0]!.message).toContain('5秒');
  });

  it('pausedMeansAway (seed 004): 暂停服务 is a brief absence with the away allowance', () => {
    const r = staffed(config([single({ rules: { pausedMeansAway: true } })]));
    r.send(ev.sign('w01', 'paused', t('09:59:00')), ev.seat('w01', false, t('10:00:00')));
    expect(r.state()).toBe('away');
    r.tick(t('10:10:00'));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('10:10:00') })]);
  });
});

describe('R6/R23 multi-staffed counters', () => {
  const two = () => config([single({ seats: ['s1', 's2'], roster: { staff: ['E1', 'E2'] } })]);
  const noRoster = () => config([single({ seats: ['s1', 's2'], roster: undefined })]);

  it('R23: two rostered and available → multi-staffed from the session start, even if one was ever seen', () => {
    const r = new Rig(two(), t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00'), 's1'), ev.seat('w01', false, t('08:30:00'), 's2'));
    r.tick(t('10:00:00'));
    r.send(ev.sign('w01', 'away', t('09:59:00')), ev.seat('w01', false, t('10:00:00'), 's1'));
    r.tick(t('10:01:00'));
    expect(r.opened('staffing_gap')).toEqual([expect.objectContaining({ openedAt: t('10:01:00') })]);
    expect(r.opened('unattended')).toEqual([]);
  });

  it('R23: one of two on leave → available 1 → single-staffed rules (R4/R5)', () => {
    const cfg = configSchema.parse({
      ...two(),
      leave: [{ hall: 'cz-main', staff: 'E2', from: '2026-03-09', to: '2026-03-10', approvedBy: '张主任' }],
    });
    const r = new Rig(cfg, t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00'), 's1'), ev.seat('w01', false, t('08:30:00'), 's2'));
    r.tick(t('10:00:00'));
    r.send(ev.seat('w01', false, t('10:00:00'), 's1'));
    r.tick(t('10:02:00'));
    expect(r.opened('staffing_gap')).toEqual([]);
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('10:02:00') })]);
  });

  it('without a roster, version 1 holds: two on post together before the session does not count', () => {
    const r = new Rig(noRoster(), t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00'), 's1'), ev.seat('w01', true, t('08:30:00'), 's2'));
    r.send(ev.seat('w01', false, t('08:50:00'), 's2'));
    r.tick(t('10:00:00'));
    r.send(ev.seat('w01', false, t('10:00:00'), 's1'));
    r.tick(t('10:01:00'));
    expect(r.opened('staffing_gap')).toEqual([]);
    r.tick(t('10:02:00'));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('10:02:00') })]);
  });

  it('multi-staffed: all seats empty for gapGrace → staffing_gap, also with the away sign; R7 names the last person present', () => {
    const r = new Rig(two(), t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00'), 's1'), ev.seat('w01', true, t('08:30:00'), 's2'));
    r.tick(t('10:00:00'));
    r.send(ev.badge('w01', 'E2', 'in', t('10:00:00')));
    r.send(
      ev.sign('w01', 'away', t('10:00:00')),
      ev.seat('w01', false, t('10:00:00'), 's1'),
      ev.seat('w01', false, t('10:00:10'), 's2'),
    );
    expect(r.state()).toBe('unattended');
    r.tick(t('10:01:10'));
    const [gap] = r.opened('staffing_gap');
    expect(gap).toMatchObject({
      openedAt: t('10:01:10'),
      responsible: { staff: 'E2', role: 'staff' },
      details: { responsible: { staff: 'E2', basis: 'badge' } },
      notify: ['E1', 'E2'],
    });
    expect(r.opened('unattended')).toEqual([]);
  });

  it('without a roster, multi-staffed is per session: after lunch one staff alone falls back to R4/R5', () => {
    const r = new Rig(noRoster(), t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00'), 's1'), ev.seat('w01', true, t('08:30:00'), 's2'));
    r.send(ev.seat('w01', false, t('11:30:00'), 's2'));
    r.tick(t('14:00:00'));
    r.send(ev.seat('w01', false, t('14:00:00'), 's1'));
    r.tick(t('14:02:00'));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('14:02:00') })]);
  });
});

describe('R8 paused', () => {
  it('the 暂停服务 board cancels a countdown and resolves an open unattended alert; lowering it restarts the clock', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:00:00')));
    r.tick(t('10:02:00'));
    expect(r.opened('unattended')).toHaveLength(1);
    r.send(ev.sign('w01', 'paused', t('10:05:00')));
    expect(r.state()).toBe('paused');
    expect(r.resolved('unattended')).toEqual([
      expect.objectContaining({ reason: 'paused', resolvedAt: t('10:05:00') }),
    ]);
    r.tick(t('11:00:00'));
    // R21: paused beyond pausedLimit (30 min from 10:05) opens service_paused at 10:35.
    expect(r.opened().map((a) => [a.type, a.openedAt])).toEqual([
      ['unattended', t('10:02:00')],
      ['service_paused', t('10:35:00')],
    ]);
    r.send(ev.sign('w01', 'none', t('11:00:00')));
    expect(r.resolved('service_paused')).toEqual([
      expect.objectContaining({ reason: 'sign_cleared', resolvedAt: t('11:00:00') }),
    ]);
    expect(r.state()).toBe('unattended');
    r.tick(t('11:01:59'));
    expect(r.opened()).toHaveLength(2);
    r.tick(t('11:02:00'));
    expect(r.opened('unattended')[1]).toMatchObject({
      openedAt: t('11:02:00'),
      details: { absenceStartedAt: t('11:00:00') },
    });
    expect(r.seconds('paused')).toBe(55 * 60);
  });

  it('paused while someone sits there is paused, not staffed (precedence)', () => {
    const r = staffed();
    r.send(ev.sign('w01', 'paused', t('10:00:00')));
    expect(r.state()).toBe('paused');
    r.tick(t('10:30:00'));
    r.send(ev.sign('w01', 'none', t('10:30:00')));
    r.tick(t('12:00:00'));
    expect(r.seconds('paused')).toBe(1800);
  });
});

describe('R7/R20 attribution with leave', () => {
  it('A on approved leave without a named cover: B is expected, attributed and named as 顶岗 (R24); notify lists A and B', () => {
    const c = config([single()], { overrides: [{ date: '2026-03-09', leave: { staff: 'E1' } }] });
    const r = new Rig(c, t('08:00:00'));
    r.send(ev.seat('w01', false, t('08:00:00')));
    r.tick(t('09:00:00'));
    const [late] = r.opened('late_opening');
    expect(late!.responsible).toEqual({ staff: 'E2', role: 'b' });
    expect(late!.message).toContain('B角李二(E2)');
    expect(late!.message).toContain('顶岗人员B角李二(E2)（A角张一(E1)请假）');
    expect(late!.details).toMatchObject({ coverFor: 'E1' });
    r.send(ev.seat('w01', true, t('09:10:00')));
    r.tick(t('10:00:00'));
    expect(r.intervals().at(-1)).toMatchObject({ state: 'unattended', staff: 'E2', role: 'b' });
  });

  it('an approved cover who is not on the roster is attributed as staff and notified', () => {
    const c = config([single()], {
      overrides: [{ date: '2026-03-09', leave: { staff: 'E1', cover: 'E9' } }],
    });
    const r = new Rig(c, t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00')));
    r.tick(t('10:00:00'));
    r.send(ev.seat('w01', false, t('10:00:00')));
    r.tick(t('10:02:00'));
    const [a] = r.opened('unattended');
    expect(a!.responsible).toEqual({ staff: 'E9', role: 'staff' });
    expect(a!.notify).toEqual(['E1', 'E2', 'E9']);
  });
});
