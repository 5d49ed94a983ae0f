// DOMAIN §2b R28: an interruption's attribution can be contested. Reassigned or voided with a
// note by a supervisor; sanctions (R17) count the current attribution, voided ones nowhere; the
// 无缺位 report lists every change. Decisions reach the numbers through the stored model
// (core/points engineAlertPoint), exactly as the API's changes do.
import { describe, expect, it } from 'vitest';
import type { EngineAlert } from '../../core/engine/types.ts';
import { type AttributionChange, engineAlertPoint } from '../../core/points/index.ts';
import { type AttributedInterruption, noAbsenceRows } from '../../core/stats/index.ts';
import { at, ev, Hall, MON } from './fixtures.ts';

const t = (time: string, date = MON) => at(date, time);

/** S14: A1 opens 10:12:00 (resolved 10:15:10), A2 opens 10:42:00, both charged to E1023 (roster A). */
function s14() {
  const h = new Hall(t('08:00:00'));
  h.seatsEmpty(t('08:00:00'));
  h.send(ev.seat('w07', true, t('08:40:00')));
  h.tick(t('10:00:00'));
  h.send(ev.sign('w07', 'away', t('10:01:30')), ev.seat('w07', false, t('10:02:00')));
  h.tick(t('10:15:09'));
  h.send(ev.seat('w07', true, t('10:15:10')), ev.sign('w07', 'none', t('10:15:15')));
  h.tick(t('10:39:59'));
  h.send(ev.seat('w07', false, t('10:40:00')));
  h.tick(t('10:42:00'));
  h.send(ev.seat('w07', true, t('10:50:00')));
  h.tick(t('12:00:00'));
  const [a1, a2] = h.opened('unattended', 'w07') as [EngineAlert, EngineAlert];
  return { h, a1, a2 };
}

/** The 无缺位 rows for March 2026 from the engine's alerts with the supervisors' decisions. */
function report(h: Hall, alerts: EngineAlert[], decisions: Record<string, AttributionChange[]>) {
  const interruptions: AttributedInterruption[] = alerts.map((a) => {
    const p = engineAlertPoint(a, decisions[a.id]);
    return {
      id: a.id,
      type: 'unattended',
      hall: a.hall,
      counter: a.counter!,
      openedAt: a.openedAt,
      ...(p.responsible ? { staff: p.responsible } : {}),
      ...(p.voided ? { voided: true } : {}),
      ...(p.attribution ? { attribution: p.attribution } : {}),
    };
  });
  const rows = noAbsenceRows({
    hall: 'cz-main',
    interruptions,
    from: at('2026-03-01', '00:00:00'),
    to: at('2026-04-01', '00:00:00'),
    localDateOf: (x) => h.calendar.localDate(x),
    counters: ['w07'],
    staff: ['E1023', 'E2051'],
  });
  const row = (subject: 'counter' | 'staff', id: string) =>
    rows.find((r) => r.subject === subject && (r.counter ?? r.staff) === id)!;
  return { row };
}

describe('attribution (R28)', () => {
  it('S33 attribution-dispute', () => {
    const { h, a1, a2 } = s14();
    expect(a1.openedAt).toBe(t('10:12:00'));
    expect(a2.openedAt).toBe(t('10:42:00'));
    expect([a1.responsible?.staff, a2.responsible?.staff]).toEqual(['E1023', 'E1023']);
    // Without a decision: E1023 has 2 in March → transferRecommended (S14).
    expect(report(h, [a1, a2], {}).row('staff', 'E1023').level).toBe('transferRecommended');

    // A2 reassigned to E2051 by a supervisor, with a note.
    const reassign: AttributionChange = {
      at: t('16:30:00'),
      by: '张主任',
      note: '监控显示10:40离开的是B角李强',
      previous: 'E1023',
      responsible: 'E2051',
    };
    const r1 = report(h, [a1, a2], { [a2.id]: [reassign] });
    expect(r1.row('staff', 'E1023')).toMatchObject({ yearCount: 1, level: 'criticism' });
    expect(r1.row('staff', 'E2051')).toMatchObject({ yearCount: 1, level: 'criticism' });
    // The report shows the change: who, when, why.
    expect(r1.row('staff', 'E2051').interruptions[0]).toMatchObject({
      id: a2.id,
      staff: 'E2051',
      attribution: [
        { by: '张主任', at: t('16:30:00'), note: '监控显示10:40离开的是B角李强', previous: 'E1023' },
      ],
    });
    expect(r1.row('counter', 'w07').yearCount).toBe(2);
    expect(h.dayFacts('w07', MON, { [a2.id]: [reassign] })).toMatchObject({ interruptions: 2, voided: 0 });

    // Voiding A1 instead: E1023 keeps A2 only; A1 is listed as voided and counted nowhere.
    const voidA1: AttributionChange = {
      at: t('16:35:00'),
      by: '张主任',
      note: '座位传感器故障,经核实无人离岗',
      previous: 'E1023',
      void: true,
    };
    const r2 = report(h, [a1, a2], { [a1.id]: [voidA1] });
    const e1023 = r2.row('staff', 'E1023');
    expect(e1023).toMatchObject({ yearCount: 1, level: 'criticism' });
    expect(e1023.interruptions.map((i) => i.id)).toEqual([a2.id]);
    expect(e1023.voided).toEqual([
      expect.objectContaining({ id: a1.id, voided: true, attribution: [voidA1] }),
    ]);
    expect(r2.row('counter', 'w07')).toMatchObject({ yearCount: 1 });
    expect(r2.row('staff', 'E2051').yearCount).toBe(0);
    const facts = h.dayFacts('w07', MON, { [a1.id]: [voidA1] });
    expect(facts).toMatchObject({ interruptions: 1, voided: 1 });
    // `voided` (a person's decision) is not `retracted` (the data proved no violation).
    expect(h.resolved('unattended', 'w07').find((a) => a.id === a1.id)?.reason).toBe('staff_returned');
  });
});
