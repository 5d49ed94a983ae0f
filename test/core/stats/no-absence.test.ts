import { describe, expect, it } from 'vitest';
import { type AttributedInterruption, noAbsenceRows, sanctionLevel } from '../../../core/stats/index.ts';
import { at, calendar } from './fixtures.ts';

const i = (date: string, time: string, staff: string, counter = 'w07'): AttributedInterruption => ({
  id: `u-${date}-${time}`,
  type: 'unattended',
  hall: 'cz-main',
  counter,
  openedAt: at(date, time),
  staff,
});
const rows = (list: AttributedInterruption[], from: string, to: string) =>
  noAbsenceRows({
    hall: 'cz-main',
    interruptions: list,
    from: calendar.startOfDay(from),
    to: calendar.startOfDay(to),
    localDateOf: calendar.localDate,
    counters: ['w07', 'w12'],
  });

describe('无缺位 levels (R17)', () => {
  it('the norm: 1/year criticism, 2/year public notice, 2 in one month transfer recommended', () => {
    expect(sanctionLevel(0, [])).toBe('none');
    expect(sanctionLevel(1, [1])).toBe('criticism');
    expect(sanctionLevel(2, [1, 1])).toBe('publicNotice');
    expect(sanctionLevel(2, [2])).toBe('transferRecommended');
  });

  it('one interruption in the year → criticism for the staff member and the counter', () => {
    const r = rows([i('2026-01-15', '10:12:00', 'E1023')], '2026-01-01', '2027-01-01');
    const e = r.find((x) => x.staff === 'E1023')!;
    expect(e.yearCount).toBe(1);
    expect(e.level).toBe('criticism');
    expect(e.months).toHaveLength(12);
    expect(e.months[0]).toEqual({ month: '2026-01', count: 1 });
    expect(r.find((x) => x.counter === 'w07')!.level).toBe('criticism');
    expect(r.find((x) => x.counter === 'w12')!.level).toBe('none');
  });

  it('two in different months of a year → public notice', () => {
    const r = rows(
      [i('2026-01-15', '10:12:00', 'E1023'), i('2026-03-09', '10:12:00', 'E1023')],
      '2026-01-01',
      '2027-01-01',
    );
    expect(r.find((x) => x.staff === 'E1023')!.level).toBe('publicNotice');
  });

  it('S14 two in March 2026 → transfer recommended; a March report still counts January in the year', () => {
    const list = [
      i('2026-01-15', '10:12:00', 'E1023'),
      i('2026-03-09', '10:12:00', 'E1023'),
      i('2026-03-09', '10:42:00', 'E1023'),
      i('2026-03-09', '14:00:00', 'E2051'),
    ];
    const r = rows(list, '2026-03-01', '2026-04-01');
    const a = r.find((x) => x.staff === 'E1023')!;
    expect(a.yearCount).toBe(3);
    expect(a.months).toEqual([{ month: '2026-03', count: 2 }]);
    expect(a.level).toBe('transferRecommended');
    expect(r.find((x) => x.staff === 'E2051')!.level).toBe('criticism');
  });

  it('months are local: 2026-03-31T23:30 Shanghai (15:30Z) is March, not April', () => {
    const r = rows(
      [i('2026-03-31', '23:30:00', 'E1023'), i('2026-03-02', '09:30:00', 'E1023')],
      '2026-03-01',
      '2026-05-01',
    );
    expect(r.find((x) => x.staff === 'E1023')!.months).toEqual([
      { month: '2026-03', count: 2 },
      { month: '2026-04', count: 0 },
    ]);
  });
});
