// The simulated hall on the example configuration: deterministic, realistic, contract-valid.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { createCalendar } from '../../core/calendar/index.ts';
import { decodeDeviceMessage } from '../../core/protocol/decode.ts';
import { encodeDeviceEvent } from '../../core/protocol/encode.ts';
import { CatchUpClock, type SimEvent, simulateEvents } from '../../simulator/index.ts';

const config = loadConfig('config/hallwatch.example.yaml');
const calendar = createCalendar(config);
const day = (date: string) => ({
  from: calendar.startOfDay(date),
  to: calendar.startOfDay(date) + 86_400_000,
});
const at = (date: string, hhmm: string) =>
  calendar.startOfDay(date) + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000;
const staffEvents = (evs: SimEvent[]) => evs.filter((e) => ['seat', 'sign', 'badge'].includes(e.event.kind));

describe('hall simulator model', () => {
  const monday = simulateEvents(config, { seed: 7, ...day('2026-03-09') });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = simulateEvents(config, { seed: 7, ...day('2026-03-09') });
    expect(again).toEqual(monday);
    const other = simulateEvents(config, { seed: 8, ...day('2026-03-09') });
    expect(staffEvents(other)).not.toEqual(staffEvents(monday));
  });

  it('a working Monday: staff arrive before 09:00 with the odd late opening, take breaks and lunch, leave after 17:00', () => {
    const firstArrival = new Map<string, number>();
    for (const e of monday)
      if (e.event.kind === 'seat' && e.event.occupied && !firstArrival.has(e.event.counter))
        firstArrival.set(e.event.counter, e.event.ts);
    expect(firstArrival.size).toBe(24);
    const early = [...firstArrival.values()].filter((t) => t < at('2026-03-09', '09:00')).length;
    expect(early).toBeGreaterThanOrEqual(20);
    expect(Math.min(...firstArrival.values())).toBeGreaterThanOrEqual(at('2026-03-09', '08:30'));
    const signs = monday
      .filter((e) => e.event.kind === 'sign')
      .map((e) => (e.event.kind === 'sign' ? e.event.sign : ''));
    expect(signs.filter((s) => s === 'away').length).toBeGreaterThan(24);
    // Short absences without the sign happen too (standing to greet, fetching a printout).
    const w07 = monday.filter((e) => e.event.kind === 'seat' && e.event.counter === 'w07');
    expect(w07.length).toBeGreaterThanOrEqual(6);
    // Nobody seated over lunch, everyone gone by 17:30.
    const seatedAt = (t: number) => {
      const state = new Map<string, boolean>();
      for (const e of monday)
        if (e.event.ts <= t && e.event.kind === 'seat')
          state.set(`${e.event.counter}/${e.event.seat}`, e.event.occupied);
      return [...state.values()].filter(Boolean).length;
    };
    expect(seatedAt(at('2026-03-09', '12:45'))).toBe(0);
    expect(seatedAt(at('2026-03-09', '10:30'))).toBeGreaterThan(20);
    expect(seatedAt(at('2026-03-09', '17:30'))).toBe(0);
  });

  it('over a fortnight: paused spells, printer faults, a queue machine fault and a failing lamp', () => {
    const evs: SimEvent[] = [];
    for (let d = 9; d <= 20; d++)
      evs.push(
        ...simulateEvents(config, {
          seed: 7,
          heartbeats: false,
          ...day(`2026-03-${String(d).padStart(2, '0')}`),
        }),
      );
    const count = (f: (e: SimEvent['event']) => boolean) => evs.filter((e) => f(e.event)).length;
    expect(count((e) => e.kind === 'sign' && e.sign === 'paused')).toBeGreaterThan(0);
    expect(
      count((e) => e.kind === 'equipment' && e.counter !== undefined && e.status === 'fault'),
    ).toBeGreaterThan(0);
    expect(
      count((e) => e.kind === 'equipment' && e.counter === undefined && e.status === 'fault'),
    ).toBeGreaterThan(0);
    const dim = evs.filter(
      (e) =>
        e.event.kind === 'env' &&
        (e.event.readings.lux ?? 999) < 300 &&
        calendar.isInSession('cz-main', null, e.event.ts),
    );
    expect(dim.length).toBeGreaterThan(10);
  });

  it('stays quiet on a statutory holiday apart from heartbeats and sensors', () => {
    const holiday = simulateEvents(config, { seed: 7, ...day('2026-10-01') });
    expect(staffEvents(holiday)).toEqual([]);
    expect(holiday.some((e) => e.event.kind === 'device_status')).toBe(true);
  });

  it('every event encodes to a message the contract decoder accepts', () => {
    for (const e of monday) {
      const m = encodeDeviceEvent(e.event);
      const r = decodeDeviceMessage(m.topic, m.payload, e.event.ts);
      expect(r.ok, `${m.topic} ${m.payload}`).toBe(true);
    }
  });

  it('the catch-up clock runs fast from the past but never ahead of the real clock', () => {
    let real = 1_000_000_000;
    const clock = new CatchUpClock(real - 60_000, 60, () => real);
    expect(clock.now()).toBe(real - 60_000);
    real += 500;
    expect(clock.now()).toBe(real - 60_000 + 500 * 60 - 500);
    real += 2_000; // 150 s simulated would pass real now: clamped
    expect(clock.now()).toBe(real);
    real += 1_000;
    expect(clock.now()).toBe(real);
  });
});
