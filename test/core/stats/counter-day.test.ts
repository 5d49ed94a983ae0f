import { describe, expect, it } from 'vitest';
import { rulesFor } from '../../../core/config/rules.ts';
import { counterDayFacts, groupFacts, uptimeStats, ZERO_FACTS } from '../../../core/stats/index.ts';
import type { StatsAlert, StatsInterval } from '../../../core/stats/types.ts';
import { alert, at, calendar, config, script } from './fixtures.ts';

const HALL = 'cz-main';
function dayStats(counter: string, date: string, intervals: StatsInterval[], alerts: StatsAlert[] = []) {
  const from = calendar.startOfDay(date);
  const to = from + 86_400_000;
  const days = counterDayFacts({
    counter,
    sessions: calendar.sessionsBetween(HALL, counter, from, to),
    intervals,
    alerts,
    rules: rulesFor(config, HALL, counter),
    from,
    to,
    localDateOf: calendar.localDate,
  });
  const [g] = [...groupFacts(days, 'day').values()];
  return uptimeStats(g?.facts ?? ZERO_FACTS);
}

const sum = (s: ReturnType<typeof uptimeStats>) =>
  s.staffedSeconds + s.awaySeconds + s.pausedSeconds + s.unattendedSeconds + s.unknownSeconds;

describe('uptime statistics of a scripted day (Mon 2026-03-09)', () => {
  const D = '2026-03-09';
  // Morning: on time, S01 away within limit, S03 unsigned 90 s, S02 overrun with one interruption,
  // lunch edge S04 (480 s away + early leave). Afternoon: late 260 s (S05), offline 25 min (S08), paused 30 min.
  const intervals = [
    ...script('w07', D, [
      ['09:00:00', 'staffed'],
      ['10:02:00', 'away'],
      ['10:11:59', 'staffed'],
      ['10:20:00', 'unattended'],
      ['10:21:30', 'staffed'],
      ['10:40:00', 'away'],
      ['10:50:00', 'unattended'],
      ['10:53:10', 'staffed'],
      ['11:52:00', 'away', { earlyLeave: true }],
      ['12:00:00', 'end'],
    ]),
    ...script('w07', D, [
      ['13:30:00', 'away'],
      ['13:34:20', 'staffed', { staff: 'E2051', role: 'b' }],
      ['14:05:00', 'unknown'],
      ['14:30:00', 'staffed'],
      ['15:00:00', 'paused'],
      ['15:30:00', 'staffed'],
      ['17:00:00', 'end'],
    ]),
  ];
  const alerts = [
    alert('unattended', 'w07', at(D, '10:50:00')),
    alert('late_opening', 'w07', at(D, '13:30:00'), { resolvedAt: at(D, '13:34:20') }),
    alert('unattended', 'w07', at(D, '16:00:00'), { reason: 'retracted', resolvedAt: at(D, '16:00:03') }),
  ];
  const s = dayStats('w07', D, intervals, alerts);

  it('measures each part to the second and the parts add up to the scheduled 23,400 s exactly', () => {
    expect(s.scheduledSeconds).toBe(23_400);
    expect(sum(s)).toBe(s.scheduledSeconds);
    expect(s.awaySeconds).toBe(599 + 600 + 480 + 260);
    expect(s.unattendedSeconds).toBe(90 + 190);
    expect(s.unknownSeconds).toBe(25 * 60);
    expect(s.pausedSeconds).toBe(30 * 60);
    expect(s.staffedSeconds).toBe(23_400 - 1939 - 280 - 1500 - 1800);
  });

  it('counts absences, over-limit absences, early leave and interruptions (retracted excluded)', () => {
    expect(s.absenceCount).toBe(4); // the late afternoon opening is not an absence
    expect(s.overLimitAbsences).toBe(1); // 10:40–10:53:10
    expect(s.meanAbsenceSeconds).toBeCloseTo((599 + 90 + 790 + 480) / 4, 0);
    expect(s.earlyLeaveSeconds).toBe(480);
    expect(s.interruptionCount).toBe(1);
  });

  it('rates: on post over known time, openings on time, late seconds', () => {
    expect(s.onPostRate).toBeCloseTo(s.staffedSeconds / (23_400 - 1500), 6);
    expect(s.sensorCoverage).toBeCloseTo(1 - 1500 / 23_400, 6);
    expect(s.sessions).toBe(2);
    expect(s.onTimeOpenings).toBe(1);
    expect(s.lateOpenings).toBe(1);
    expect(s.meanLateSeconds).toBe(260);
    expect(s.onTimeOpeningRate).toBe(0.5);
    expect(s.firstSessions).toBe(1);
    expect(s.readinessRate).toBe(1);
  });

  it('morning readiness fails when a not_ready alert was open at T − readinessLead (S06)', () => {
    const r = dayStats('w07', D, intervals, [
      alert('not_ready', 'w07', at(D, '08:45:00'), { resolvedAt: at(D, '08:53:00') }),
    ]);
    expect(r.readySessions).toBe(0);
    expect(r.readinessRate).toBe(0);
  });

  it('a session that starts paused is not on time (R8); one unknown at opening is left out', () => {
    const r = dayStats('w07', D, [
      ...script('w07', D, [
        ['09:00:00', 'paused'],
        ['09:30:00', 'staffed'],
        ['12:00:00', 'end'],
      ]),
      ...script('w07', D, [
        ['13:30:00', 'unknown'],
        ['17:00:00', 'end'],
      ]),
    ]);
    expect(r.sessionsUnknownAtOpening).toBe(1);
    expect(r.onTimeOpenings).toBe(0);
    expect(r.lateOpenings).toBe(0);
    expect(r.onTimeOpeningRate).toBe(0);
  });

  it('time no interval covers is unknown, so the parts still add up', () => {
    const r = dayStats(
      'w07',
      D,
      script('w07', D, [
        ['09:00:00', 'staffed'],
        ['11:00:00', 'end'],
      ]),
    );
    expect(r.staffedSeconds).toBe(7200);
    expect(r.unknownSeconds).toBe(23_400 - 7200);
    expect(sum(r)).toBe(23_400);
    expect(r.onPostRate).toBe(1);
  });
});

describe('the calendar decides what is scheduled', () => {
  it('S10 a statutory holiday (2026-10-01) has no scheduled time even with stray intervals', () => {
    const s = dayStats(
      'w07',
      '2026-10-01',
      script('w07', '2026-10-01', [
        ['09:00:00', 'staffed'],
        ['12:00:00', 'end'],
      ]),
    );
    expect(s.scheduledSeconds).toBe(0);
    expect(sum(s)).toBe(0);
    expect(s.sessions).toBe(0);
    expect(s.onPostRate).toBeNull();
  });

  it('S09 an adjusted Saturday (2026-02-28, 调休上班) has the weekday schedule; an ordinary Saturday has none', () => {
    expect(dayStats('w07', '2026-02-28', []).scheduledSeconds).toBe(23_400);
    expect(dayStats('w07', '2026-03-07', []).scheduledSeconds).toBe(0);
    expect(dayStats('w03', '2026-03-07', []).scheduledSeconds).toBe(3 * 3600);
  });

  it('an approved closure override removes the day from scheduled time (R20)', async () => {
    const { hallConfig } = await import('./fixtures.ts');
    const { createCalendar } = await import('../../../core/calendar/index.ts');
    const cfg = hallConfig({ overrides: [{ date: '2026-03-09', sessions: [], counters: ['w07'] }] });
    const cal = createCalendar(cfg);
    const from = cal.startOfDay('2026-03-09');
    expect(cal.sessionsBetween('cz-main', 'w07', from, from + 86_400_000)).toEqual([]);
    expect(cal.sessionsBetween('cz-main', 'w12', from, from + 86_400_000)).toHaveLength(2);
  });
});
