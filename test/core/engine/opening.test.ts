// R9 late opening, R10 readiness, R13 session end, R18 early leave.
import { describe, expect, it } from 'vitest';
import { config, ev, Rig, single, t } from './helpers.ts';

const empty = (cfg = config([single()])) => {
  const r = new Rig(cfg, t('08:00:00'));
  r.send(ev.seat('w01', false, t('08:00:00')));
  return r;
};

describe('R9 late opening', () => {
  it('openingGrace: arrival within the grace raises nothing; later, lateSeconds count from T', () => {
    const r = empty(config([single({ rules: { openingGrace: '5m' } })]));
    r.tick(t('09:04:59'));
    r.send(ev.seat('w01', true, t('09:04:59')));
    r.tick(t('09:05:00'));
    expect(r.opened('late_opening')).toEqual([]);
    r.send(ev.seat('w01', false, t('12:30:00')));
    r.tick(t('13:34:59'));
    expect(r.opened('late_opening')).toEqual([]);
    r.tick(t('13:35:00'));
    const [late] = r.opened('late_opening');
    expect(late).toMatchObject({ openedAt: t('13:35:00'), details: { sessionStart: t('13:30:00') } });
    r.send(ev.seat('w01', true, t('13:40:00')));
    expect(r.resolved('late_opening')[0]).toMatchObject({ reason: 'arrived', details: { lateSeconds: 600 } });
  });

  // R22 (rules v2) replaces R9's "no unattended runs for an absence that began before T".
  it('an absence that began before T: late_opening at T, unattended (not_opened) at T+noShowLimit, both resolve at session end', () => {
    const r = empty(config([single({ rules: { noShowLimit: '7m' } })]));
    r.tick(t('12:00:00'));
    expect(r.opened().map((a) => [a.type, a.openedAt])).toEqual([
      ['not_ready', t('08:45:00')],
      ['late_opening', t('09:00:00')],
      ['unattended', t('09:07:00')],
    ]);
    expect(r.opened('unattended')[0]).toMatchObject({
      details: { reason: 'not_opened', absenceStartedAt: t('09:00:00'), limitSeconds: 420, sign: 'ignored' },
    });
    expect(r.resolved().map((a) => [a.type, a.reason, a.resolvedAt])).toEqual([
      ['not_ready', 'superseded', t('09:00:00')],
      ['unattended', 'session_end', t('12:00:00')],
      ['late_opening', 'session_end', t('12:00:00')],
    ]);
    expect(r.seconds('unattended')).toBe(3 * 3600);
  });

  it('the away sign gives no allowance at T; a no-show limit at or after the session end never fires', () => {
    const r = empty(config([single({ rules: { noShowLimit: '3h' } })]));
    r.send(ev.sign('w01', 'away', t('08:59:00')));
    r.tick(t('12:00:00'));
    expect(r.opened('unattended')).toEqual([]);
    r.tick(t('13:30:00'));
    expect(r.opened('late_opening').map((a) => a.openedAt)).toEqual([t('09:00:00'), t('13:30:00')]);
    const v = empty();
    v.send(ev.sign('w01', 'away', t('08:59:00')));
    v.tick(t('09:10:00'));
    expect(v.opened('unattended')).toEqual([
      expect.objectContaining({
        openedAt: t('09:10:00'),
        details: expect.objectContaining({ reason: 'not_opened' }),
      }),
    ]);
  });

  it('nothing fires on unknown data; paused at T raises no late opening, only service_paused (R21)', () => {
    const r = new Rig(config([single()]), t('08:00:00')); // no seat data at all: unknown
    r.tick(t('09:30:00'));
    expect(r.state()).toBe('unknown');
    expect(r.opened()).toEqual([]);
    const p = empty();
    p.send(ev.sign('w01', 'paused', t('08:00:00')));
    p.tick(t('12:00:00'));
    expect(p.opened().map((a) => [a.type, a.openedAt])).toEqual([['service_paused', t('09:30:00')]]);
  });
});

describe('R10 readiness', () => {
  it('opens when the condition appears inside the window and resolves ready; only before the first session', () => {
    const r = new Rig(config([single({ equipment: [{ id: 'pc', kind: 'pc' }] })]), t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:40:00')), ev.equipment('w01', 'pc', 'ok', t('08:40:00')));
    r.tick(t('08:50:00'));
    expect(r.opened()).toEqual([]);
    r.send(ev.equipment('w01', 'pc', 'fault', t('08:50:00'), 'BSOD'));
    expect(r.opened('not_ready')).toEqual([expect.objectContaining({ openedAt: t('08:50:00') })]);
    expect(r.opened('not_ready')[0]!.message).toContain('故障');
    r.send(ev.equipment('w01', 'pc', 'ok', t('08:55:00')));
    expect(r.resolved('not_ready')).toEqual([
      expect.objectContaining({ reason: 'ready', resolvedAt: t('08:55:00') }),
    ]);
    // No readiness window before the afternoon session.
    r.send(ev.seat('w01', false, t('12:30:00')));
    r.tick(t('13:29:59'));
    expect(r.opened('not_ready')).toHaveLength(1);
  });

  it('the 暂停服务 board stands readiness down (reason paused)', () => {
    const r = empty();
    r.tick(t('08:45:00'));
    expect(r.opened('not_ready')).toHaveLength(1);
    r.send(ev.sign('w01', 'paused', t('08:50:00')));
    expect(r.resolved('not_ready')).toEqual([expect.objectContaining({ reason: 'paused' })]);
  });

  it('an engine started inside the window opens not_ready on the first data', () => {
    const r = new Rig(config([single()]), t('08:50:00'));
    r.send(ev.seat('w01', false, t('07:00:00')));
    expect(r.opened('not_ready')).toEqual([expect.objectContaining({ openedAt: t('08:50:00') })]);
  });
});

describe('R13 session end and R18 early leave', () => {
  const staffed = () => {
    const r = new Rig(config([single()]), t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00')));
    r.tick(t('11:00:00'));
    return r;
  };

  it('a deadline exactly at the session end never fires (away at 11:50:00 → 12:00:00)', () => {
    const r = staffed();
    r.send(ev.sign('w01', 'away', t('11:50:00')), ev.seat('w01', false, t('11:50:00')));
    r.tick(t('12:00:00'));
    expect(r.opened()).toEqual([]);
    expect(r.intervals().at(-1)).toMatchObject({
      state: 'away',
      start: t('11:50:00'),
      end: t('12:00:00'),
      earlyLeave: true,
    });
  });

  it('an unsigned absence running into the session end is not early leave (R18 needs the away sign)', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('11:59:00')));
    r.tick(t('12:00:00'));
    expect(r.opened()).toEqual([]);
    expect(r.intervals().at(-1)).toMatchObject({
      state: 'unattended',
      start: t('11:59:00'),
      end: t('12:00:00'),
    });
    expect(r.intervals().at(-1)!.earlyLeave).toBeUndefined();
  });

  it('an away absence begun before end − awayLimit is not early leave', () => {
    const r = staffed();
    r.send(ev.sign('w01', 'away', t('11:49:59')), ev.seat('w01', false, t('11:49:59')));
    r.tick(t('12:00:00'));
    expect(r.opened('unattended')).toEqual([expect.objectContaining({ openedAt: t('11:59:59') })]);
    expect(r.resolved('unattended')).toEqual([expect.objectContaining({ reason: 'session_end' })]);
    expect(r.intervals().some((i) => i.earlyLeave)).toBe(false);
  });

  it('a day of intervals tiles the scheduled seconds and carries session start and local date', () => {
    const r = staffed();
    r.tick(t('18:00:00'));
    const iv = r.intervals();
    expect(iv.reduce((s, i) => s + i.end - i.start, 0)).toBe(23_400_000);
    expect(iv.map((i) => i.sessionStart)).toEqual([t('09:00:00'), t('13:30:00')]);
    expect(iv.every((i) => i.localDate === '2026-03-09' && i.staff === 'E1' && i.role === 'a')).toBe(true);
  });
});
