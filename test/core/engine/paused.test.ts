// R21 paused limit (core/engine/paused.ts): when the count starts, when the deadline is dropped,
// and how a `service_paused` alert ends.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../core/config/index.ts';
import { config, ev, Rig, single, staffedRig, t } from './helpers.ts';

/** w01 staffed from 08:30 with the 暂停服务 board up at `up`, the clock at `up`. */
function pausedAt(up: string, cfg = config([single()])): Rig {
  return staffedRig(cfg, t(up)).send(ev.sign('w01', 'paused', t(up)));
}
const pausedAlerts = (r: Rig) => r.opened('service_paused').map((a) => [a.openedAt, a.details.pausedSince]);

describe('R21 service_paused', () => {
  it('opens at pausedSince + pausedLimit to the second, with its details', () => {
    const r = pausedAt('10:05:00', config([single({ rules: { pausedLimit: '10m' } })]));
    expect(r.state()).toBe('paused');
    r.tick(t('10:14:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('10:15:00'));
    const [a] = r.opened('service_paused');
    expect(a).toMatchObject({
      openedAt: t('10:15:00'),
      severity: 'warning',
      details: { pausedSince: t('10:05:00'), limitSeconds: 600, sessionStart: t('09:00:00') },
    });
    expect(a!.message).toContain('暂停服务');
  });

  it('a board taken down before the limit opens nothing; put up again, the count starts afresh', () => {
    const r = pausedAt('10:00:00');
    r.tick(t('10:29:00'));
    r.send(ev.sign('w01', 'none', t('10:29:00')));
    expect(r.state()).toBe('staffed');
    r.tick(t('10:40:00'));
    r.send(ev.sign('w01', 'paused', t('10:40:00')));
    r.tick(t('11:09:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('11:10:00'));
    expect(pausedAlerts(r)).toEqual([[t('11:10:00'), t('10:40:00')]]);
  });

  it('resolves sign_cleared at the instant the board comes down', () => {
    const r = pausedAt('10:00:00');
    r.tick(t('10:41:00'));
    r.send(ev.sign('w01', 'none', t('10:41:00')));
    expect(r.resolved('service_paused')).toEqual([
      expect.objectContaining({ openedAt: t('10:30:00'), resolvedAt: t('10:41:00'), reason: 'sign_cleared' }),
    ]);
  });

  it('a deadline at or after the session end is dropped; the next session counts from its start', () => {
    const r = pausedAt('11:30:00');
    r.tick(t('12:00:00'));
    expect(r.opened()).toEqual([]);
    // The board stayed up over lunch: the afternoon counts from 13:30:00, not from 11:30.
    r.tick(t('13:59:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('14:00:00'));
    expect(pausedAlerts(r)).toEqual([[t('14:00:00'), t('13:30:00')]]);
  });

  it('resolves session_end at 12:00:00 and opens a new one in the afternoon', () => {
    const r = pausedAt('11:00:00');
    r.tick(t('17:00:00'));
    expect(pausedAlerts(r)).toEqual([
      [t('11:30:00'), t('11:00:00')],
      [t('14:00:00'), t('13:30:00')],
    ]);
    expect(r.resolved('service_paused').map((a) => [a.resolvedAt, a.reason])).toEqual([
      [t('12:00:00'), 'session_end'],
      [t('17:00:00'), 'session_end'],
    ]);
  });

  it('the board up before the session counts from the session start (no paused time before it)', () => {
    const r = new Rig(config([single()]), t('08:00:00'));
    r.send(ev.seat('w01', true, t('08:30:00')), ev.sign('w01', 'paused', t('08:40:00')));
    r.tick(t('09:29:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('09:30:00'));
    expect(pausedAlerts(r)).toEqual([[t('09:30:00'), t('09:00:00')]]);
  });

  it('an approved closure has no session: paused inside it never counts; after it, from its end', () => {
    const cfg = configSchema.parse({
      ...config([single()]),
      closures: [
        {
          hall: 'cz-main',
          counter: 'w01',
          from: '2026-03-09T10:00',
          to: '2026-03-09T11:00',
          approvedBy: '张主任',
        },
      ],
    });
    const r = pausedAt('10:10:00', cfg);
    expect(r.state()).toBe('closed');
    r.tick(t('10:59:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('11:29:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('11:30:00'));
    expect(pausedAlerts(r)).toEqual([[t('11:30:00'), t('11:00:00')]]);
  });

  it('pausedMeansAway: the board is an away sign and no service_paused is raised', () => {
    const r = pausedAt('10:00:00', config([single({ rules: { pausedMeansAway: true } })]));
    r.tick(t('12:00:00'));
    expect(r.opened('service_paused')).toEqual([]);
  });
});
