// DOMAIN §5 S15: the process runs in UTC; every calendar answer is still Asia/Shanghai.
import { describe, expect, it } from 'vitest';
import { at, ev, Hall } from './fixtures.ts';

process.env.TZ = 'UTC';

describe('time zone', () => {
  it('S15 timezone', () => {
    expect(new Date(0).getTimezoneOffset()).toBe(0);
    const sun = '2026-01-04';
    const h = new Hall(Date.parse('2026-01-03T16:00:00Z'));
    // At 2026-01-03T16:30:00Z it is already 01-04 in Shanghai, a working day (调休上班).
    expect(h.calendar.localDate(Date.parse('2026-01-03T16:30:00Z'))).toBe(sun);
    expect(h.calendar.dayKind(sun)).toBe('adjustedWorkday');
    h.seatsEmpty(Date.parse('2026-01-03T16:30:00Z'));
    h.tick(Date.parse('2026-01-04T01:00:00Z'));
    expect(h.opened('not_ready', 'w07')).toEqual([
      expect.objectContaining({ openedAt: Date.parse('2026-01-04T00:45:00Z') }),
    ]);
    const [late] = h.opened('late_opening', 'w07');
    expect(late!.openedAt).toBe(Date.parse('2026-01-04T01:00:00Z'));
    expect(late!.message).toContain('09:00');
    expect(late!.message).not.toContain('01:00');

    // Daily statistics for 2026-03-09 span 2026-03-08T16:00:00Z – 2026-03-09T16:00:00Z.
    const mon = '2026-03-09';
    expect(h.calendar.startOfDay(mon)).toBe(Date.parse('2026-03-08T16:00:00Z'));
    const d = new Hall(at(mon, '00:00:00'));
    d.seatsEmpty(at(mon, '00:00:00'));
    d.send(ev.seat('w07', true, at(mon, '08:30:00')));
    d.tick(Date.parse('2026-03-09T16:00:00Z'));
    const iv = d.intervals('w07');
    expect(iv.every((i) => i.localDate === mon)).toBe(true);
    expect(
      iv.every(
        (i) => i.start >= Date.parse('2026-03-08T16:00:00Z') && i.end <= Date.parse('2026-03-09T16:00:00Z'),
      ),
    ).toBe(true);
    expect(d.seconds('w07')).toBe(23_400);
    expect(d.dayFacts('w07', mon).scheduledMs).toBe(23_400_000);

    // Nothing depends on the process zone: the same day under other TZ values gives the same alerts.
    const day = () => {
      const x = new Hall(Date.parse('2026-01-03T16:00:00Z'));
      x.seatsEmpty(Date.parse('2026-01-03T16:30:00Z'));
      x.tick(Date.parse('2026-01-04T10:00:00Z'));
      return JSON.stringify(x.out);
    };
    const utc = day();
    for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      expect(day(), tz).toBe(utc);
    }
    process.env.TZ = 'UTC';
  });
});
