// R29 waiting citizens: an open interruption alert (unattended, staffing_gap, service_paused) on a
// counter keeps the largest queue length seen while it is open in `details.waiting`.
import { openAlertOf, subjectKey } from './alerts.ts';
import type { CounterData, Ctx } from './state.ts';

const TYPES = ['unattended', 'staffing_gap', 'service_paused'] as const;

export function noteWaiting(ctx: Ctx, c: CounterData): void {
  if (c.waiting <= 0) return;
  for (const type of TYPES) {
    const alert = openAlertOf(ctx, type, c.hall, c.counter);
    if (!alert || ((alert.details.waiting as number | undefined) ?? 0) >= c.waiting) continue;
    // A new object: the opened alert already handed out keeps the value it was opened with.
    ctx.st.alerts[subjectKey(type, c.hall, c.counter)] = {
      ...alert,
      details: { ...alert.details, waiting: c.waiting },
    };
  }
}
