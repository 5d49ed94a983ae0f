// DOMAIN §5 S19 (intervals tile the scheduled seconds, property-based) and S20 (uncovered year).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../core/protocol/events.ts';
import type { CounterState } from '../../core/protocol/payloads.ts';
import { at, commonConfig, ev, Hall } from './fixtures.ts';

type Episode = {
  kind: 'away' | 'unsigned' | 'paused' | 'offline';
  staffedFor: number;
  lasts: number;
  badge: boolean;
};

const AWAY_LIMIT = 600;
type Part = Exclude<CounterState, 'closed'>;

/**
 * The script of a day of w07 and what it means, independently of the engine: episodes of
 * staffed time, each followed by an away / unsigned absence, a pause or a controller outage.
 */
function script(date: string, episodes: Episode[]) {
  const day0 = at(date, '08:00:00') / 1000;
  const day1 = at(date, '18:00:00') / 1000;
  const events: DeviceEvent[] = [];
  const spans: { kind: Episode['kind']; from: number; to: number }[] = [];
  const ms = (s: number) => s * 1000;
  events.push(ev.seat('w07', true, ms(day0)));
  let x = day0;
  for (const e of episodes) {
    x += e.staffedFor;
    if (x >= day1) break;
    if (e.badge) events.push(ev.badge('w07', 'E2051', 'in', ms(x - 1)));
    const to = Math.min(x + e.lasts, day1);
    if (e.kind === 'away') events.push(ev.sign('w07', 'away', ms(x)), ev.seat('w07', false, ms(x)));
    if (e.kind === 'unsigned') events.push(ev.seat('w07', false, ms(x)));
    if (e.kind === 'paused') events.push(ev.sign('w07', 'paused', ms(x)), ev.seat('w07', false, ms(x)));
    if (e.kind === 'offline') events.push(ev.status('ctl-w07', false, ms(x)));
    if (to < day1) {
      if (e.kind === 'offline') events.push(ev.status('ctl-w07', true, ms(to)));
      else events.push(ev.seat('w07', true, ms(to)), ev.sign('w07', 'none', ms(to)));
    }
    spans.push({ kind: e.kind, from: x, to });
    x = to;
  }
  return { events, spans, day1: ms(day1) };
}

/** Expected seconds per state: second by second over the sessions, from the script alone. */
function expected(h: Hall, date: string, spans: ReturnType<typeof script>['spans']): Record<Part, number> {
  const parts: Record<Part, number> = { staffed: 0, away: 0, paused: 0, unattended: 0, unknown: 0 };
  for (const s of h.calendar.sessionsOn('cz-main', 'w07', date)) {
    const T = s.start / 1000;
    const E = s.end / 1000;
    for (let x = T; x < E; x++) {
      const sp = spans.find((p) => p.from <= x && x < p.to);
      if (!sp) parts.staffed++;
      else if (sp.kind === 'offline') parts.unknown++;
      else if (sp.kind === 'paused') parts.paused++;
      else if (sp.from < T)
        parts.unattended++; // began before the session: late, not away (R9)
      else if (sp.kind === 'unsigned') parts.unattended++;
      else if (x < sp.from + AWAY_LIMIT || sp.from + AWAY_LIMIT >= E)
        parts.away++; // R13: a deadline ≥ end never fires
      else parts.unattended++;
    }
  }
  return parts;
}

const episode = fc.record({
  kind: fc.constantFrom('away', 'unsigned', 'paused', 'offline') as fc.Arbitrary<Episode['kind']>,
  staffedFor: fc.integer({ min: 1, max: 5400 }),
  lasts: fc.integer({ min: 1, max: 4000 }),
  badge: fc.boolean(),
});

function runDay(date: string, episodes: Episode[]) {
  const h = new Hall(at(date, '07:00:00'), { config });
  h.seatsEmpty(at(date, '07:00:00'));
  const s = script(date, episodes);
  h.send(...s.events);
  h.tick(s.day1);
  return { h, s };
}

const config = commonConfig();

describe('intervals and calendar coverage', () => {
  it('S19 uptime-tiles', () => {
    fc.assert(
      fc.property(fc.array(episode, { maxLength: 25 }), (episodes) => {
        const { h, s } = runDay('2026-03-09', episodes);
        const iv = h.intervals('w07');
        const total = iv.reduce((a, i) => a + (i.end - i.start), 0);
        expect(total).toBe(23_400_000);
        expect(iv.every((i) => i.localDate === '2026-03-09' && i.end > i.start)).toBe(true);
        // Tiling: sorted intervals never overlap.
        const sorted = [...iv].sort((a, b) => a.start - b.start);
        for (let i = 1; i < sorted.length; i++)
          expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
        const want = expected(h, '2026-03-09', s.spans);
        for (const part of Object.keys(want) as Part[])
          expect(Math.abs(h.seconds('w07', part) - want[part]), part).toBeLessThanOrEqual(1);

        const holiday = runDay('2026-10-01', episodes);
        expect(holiday.h.intervals('w07')).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('S20 uncovered-year', () => {
    const date = '2027-02-10';
    const h = new Hall(at(date, '07:00:00'));
    h.seatsEmpty(at(date, '07:00:00'));
    h.tick(at(date, '09:00:00'));
    // The weekday template applies (Wednesday): w07 opens late at 09:00.
    expect(h.opened('late_opening', 'w07')).toEqual([
      expect.objectContaining({ openedAt: at(date, '09:00:00') }),
    ]);
    // Loud: the engine forwards a warning; the health flag lists the year.
    const warnings = () => h.out.filter((o) => o.kind === 'warning' && o.code === 'calendar_uncovered_year');
    expect(warnings().length).toBeGreaterThanOrEqual(1);
    expect(warnings()[0]).toMatchObject({
      message: expect.stringContaining('no official holiday calendar for 2027'),
    });
    expect(h.calendar.uncoveredYears()).toContain(2027);
    expect(h.calendarWarnings.some((w) => w.year === 2027)).toBe(true);
    // Repeated: said again the next day, and the calendar repeats it too.
    const first = warnings().length;
    const calFirst = h.calendarWarnings.length;
    h.tick(at('2027-02-11', '09:00:00'));
    expect(warnings().length).toBeGreaterThan(first);
    expect(h.calendarWarnings.length).toBeGreaterThan(calFirst);
  });
});
