// The interval extension topic's payload (hall/{h}/counter/{c}/interval): checked here, encoded by
// core/points like every other stored point.
import { z } from 'zod';
import { COUNTER_STATES } from '../../core/protocol/index.ts';

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
  understaffed: z.boolean().optional(),
});
export type IntervalPayload = z.infer<typeof intervalPayload>;

/** LateArrival of core/engine/types.ts as published on hall/{h}/counter/{c}/late_arrival (R23). */
export const lateArrivalPayload = z.object({
  hall: z.string(),
  counter: z.string(),
  staff: z.string().min(1).max(64),
  sessionStart: z.number().int().nonnegative(),
  at: z.number().int().nonnegative(),
  lateSeconds: z.number().nonnegative(),
});
