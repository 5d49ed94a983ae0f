// Service topics (CONTRACT §3 + the interval extension) → points: counter_state, counter_interval, alert.
import { z } from 'zod';
import { alertSubject } from '../../core/protocol/alert-subject.ts';
import { type AlertObject, COUNTER_STATES, type CounterStatePayload } from '../../core/protocol/index.ts';
import type { AlertSeries } from './alert-index.ts';
import { int, line } from './line-protocol.ts';

/** StateInterval of core/engine/types.ts as published on hall/{h}/counter/{c}/interval. */
export const intervalPayload = z.object({
  hall: z.string(),
  counter: z.string(),
  state: z.enum(COUNTER_STATES).exclude(['closed']),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sessionStart: z.number().int().optional(),
  staff: z.string().max(64).optional(),
  role: z.enum(['a', 'b', 'staff']).optional(),
  earlyLeave: z.boolean().optional(),
});
export type IntervalPayload = z.infer<typeof intervalPayload>;

/** Point time = `since`: a retained state delivered again overwrites the same point. */
export function counterStateLine(hall: string, counter: string, s: CounterStatePayload): string {
  return line(
    'counter_state',
    [
      ['counter', counter],
      ['hall', hall],
    ],
    [
      ['state', s.state],
      ['staff_on_post', int(s.staffOnPost)],
    ],
    s.since,
  );
}

/** Point time = interval start; tags as agreed with the alerts and reports wings. */
export function intervalLine(i: IntervalPayload): string {
  return line(
    'counter_interval',
    [
      ['counter', i.counter],
      ['hall', i.hall],
      ['role', i.role],
      ['state', i.state],
    ],
    [
      ['duration_s', (i.end - i.start) / 1000],
      ['start_ms', int(i.start)],
      ['end_ms', int(i.end)],
      ['staff', i.staff],
      ['early_leave', i.earlyLeave ?? false],
      ['local_date', i.localDate],
    ],
    i.start,
  );
}

export function alertSeriesOf(a: AlertObject): AlertSeries {
  const d = a.details;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const responsible = (d.responsible as { staff?: unknown } | undefined)?.staff;
  return {
    hall: a.hall,
    type: a.type,
    severity: a.severity,
    openedAt: a.openedAt,
    subject: alertSubject({
      counter: a.counter,
      equipment: a.equipment,
      device: text(d.device),
      sensor: text(d.sensor),
      metric: text(d.metric),
    }),
    ...(a.counter !== undefined ? { counter: a.counter } : {}),
    ...(a.equipment !== undefined ? { equipment: a.equipment } : {}),
    ...(typeof responsible === 'string' ? { responsible } : {}),
  };
}

/**
 * One point per alert (time = openedAt): later states of the same alert (acknowledged, resolved)
 * are written to the same series and time, so InfluxDB merges them into that point.
 */
export function alertLine(
  id: string,
  s: AlertSeries,
  status: AlertObject['status'],
  resolvedAt: number | undefined,
  reason: string | undefined,
): string {
  return line(
    'alert',
    [
      ['hall', s.hall],
      ['severity', s.severity],
      ['subject', s.subject ?? alertSubject(s)],
      ['type', s.type],
    ],
    [
      ['id', id],
      ['responsible', s.responsible],
      ['counter', s.counter],
      ['equipment', s.equipment],
      ['status', status],
      ['opened_at_ms', int(s.openedAt)],
      ['resolved_at_ms', resolvedAt !== undefined ? int(resolvedAt) : undefined],
      ['reason', reason],
    ],
    s.openedAt,
  );
}
