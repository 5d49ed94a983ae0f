// The snapshot in parts (issue 16): a save writes only the parts touched since the last one, and
// the parts stored over many saves reassemble into the whole engine with every deadline intact.
import { describe, expect, it } from 'vitest';
import { assembleSnapshot, type PartData, type PartsMeta } from '../../../core/engine/parts.ts';
import type { EngineParts } from '../../../core/engine/types.ts';
import { config, ev, Rig, single, t } from './helpers.ts';

/** A stand-in for the store's rows: parts applied the way alerts/store writes them (via JSON). */
class PartRows {
  meta: PartsMeta | undefined;
  readonly rows = new Map<string, string>();
  written = 0;
  save(p: EngineParts): string[] {
    this.meta = JSON.parse(JSON.stringify(p.meta));
    for (const { key, data } of p.put) this.rows.set(key, JSON.stringify(data));
    for (const key of p.drop) this.rows.delete(key);
    this.written += p.put.length;
    return p.put.map((x) => x.key);
  }
  restore() {
    const parts = [...this.rows].map(([key, s]) => ({ key, data: JSON.parse(s) as PartData }));
    return assembleSnapshot(this.meta!, parts);
  }
}

const three = () =>
  config([
    single(),
    single({ id: 'w02', controller: 'ctl-w02' }),
    single({ id: 'w03', controller: 'ctl-w03' }),
  ]);

/** w01–w03 staffed from 08:30; w01's staff puts up 临时离开 and leaves at 10:02 (deadline 10:12:00). */
function awayAt1002() {
  const r = new Rig(three(), t('08:00:00'));
  r.send(
    ev.seat('w01', true, t('08:30:00')),
    ev.seat('w02', true, t('08:30:00')),
    ev.seat('w03', true, t('08:30:00')),
  );
  r.tick(t('10:00:00'));
  r.send(ev.sign('w01', 'away', t('10:01:30')), ev.seat('w01', false, t('10:02:00')));
  r.tick(t('10:05:00'));
  return r;
}

describe('engine snapshot in parts', () => {
  it('a change writes its own counter, not the others', () => {
    const r = awayAt1002();
    const rows = new PartRows();
    rows.save(r.engine.parts('all'));
    expect(r.engine.parts('changed').put).toEqual([]);
    r.send(ev.seat('w02', false, t('10:05:10')));
    const keys = rows.save(r.engine.parts('changed'));
    expect(keys).toContain('counters:cz-main/w02');
    expect(keys).not.toContain('counters:cz-main/w01');
    expect(keys).not.toContain('counters:cz-main/w03');
    // An idle tick moves the clock (meta) and writes no part.
    r.tick(t('10:05:11'));
    expect(r.engine.parts('changed').put).toEqual([]);
  });

  it('timer compaction and whole-hall scans do not mark every counter changed', () => {
    const r = awayAt1002();
    r.engine.parts('all');
    // Each empty seat arms a countdown, each return leaves a stale heap entry: the heap compacts.
    for (let i = 0; i < 12_000; i++) r.send(ev.seat('w02', i % 2 === 1, t('10:05:00') + i * 10));
    const keys = r.engine.parts('changed').put.map((p) => p.key);
    expect(keys).toContain('counters:cz-main/w02');
    expect(keys).not.toContain('counters:cz-main/w01');
    expect(keys).not.toContain('counters:cz-main/w03');
  });

  it('S16 over parts: restored after a restart, the countdown keeps its deadline to the second', () => {
    const r = awayAt1002();
    const rows = new PartRows();
    rows.save(r.engine.parts('all'));
    r.send(ev.seat('w03', false, t('10:04:30')));
    r.tick(t('10:06:00'));
    rows.save(r.engine.parts('changed'));

    const back = new Rig(three(), t('10:08:00'), rows.restore());
    back.tick(t('10:08:00'));
    expect(back.engine.counters().find((c) => c.counter === 'w01')).toMatchObject({
      state: 'away',
      deadline: t('10:12:00'),
    });
    const w01 = () => back.opened('unattended').filter((a) => a.counter === 'w01');
    back.tick(t('10:11:59'));
    expect(w01()).toEqual([]);
    back.tick(t('10:12:00'));
    expect(w01().map((a) => a.openedAt)).toEqual([t('10:12:00')]);
    // w03 left at 10:04:30 without a sign (2 min): opened at its own deadline, as if never stopped.
    const never = awayAt1002();
    never.send(ev.seat('w03', false, t('10:04:30')));
    never.tick(t('10:30:00'));
    back.tick(t('10:30:00'));
    expect(back.opened().map((a) => [a.id, a.openedAt])).toEqual(
      never.opened().map((a) => [a.id, a.openedAt]),
    );
  });

  it('parts saved change by change reassemble into the whole snapshot (alerts opened and dropped)', () => {
    const r = awayAt1002();
    const rows = new PartRows();
    rows.save(r.engine.parts('all'));
    const steps: (() => void)[] = [
      () => r.tick(t('10:12:00')), // unattended opens
      () => r.send(ev.seat('w02', false, t('10:12:05'))),
      () => r.send(ev.seat('w01', true, t('10:13:00'))), // resolves: the alert part is dropped
      () => r.tick(t('12:00:00')), // session end for every counter
      () => r.tick(t('13:30:00')),
    ];
    for (const s of steps) {
      s();
      rows.save(r.engine.parts('changed'));
      const whole = JSON.parse(JSON.stringify(r.engine.snapshot()));
      expect(rows.restore()).toEqual(whole);
    }
    expect([...rows.rows.keys()].some((k) => k.startsWith('alerts:'))).toBe(true);
  });
});
