// Properties that hold whatever the devices send: no throw, intervals tile the sessions exactly
// (even with late, out-of-order and duplicate events), at most one open alert per subject.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../../core/protocol/events.ts';
import { config, ev, Rig, single, t } from './helpers.ts';

const cfg = config(
  [
    single({ equipment: [{ id: 'pc', kind: 'pc' }], heartbeat: '30s' }),
    single({
      id: 'w02',
      name: '2号窗口',
      controller: 'ctl-w02',
      seats: ['s1', 's2'],
      roster: { staff: ['E1', 'E2'] },
    }),
  ],
  { sensors: [{ id: 'env1' }], equipment: [{ id: 'queue', kind: 'queue' }] },
  { rules: { awayLimit: '3m', unsignedGrace: '1m', gapGrace: '30s', offGrace: '1m' } },
);

const arbEvent = fc
  .record({
    s: fc.integer({ min: 0, max: 11 * 3600 }),
    lag: fc.constantFrom(0, 0, 0, 5, 90, 700),
    pick: fc.integer({ min: 0, max: 11 }),
    flag: fc.boolean(),
    v: fc.integer({ min: 100, max: 2000 }),
  })
  .map(({ s, lag, pick, flag, v }): [DeviceEvent, number] => {
    const ts = t('07:30:00') + s * 1000;
    const e = [
      ev.seat('w01', flag, ts),
      ev.seat('w02', flag, ts, 's1'),
      ev.seat('w02', !flag, ts, 's2'),
      ev.sign('w01', flag ? 'away' : 'paused', ts),
      ev.sign('w01', 'none', ts),
      ev.sign('w02', flag ? 'away' : 'none', ts),
      ev.status('ctl-w01', flag, ts),
      ev.status('ctl-w02', flag, ts),
      ev.equipment('w01', 'pc', flag ? 'ok' : 'fault', ts),
      ev.equipment(undefined, 'queue', flag ? 'off' : 'ok', ts),
      ev.badge('w01', flag ? 'E1' : 'E2', flag ? 'in' : 'out', ts),
      ev.env('env1', { lux: v / 4, co2: v }, ts),
    ][pick]!;
    return [e, ts + lag * 1000];
  });

describe('engine invariants', () => {
  it('events naming unknown halls, counters, seats, equipment, sensors or devices change nothing and never throw', () => {
    const r = new Rig(cfg, t('10:00:00'));
    const other = (e: DeviceEvent): DeviceEvent => ({ ...e, hall: 'nowhere' });
    const events: DeviceEvent[] = [
      ev.seat('w99', true, t('10:00:00')),
      ev.seat('w01', true, t('10:00:00'), 's9'),
      ev.sign('w99', 'away', t('10:00:00')),
      ev.badge('w99', 'E1', 'in', t('10:00:00')),
      ev.equipment('w01', 'nope', 'fault', t('10:00:00')),
      ev.equipment(undefined, 'nope', 'fault', t('10:00:00')),
      ev.env('env9', { lux: 1 }, t('10:00:00')),
      other(ev.seat('w01', true, t('10:00:00'))),
      other(ev.env('env1', { lux: 1 }, t('10:00:00'))),
      other(ev.status('ctl-w01', false, t('10:00:00'))),
      other(ev.equipment(undefined, 'queue', 'fault', t('10:00:00'))),
    ];
    for (const e of events) expect(() => r.send(e)).not.toThrow();
    r.tick(t('12:00:00'));
    // Only w01's own heartbeat silence (30 s) speaks; nothing came from the unknown ids.
    expect(r.opened().map((a) => `${a.type}:${a.device}`)).toEqual(['device_offline:ctl-w01']);
    expect(r.engine.counters().map((c) => c.state)).toEqual(['closed', 'closed']);
  });

  it('any event order: intervals tile the scheduled seconds, one open alert per subject, views agree', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 60 }), (raw) => {
        const r = new Rig(cfg, t('07:00:00'));
        r.send(ev.seat('w01', false, t('07:00:00')), ev.seat('w02', false, t('07:00:00'), 's1'));
        // Delivered in arrival order (ts + network lag), ticking once a second of arrival time.
        const sorted = [...raw].sort((a, b) => a[1] - b[1]);
        for (const [e, arrival] of sorted) {
          r.tick(arrival - 1);
          r.send({ ...e, receivedAt: arrival });
        }
        r.tick(t('18:00:00'));
        for (const counter of ['w01', 'w02']) {
          const iv = r
            .intervals()
            .filter((i) => i.counter === counter)
            .sort((a, b) => a.start - b.start);
          expect(iv.reduce((s, i) => s + i.end - i.start, 0)).toBe(23_400_000);
          for (let i = 1; i < iv.length; i++) expect(iv[i]!.start).toBeGreaterThanOrEqual(iv[i - 1]!.end);
        }
        const open = new Map<string, string>();
        for (const o of r.out) {
          if (o.kind === 'alert_opened') {
            const key = `${o.alert.type}|${o.alert.counter}|${o.alert.equipment}|${o.alert.sensor}|${o.alert.metric}|${o.alert.device}`;
            expect(open.has(key)).toBe(false);
            open.set(key, o.alert.id);
          }
          if (o.kind === 'alert_resolved') {
            const key = `${o.alert.type}|${o.alert.counter}|${o.alert.equipment}|${o.alert.sensor}|${o.alert.metric}|${o.alert.device}`;
            expect(open.get(key)).toBe(o.alert.id);
            expect(o.alert.resolvedAt).toBeGreaterThanOrEqual(o.alert.openedAt);
            open.delete(key);
          }
        }
        expect(new Set(r.engine.openAlerts().map((a) => a.id))).toEqual(new Set(open.values()));
        // Everything presence-related stood down at the session end.
        expect(
          r.engine
            .openAlerts()
            .filter((a) => ['unattended', 'staffing_gap', 'late_opening', 'not_ready'].includes(a.type)),
        ).toEqual([]);
        expect(r.engine.counters().every((c) => c.state === 'closed')).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
