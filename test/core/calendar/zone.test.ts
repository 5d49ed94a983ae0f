// Local dates and wall-clock times in any IANA zone, never the process zone (R19, S15).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createZone, weekdayOf, zoneOf } from '../../../core/calendar/zone.ts';

const ZONES = [
  'Asia/Shanghai',
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'America/Santiago',
  'Australia/Lord_Howe',
];
const FROM = Date.parse('2024-01-01T00:00:00Z');
const TO = Date.parse('2028-01-01T00:00:00Z');

const formats = new Map<string, Intl.DateTimeFormat>();
/** The reference answer, straight from Intl for every call (slow, obviously right). */
function intlDate(zone: string, t: number): string {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(zone, f);
  }
  return f.format(t);
}

describe('zone', () => {
  it('Asia/Shanghai is UTC+8 all year: local midnight is 16:00Z the day before', () => {
    const z = createZone('Asia/Shanghai');
    expect(z.startOfDay('2026-03-09')).toBe(Date.parse('2026-03-08T16:00:00Z'));
    expect(z.startOfDay('2026-07-01')).toBe(Date.parse('2026-06-30T16:00:00Z'));
    expect(z.wallTime('2026-03-09', 9 * 60)).toBe(Date.parse('2026-03-09T01:00:00Z'));
    expect(z.wallTime('2026-03-09', 1440)).toBe(Date.parse('2026-03-09T16:00:00Z'));
  });

  it('DST: New York 2026-03-08 is a 23-hour day, 2026-11-01 a 25-hour day', () => {
    const z = createZone('America/New_York');
    expect(z.startOfDay('2026-03-08')).toBe(Date.parse('2026-03-08T05:00:00Z'));
    expect(z.startOfDay('2026-03-09')).toBe(Date.parse('2026-03-09T04:00:00Z'));
    expect(z.startOfDay('2026-11-02') - z.startOfDay('2026-11-01')).toBe(25 * 3_600_000);
    expect(z.wallTime('2026-03-09', 9 * 60)).toBe(Date.parse('2026-03-09T13:00:00Z'));
    // An ambiguous wall time (01:30 happens twice on 11-01) is its first occurrence.
    expect(z.wallTime('2026-11-01', 90)).toBe(Date.parse('2026-11-01T05:30:00Z'));
    // A wall time in the spring-forward gap moves forward by the gap (02:30 → 03:30 EDT).
    expect(z.wallTime('2026-03-08', 150)).toBe(Date.parse('2026-03-08T07:30:00Z'));
  });

  it('localDateTime prints the wall clock to the second (messages, sheets), zoneOf shares one Zone', () => {
    const z = zoneOf('Asia/Shanghai');
    expect(z).toBe(zoneOf('Asia/Shanghai'));
    expect(z.localDateTime(Date.parse('2026-03-09T02:12:59.900Z'))).toBe('2026-03-09 10:12:59');
    expect(z.localDateTime(Date.parse('2026-03-09T15:59:59Z'))).toBe('2026-03-09 23:59:59');
    expect(z.localDateTime(Date.parse('2026-03-09T16:00:00Z'))).toBe('2026-03-10 00:00:00');
    const ny = zoneOf('America/New_York');
    expect(ny.localDateTime(Date.parse('2026-03-08T07:00:00Z'))).toBe('2026-03-08 03:00:00');
    expect(ny.localDateTime(Date.parse('2026-03-08T06:59:59Z'))).toBe('2026-03-08 01:59:59');
  });

  it('weekdayOf is a property of the civil date', () => {
    expect(weekdayOf('2026-03-09')).toBe(1);
    expect(weekdayOf('2026-02-28')).toBe(6);
    expect(weekdayOf('2026-01-04')).toBe(0);
    expect(weekdayOf('1969-12-31')).toBe(3);
  });

  it('rejects what is not a date', () => {
    const z = createZone('Asia/Shanghai');
    expect(() => z.startOfDay('2026-3-9')).toThrow(/not a date/);
    expect(() => z.startOfDay('2026-02-29')).toThrow(/not a date/);
  });

  for (const name of ZONES) {
    it(`${name}: every day 2024–2027 starts at the first instant of its date and ends where the next begins`, () => {
      const z = createZone(name);
      for (let n = FROM / 86_400_000; n < TO / 86_400_000; n++) {
        const d = new Date(n * 86_400_000).toISOString().slice(0, 10);
        const start = z.startOfDay(d);
        expect(intlDate(name, start)).toBe(d);
        expect(intlDate(name, start - 1)).not.toBe(d);
        expect(z.localDate(start)).toBe(d);
        expect(z.localDate(start - 1)).not.toBe(d);
      }
    });

    it(`property (${name}): localDate of any instant agrees with Intl and lies in its day span`, () => {
      const z = createZone(name);
      fc.assert(
        fc.property(
          fc.integer({ min: FROM, max: TO }),
          fc.integer({ min: -3_600_000, max: 3_600_000 }),
          (t, dt) => {
            // Two nearby instants exercise the cached fast path as well as the Intl path.
            for (const u of [t, t + dt]) {
              const d = z.localDate(u);
              expect(d).toBe(intlDate(name, u));
              expect(z.startOfDay(d)).toBeLessThanOrEqual(u);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
