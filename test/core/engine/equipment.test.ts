// R11 equipment faults and R12 device_offline.
import { describe, expect, it } from 'vitest';
import { config, ev, Rig, single, staffedRig, t } from './helpers.ts';

const cfg = (over = {}, hall = {}) =>
  config(
    [
      single({
        equipment: [
          { id: 'pc', kind: 'pc' },
          { id: 'printer', kind: 'printer', name: '打印机' },
        ],
        ...over,
      }),
    ],
    hall,
  );

const open = (c = cfg()) => staffedRig(c);

describe('R11 equipment', () => {
  it('off opens after offGrace in session; fault after faultGrace (0 s)', () => {
    const r = open();
    r.send(
      ev.equipment('w01', 'pc', 'off', t('10:00:00')),
      ev.equipment('w01', 'printer', 'fault', t('10:01:00'), 'JAM'),
    );
    expect(r.opened('equipment_fault')).toEqual([
      expect.objectContaining({ equipment: 'printer', openedAt: t('10:01:00') }),
    ]);
    r.tick(t('10:04:59'));
    expect(r.opened('equipment_fault')).toHaveLength(1);
    r.tick(t('10:05:00'));
    expect(r.opened('equipment_fault')[1]).toMatchObject({
      equipment: 'pc',
      openedAt: t('10:05:00'),
      details: { status: 'off' },
    });
    expect(r.opened('equipment_fault')[1]!.message).toContain('故障警示牌');
  });

  it('off shortly before lunch opens at the afternoon start, not during lunch', () => {
    const r = open();
    r.send(ev.equipment('w01', 'pc', 'off', t('11:58:00')));
    r.tick(t('13:29:59'));
    expect(r.opened()).toEqual([]);
    r.tick(t('13:30:00'));
    expect(r.opened('equipment_fault')).toEqual([expect.objectContaining({ openedAt: t('13:30:00') })]);
  });

  it('counter equipment of a paused counter waits until the board comes down', () => {
    const r = open();
    r.send(ev.sign('w01', 'paused', t('10:00:00')), ev.equipment('w01', 'pc', 'fault', t('10:10:00')));
    r.tick(t('10:30:00'));
    expect(r.opened('equipment_fault')).toEqual([]);
    r.send(ev.sign('w01', 'none', t('10:30:00')));
    expect(r.opened('equipment_fault')).toEqual([expect.objectContaining({ openedAt: t('10:30:00') })]);
  });

  it('only ok resolves it; a late ok observed before openedAt retracts it', () => {
    const r = open();
    r.send(ev.equipment('w01', 'pc', 'off', t('10:00:00')));
    r.tick(t('10:05:00'));
    r.send(ev.equipment('w01', 'pc', 'fault', t('10:06:00')));
    expect(r.resolved()).toEqual([]);
    r.tick(t('10:10:00'));
    r.send(ev.equipment('w01', 'pc', 'ok', t('10:04:00'))); // stale: older than the fault report
    expect(r.resolved()).toEqual([]);
    const l = open();
    l.send(ev.equipment('w01', 'pc', 'off', t('10:00:00')));
    l.tick(t('10:05:10'));
    l.send(ev.equipment('w01', 'pc', 'ok', t('10:04:30')));
    expect(l.resolved('equipment_fault')).toEqual([expect.objectContaining({ reason: 'retracted' })]);
  });

  it('equipment views carry status, code and since; heartbeat silence reads unknown', () => {
    const r = new Rig(
      config([single({ equipment: [{ id: 'pc', kind: 'pc', heartbeat: '30s' }] })]),
      t('08:00:00'),
    );
    const view = () => r.engine.equipment().find((e) => e.equipment === 'pc');
    expect(view()).toMatchObject({ status: 'unknown' });
    r.send(ev.equipment('w01', 'pc', 'fault', t('08:40:00'), 'E42'));
    expect(view()).toMatchObject({ status: 'fault', code: 'E42', since: t('08:40:00'), counter: 'w01' });
    r.tick(t('08:41:30'));
    expect(view()).toMatchObject({ status: 'unknown' });
    r.tick(t('08:45:00'));
    expect(r.opened('device_offline')).toEqual([
      expect.objectContaining({ openedAt: t('08:45:00'), equipment: 'pc', device: 'w01-pc' }),
    ]);
  });
});

describe('R12 device_offline window', () => {
  it('opens only within [first start − readinessLead, last end), else at the next window start', () => {
    const r = open();
    r.tick(t('18:00:00'));
    r.send(ev.status('ctl-w01', false, t('18:00:00')));
    expect(r.opened('device_offline')).toEqual([]);
    r.tick(t('08:44:59', '2026-03-10'));
    expect(r.opened('device_offline')).toEqual([]);
    r.tick(t('08:45:00', '2026-03-10'));
    const [a] = r.opened('device_offline');
    expect(a).toMatchObject({
      openedAt: t('08:45:00', '2026-03-10'),
      details: { offlineSince: t('18:00:00'), cause: 'last_will' },
    });
    expect(r.state()).toBe('closed'); // closed > unknown
    r.tick(t('09:30:00', '2026-03-10'));
    expect(r.state()).toBe('unknown');
    expect(r.opened('late_opening')).toEqual([]);
    expect(r.opened('not_ready')).toEqual([]);
  });

  it('once open it stays open over the night until the device is back', () => {
    const r = open();
    r.tick(t('16:55:00'));
    r.send(ev.status('ctl-w01', false, t('16:55:00')));
    r.tick(t('08:00:00', '2026-03-10'));
    expect(r.engine.openAlerts().map((a) => a.type)).toEqual(['device_offline']);
    r.send(ev.status('ctl-w01', true, t('08:10:00', '2026-03-10')));
    expect(r.resolved('device_offline')).toEqual([expect.objectContaining({ reason: 'back_online' })]);
  });

  it('an open unattended alert stands down (reason unknown) when the data becomes unknown', () => {
    const r = open();
    r.send(ev.seat('w01', false, t('10:00:00')));
    r.tick(t('10:02:00'));
    r.send(ev.status('ctl-w01', false, t('10:03:00')));
    expect(r.resolved('unattended')).toEqual([
      expect.objectContaining({ reason: 'unknown', resolvedAt: t('10:03:00') }),
    ]);
  });

  it('a heartbeat that arrives late but was sent before the silence deadline retracts the offline', () => {
    const r = new Rig(config([single({ heartbeat: '30s' })]), t('09:00:00'));
    r.send(ev.seat('w01', true, t('09:00:00')));
    r.tick(t('09:01:31'));
    expect(r.opened('device_offline')).toEqual([expect.objectContaining({ openedAt: t('09:01:30') })]);
    r.send({ ...ev.status('ctl-w01', true, t('09:01:20')), receivedAt: t('09:01:31') });
    expect(r.resolved('device_offline')).toEqual([expect.objectContaining({ reason: 'retracted' })]);
    expect(r.state()).toBe('staffed');
  });

  it('after a restore, heartbeat silence counts from the restore, not from the downtime', () => {
    const c = config([single({ heartbeat: '30s' })]);
    const r = new Rig(c, t('09:00:00'));
    r.send(ev.seat('w01', true, t('09:00:00')));
    r.tick(t('09:01:00'));
    const snap = JSON.parse(JSON.stringify(r.engine.snapshot()));
    const back = new Rig(c, t('09:20:00'), snap);
    back.tick(t('09:20:00'));
    expect(back.opened()).toEqual([]);
    expect(back.state()).toBe('staffed');
    back.tick(t('09:21:30'));
    expect(back.opened('device_offline')).toEqual([expect.objectContaining({ openedAt: t('09:21:30') })]);
  });

  it('hall devices and sensors with a heartbeat raise device_offline in hall hours', () => {
    const c = config([single()], {
      devices: [{ id: 'hall-ctl', heartbeat: '10s' }],
      sensors: [{ id: 'env1', heartbeat: '60s' }],
    });
    const r = new Rig(c, t('10:00:00'));
    r.send(ev.env('env1', { lux: 500 }, t('10:00:00')));
    r.tick(t('10:02:59'));
    expect(r.opened('device_offline').map((a) => a.device)).toEqual(['hall-ctl']);
    r.tick(t('10:03:00'));
    expect(r.opened('device_offline')[1]).toMatchObject({
      device: 'env1',
      sensor: 'env1',
      openedAt: t('10:03:00'),
    });
  });
});
