// R29 waiting citizens (core/engine/waiting.ts): the largest queue length while an interruption is
// open goes into `details.waiting`; other alerts and empty queues carry nothing.
import { describe, expect, it } from 'vitest';
import { config, ev, Rig, single, staffedRig, t } from './helpers.ts';

const staffed = staffedRig;

describe('R29 details.waiting', () => {
  it('the queue at the opening goes into the alert and its message; the largest value into the resolution', () => {
    const r = staffed();
    r.send(ev.queue('w01', 3, t('10:00:00')), ev.seat('w01', false, t('10:05:00')));
    r.tick(t('10:07:00'));
    const [opened] = r.opened('unattended');
    expect(opened).toMatchObject({
      openedAt: t('10:07:00'),
      details: expect.objectContaining({ waiting: 3 }),
    });
    expect(opened!.message).toContain('现有3位群众等候');
    r.send(ev.queue('w01', 5, t('10:08:00')));
    r.send(ev.queue('w01', 2, t('10:09:00')));
    r.tick(t('10:10:00'));
    r.send(ev.seat('w01', true, t('10:10:00')));
    const [resolved] = r.resolved('unattended');
    expect(resolved!.details.waiting).toBe(5);
    // The opened alert already handed out keeps the value it was opened with.
    expect(opened!.details.waiting).toBe(3);
  });

  it('a queue that starts only after the opening still counts', () => {
    const r = staffed();
    r.send(ev.seat('w01', false, t('10:05:00')));
    r.tick(t('10:07:00'));
    expect(r.opened('unattended')[0]!.details.waiting).toBeUndefined();
    r.send(ev.queue('w01', 4, t('10:08:00')), ev.seat('w01', true, t('10:09:00')));
    expect(r.resolved('unattended')[0]!.details.waiting).toBe(4);
  });

  it('nobody waiting: no details.waiting and no waiting text', () => {
    const r = staffed();
    r.send(ev.queue('w01', 0, t('10:00:00')), ev.seat('w01', false, t('10:05:00')));
    r.tick(t('10:07:00'));
    r.send(ev.seat('w01', true, t('10:08:00')));
    expect(r.opened('unattended')[0]!.details).not.toHaveProperty('waiting');
    expect(r.opened('unattended')[0]!.message).not.toContain('等候');
    expect(r.resolved('unattended')[0]!.details).not.toHaveProperty('waiting');
  });

  it('service_paused carries it; a late opening (not an interruption) does not', () => {
    const r = staffed(config([single({ rules: { pausedLimit: '10m' } })]));
    r.send(ev.queue('w01', 2, t('10:00:00')), ev.sign('w01', 'paused', t('10:00:00')));
    r.tick(t('10:10:00'));
    expect(r.opened('service_paused')[0]!.details.waiting).toBe(2);

    const l = new Rig(config([single()]), t('08:00:00'));
    l.send(ev.seat('w01', false, t('08:30:00')), ev.queue('w01', 6, t('08:50:00')));
    l.tick(t('09:00:00'));
    expect(l.opened('late_opening')[0]!.details).not.toHaveProperty('waiting');
  });

  it('the queue of another counter is not this counter’s', () => {
    const r = staffed(config([single(), single({ id: 'w02', name: '2号窗口', controller: 'ctl-w02' })]));
    r.send(ev.queue('w02', 7, t('10:00:00')), ev.seat('w01', false, t('10:05:00')));
    r.tick(t('10:07:00'));
    expect(r.opened('unattended').find((a) => a.counter === 'w01')!.details).not.toHaveProperty('waiting');
  });
});
