// Payload schemas of CONTRACT §2–3. Unknown extra fields are ignored (zod strips them).
import { z } from 'zod';
import { STAFF_ID } from '../ids.ts';

const ts = z.number().int().nonnegative().optional();
const seq = z.number().int().nonnegative().optional();

export const seatPayload = z.object({ occupied: z.boolean(), ts, seq });
/** R30: `note` is the 去向 (≤ 32 characters), `returnBy` the expected return (epoch ms); no deadline changes. */
export const SIGN_NOTE_MAX = 32;
export const signPayload = z.object({
  sign: z.enum(['none', 'away', 'paused']),
  note: z
    .string()
    .refine((s) => [...s].length <= SIGN_NOTE_MAX, `note longer than ${SIGN_NOTE_MAX} characters`)
    .optional(),
  returnBy: z.number().int().nonnegative().optional(),
  ts,
  seq,
});
/** R29 (contract extension): the queue system's count of citizens waiting at a counter. */
export const queuePayload = z.object({ waiting: z.number().int().min(0).max(10_000), ts, seq });
export const badgePayload = z.object({
  staff: z.string().regex(STAFF_ID, 'invalid staff id'),
  action: z.enum(['in', 'out']),
  ts,
  seq,
});
export const equipmentPayload = z.object({
  status: z.enum(['ok', 'fault', 'off']),
  code: z.string().max(64).optional(),
  detail: z.string().max(500).optional(),
  ts,
  seq,
});

/** Physical ranges of the environment metrics; readings outside are sensor faults, not weather. */
export const ENV_RANGES = {
  lux: [0, 200_000],
  temperature: [-40, 85],
  humidity: [0, 100],
  co2: [0, 40_000],
  noise: [0, 150],
} as const;
export type EnvMetric = keyof typeof ENV_RANGES;
export const ENV_METRICS = Object.keys(ENV_RANGES) as EnvMetric[];

const reading = (metric: EnvMetric) =>
  z
    .number()
    .refine(Number.isFinite, 'not a finite number')
    .refine((v) => v >= ENV_RANGES[metric][0] && v <= ENV_RANGES[metric][1], {
      message: `out of range [${ENV_RANGES[metric][0]}, ${ENV_RANGES[metric][1]}]`,
    })
    .optional();

export const envPayload = z
  .object({
    lux: reading('lux'),
    temperature: reading('temperature'),
    humidity: reading('humidity'),
    co2: reading('co2'),
    noise: reading('noise'),
    ts,
    seq,
  })
  .refine((p) => ENV_METRICS.some((m) => p[m] !== undefined), {
    message: 'no reading (lux, temperature, humidity, co2, noise)',
  });

export const COUNTER_STATES = ['closed', 'staffed', 'away', 'paused', 'unattended', 'unknown'] as const;
export type CounterState = (typeof COUNTER_STATES)[number];

export const counterStatePayload = z.object({
  state: z.enum(COUNTER_STATES),
  since: z.number().int(),
  staffOnPost: z.number().int().nonnegative(),
});
export type CounterStatePayload = z.infer<typeof counterStatePayload>;

export const ALERT_TYPES = [
  'unattended',
  'staffing_gap',
  'late_opening',
  'not_ready',
  'equipment_fault',
  'device_offline',
  'environment',
  'service_paused', // R21 (warning; an interruption)
  'understaffed', // R23 (warning)
  'calendar_unverified', // R26 (warning, hall-wide)
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The alert object of CONTRACT §6, also the retained payload of hall/{hall}/alerts/{id}. */
export const alertPayload = z.object({
  id: z.string(),
  type: z.enum(ALERT_TYPES),
  severity: z.enum(SEVERITIES),
  hall: z.string(),
  counter: z.string().optional(),
  equipment: z.string().optional(),
  status: z.enum(ALERT_STATUSES),
  openedAt: z.number().int(),
  acknowledgedAt: z.number().int().optional(),
  acknowledgedBy: z.string().optional(),
  resolvedAt: z.number().int().optional(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AlertObject = z.infer<typeof alertPayload>;
