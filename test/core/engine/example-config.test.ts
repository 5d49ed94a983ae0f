// The shipped example hall runs through a whole working day: every counter's intervals tile its
// sessions and the only alerts are the ones its empty counters deserve.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config.ts';
import { createCalendar } from '../../../core/calendar/index.ts';
import { type EngineInput, step } from '../../../core/engine/drive.ts';
import { createEngine } from '../../../core/engine/index.ts';
import type { EngineOutput } from '../../../core/engine/types.ts';
import { ev, t } from './helpers.ts';

describe('example configuration', () => {
  it('a working day of config/hallwatch.example.yaml', () => {
    const config = loadConfig(new URL('../../../config/hallwatch.example.yaml', import.meta.url).pathname);
    const calendar = createCalendar(config);
    const engine = createEngine({ config, calendar, now: t('07:00:00') });
    const hall = config.halls[0]!;
    const out: EngineOutput[] = [];
    const send = (e: EngineInput) =>
      out.push(...step(engine, { kind: 'input', input: { ...e, hall: hall.id } }));
    for (const c of hall.counters) {
      for (const s of c.seats) send(ev.seat(c.id, true, t('08:40:00'), s));
      for (const e of c.equipment) send(ev.equipment(c.id, e.id, 'ok', t('08:40:00')));
    }
    for (const e of hall.equipment) send(ev.equipment(undefined, e.id, 'ok', t('08:40:00')));
    // Every device with a heartbeat keeps talking; w05 leaves at 10:00 and does not come back.
    for (let s = t('08:40:30'); s <= t('17:30:00'); s += 30_000) {
      out.push(...step(engine, { kind: 'tick', at: s - 1 }));
      for (const c of hall.counters) if (c.controller) send(ev.status(c.controller, true, s));
      for (const d of hall.devices) send(ev.status(d.id, true, s));
      for (const e of hall.equipment) if (e.heartbeat) send(ev.equipment(undefined, e.id, 'ok', s));
      for (const sensor of hall.sensors)
        send(ev.env(sensor.id, { lux: 450, co2: 600, temperature: 22, humidity: 45, noise: 50 }, s));
      if (s === t('10:00:00')) for (const seat of ['s1', 's2']) send(ev.seat('w05', false, s, seat));
    }
    out.push(...step(engine, { kind: 'tick', at: t('18:00:00') }));
    const intervals = out.flatMap((o) => (o.kind === 'interval' ? [o.interval] : []));
    for (const c of hall.counters) {
      const sum = intervals.filter((i) => i.counter === c.id).reduce((a, i) => a + i.end - i.start, 0);
      expect(sum, c.id).toBe(23_400_000);
    }
    const opened = out.flatMap((o) => (o.kind === 'alert_opened' ? [o.alert] : []));
    expect(opened.map((a) => `${a.type}:${a.counter}`)).toEqual([
      'staffing_gap:w05',
      'late_opening:w05',
      'unattended:w05',
    ]);
    expect(opened[0]!.openedAt).toBe(t('10:01:00'));
    expect(opened[0]!.message).toContain('市政务服务中心一楼大厅');
    expect(opened[1]!.openedAt).toBe(t('13:30:00'));
    // R22: still nobody at 13:40:00 → the counter was not opened.
    expect(opened[2]).toMatchObject({ openedAt: t('13:40:00'), details: { reason: 'not_opened' } });
  });
});
