// DOMAIN §2b S29: live and replay are one path (core/engine/drive.ts). The leave of S28, entered
// through the API at 14:05 after w07 emptied at 14:00, reaches the live engine as the alerts
// service feeds it (approvalInputs of the stored record, a tick every second) and a replay of the
// day (the same record read back with its entry instant, a tick every minute): same alerts, same
// intervals, and the 14:02 alert stays open and counted (R24).
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../core/calendar/index.ts';
import { rulesFor } from '../../core/config/index.ts';
import { approvalInputs, drive, type EngineInput, timeline } from '../../core/engine/drive.ts';
import { createEngine } from '../../core/engine/index.ts';
import type { EngineAlert, EngineOutput, ResolvedAlert, StateInterval } from '../../core/engine/types.ts';
import type { ApprovalRecord } from '../../core/protocol/approval.ts';
import { counterDayFacts } from '../../core/stats/index.ts';
import { at, commonConfig, ev, HALL, MON } from './fixtures.ts';

const t = (time: string) => at(MON, time);
const config = commonConfig();
const calendar = createCalendar(config);

/** The day as devices sent it, and the leave as /api/leave stored it (entered 14:05:00.250). */
const leave: ApprovalRecord = {
  kind: 'leave',
  id: 'leave-s29',
  hall: HALL,
  staff: 'E1023',
  from: t('14:00:00'),
  to: t('15:00:00'),
  reason: '事假',
  approvedBy: '张主任',
  enteredAt: t('14:05:00') + 250,
};
const devices: EngineInput[] = [
  ...config.halls[0]!.counters.flatMap((c) => c.seats.map((s) => ev.seat(c.id, false, t('08:00:00'), s))),
  ev.seat('w07', true, t('08:40:00')),
  ev.seat('w07', false, t('14:00:00')),
  ev.seat('w07', true, t('14:20:00')),
];

function run(tickMs: number) {
  const engine = createEngine({ config, calendar, now: t('08:00:00') });
  const alerts = new Map<string, EngineAlert | ResolvedAlert>();
  const intervals: StateInterval[] = [];
  const sink = (out: EngineOutput[]) => {
    for (const o of out)
      if (o.kind === 'interval') intervals.push(o.interval);
      else if (o.kind === 'alert_opened' || o.kind === 'alert_resolved') alerts.set(o.alert.id, o.alert);
  };
  drive(engine, timeline([...devices, ...approvalInputs(leave)], t('08:00:00'), t('18:00:00'), tickMs), sink);
  return { alerts: [...alerts.values()].sort((a, b) => a.openedAt - b.openedAt), intervals };
}

describe('one path for live and replay', () => {
  it('S29 leave-live-and-replayed', () => {
    const live = run(1000);
    const replayed = run(60_000);

    const w07 = live.alerts.filter((a) => a.counter === 'w07' && a.type === 'unattended');
    expect(w07).toEqual([
      expect.objectContaining({
        openedAt: t('14:02:00'),
        responsible: { staff: 'E1023', role: 'a' },
        resolvedAt: t('14:20:00'),
        reason: 'staff_returned',
      }),
    ]);
    // Counted (R17): the leave was entered after the alert opened, so it changes nothing (R24).
    const r = rulesFor(config, HALL, 'w07');
    const from = calendar.startOfDay(MON);
    const [facts] = counterDayFacts({
      counter: 'w07',
      sessions: calendar.sessionsBetween(HALL, 'w07', from, from + 86_400_000),
      intervals: live.intervals.filter((i) => i.counter === 'w07'),
      alerts: w07.map((a) => ({ id: a.id, type: a.type, counter: 'w07', openedAt: a.openedAt })),
      rules: {
        awayLimitMs: r.awayLimitMs,
        openingGraceMs: r.openingGraceMs,
        readinessLeadMs: r.readinessLeadMs,
      },
      from,
      to: from + 86_400_000,
      localDateOf: (x) => calendar.localDate(x),
    });
    expect(facts!.interruptions).toBe(1);

    // Replay = live: the same alerts (ids, instants, reasons, attribution) and the same intervals.
    expect(replayed.alerts).toEqual(live.alerts);
    expect(replayed.intervals).toEqual(live.intervals);
  });
});
