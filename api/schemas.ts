// JSON schemas shared by the routes: fastify validates input and serialises output with them,
// and @fastify/swagger turns them into the OpenAPI document at /api/docs.
import {
  ALERT_STATUSES,
  ALERT_TYPES,
  COUNTER_STATES,
  ENV_METRICS,
  SEVERITIES,
} from '../core/protocol/payloads.ts';
import { DATE_PATTERN, INSTANT_PATTERN } from './time.ts';

const ID = '^[a-z0-9][a-z0-9-]{0,31}$';

export const idParam = (description: string) => ({ type: 'string', pattern: ID, description });

export const instant = (description: string) => ({
  type: 'string',
  pattern: INSTANT_PATTERN,
  description: `${description}: epoch ms, ISO 8601, or YYYY-MM-DD (local midnight)`,
});
export const localDate = (description: string) => ({ type: 'string', pattern: DATE_PATTERN, description });

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: 'Every error: Chinese and English message; `field` names the bad input',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string' },
    messageZh: { type: 'string' },
    messageEn: { type: 'string' },
    field: { type: 'string' },
  },
  required: ['statusCode', 'error', 'code', 'message', 'messageZh', 'messageEn'],
} as const;

export const alertSchema = {
  $id: 'Alert',
  type: 'object',
  description: 'The alert object of CONTRACT §6',
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: [...ALERT_TYPES] },
    severity: { type: 'string', enum: [...SEVERITIES] },
    hall: { type: 'string' },
    counter: { type: 'string' },
    equipment: { type: 'string' },
    status: { type: 'string', enum: [...ALERT_STATUSES] },
    openedAt: { type: 'integer', description: 'epoch ms' },
    acknowledgedAt: { type: 'integer' },
    acknowledgedBy: { type: 'string' },
    resolvedAt: { type: 'integer' },
    message: { type: 'string', description: 'Simplified Chinese' },
    details: { type: 'object', additionalProperties: true },
    resolvedBy: { type: 'string' },
    resolveReason: { type: 'string' },
    escalatedAt: { type: 'integer' },
    silencedBy: { type: 'string', description: 'the maintenance silence that muted its notifications' },
    notes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: { type: 'integer' },
          by: { type: 'string' },
          action: { type: 'string', enum: ['acknowledge', 'resolve', 'note'] },
          text: { type: 'string' },
        },
        required: ['at', 'by', 'action', 'text'],
      },
    },
  },
  required: ['id', 'type', 'severity', 'hall', 'status', 'openedAt', 'message', 'details'],
} as const;

export const equipmentSchema = {
  $id: 'Equipment',
  type: 'object',
  properties: {
    hall: { type: 'string' },
    counter: { type: 'string' },
    equipment: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['ok', 'fault', 'off', 'unknown'] },
    code: { type: 'string' },
    since: { type: 'integer' },
  },
  required: ['hall', 'equipment', 'status'],
} as const;

export const counterSchema = {
  $id: 'Counter',
  type: 'object',
  description: "A counter's live state (CONTRACT §6)",
  properties: {
    hall: { type: 'string' },
    counter: { type: 'string' },
    name: { type: 'string' },
    agency: { type: 'string' },
    position: { type: 'object', properties: { row: { type: 'integer' }, col: { type: 'integer' } } },
    state: { type: 'string', enum: [...COUNTER_STATES] },
    since: { type: 'integer', description: 'epoch ms the state began' },
    staffOnPost: { type: 'integer' },
    sign: { type: 'string', enum: ['none', 'away', 'paused'] },
    seats: { type: 'object', additionalProperties: { type: 'boolean' } },
    staff: { type: 'array', items: { type: 'string' } },
    deadline: { type: 'integer', description: 'epoch ms when a running away/unsigned countdown ends' },
    note: { type: 'string', description: "R30: the sign's 去向 note (≤ 32 characters), while a sign is up" },
    returnBy: { type: 'integer', description: 'R30: expected return (epoch ms), while a sign is up' },
    waiting: { type: 'integer', description: 'R29: citizens waiting at the counter (queue topic), when > 0' },
    openAlerts: { type: 'array', items: { $ref: 'Alert#' } },
    equipment: { type: 'array', items: { $ref: 'Equipment#' } },
  },
  required: ['hall', 'counter', 'state', 'since', 'staffOnPost', 'sign', 'seats', 'staff', 'openAlerts'],
} as const;

const bandSchema = {
  type: 'object',
  properties: { min: { type: 'number' }, max: { type: 'number' } },
} as const;

export const envSchema = {
  $id: 'EnvSensor',
  type: 'object',
  properties: {
    hall: { type: 'string' },
    sensor: { type: 'string' },
    name: { type: 'string' },
    counter: { type: 'string' },
    at: { type: 'integer', description: 'epoch ms of the latest reading; absent when none yet' },
    readings: {
      type: 'object',
      properties: Object.fromEntries(ENV_METRICS.map((m) => [m, { type: 'number' }])),
    },
    bands: {
      type: 'object',
      description: 'the band in force now for each metric (season applied)',
      properties: Object.fromEntries(ENV_METRICS.map((m) => [m, bandSchema])),
    },
    outOfBand: { type: 'array', items: { type: 'string', enum: [...ENV_METRICS] } },
  },
  required: ['hall', 'sensor', 'readings', 'bands', 'outOfBand'],
} as const;

export const silenceSchema = {
  $id: 'Silence',
  type: 'object',
  properties: {
    id: { type: 'string' },
    hall: { type: 'string' },
    counter: { type: 'string' },
    equipment: { type: 'string' },
    types: { type: 'array', items: { type: 'string', enum: [...ALERT_TYPES] } },
    from: { type: 'integer' },
    to: { type: 'integer' },
    reason: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'integer' },
  },
  required: ['id', 'hall', 'from', 'to', 'reason'],
} as const;

const approvalProps = {
  id: { type: 'string' },
  kind: { type: 'string', enum: ['leave', 'closure'] },
  hall: { type: 'string' },
  from: { type: 'integer', description: 'epoch ms, whole minutes' },
  to: { type: 'integer', description: 'epoch ms, whole minutes (exclusive)' },
  reason: { type: 'string' },
  approvedBy: { type: 'string', description: 'the token name that entered it' },
  enteredAt: { type: 'integer', description: 'when it was entered (0 = from the configuration)' },
  source: {
    type: 'string',
    enum: ['config', 'api'],
    description: 'config: listed in the configuration file (withdrawn by editing it); api: entered here',
  },
} as const;

export const leaveSchema = {
  $id: 'Leave',
  type: 'object',
  properties: { ...approvalProps, staff: { type: 'string' } },
  required: ['id', 'hall', 'staff', 'from', 'to', 'reason', 'approvedBy'],
} as const;

export const closureSchema = {
  $id: 'Closure',
  type: 'object',
  properties: { ...approvalProps, counter: { type: 'string', description: 'absent = the whole hall' } },
  required: ['id', 'hall', 'from', 'to', 'reason', 'approvedBy'],
} as const;

export const SHARED_SCHEMAS = [
  errorSchema,
  alertSchema,
  equipmentSchema,
  counterSchema,
  envSchema,
  silenceSchema,
  leaveSchema,
  closureSchema,
];

export const ref = (id: string) => ({ $ref: `${id}#` });

/** The error responses a route documents, by status code. */
export function errors(...codes: number[]) {
  return Object.fromEntries(codes.map((c) => [c, ref('Error')]));
}

export const listOf = (id: string) => ({ type: 'array', items: ref(id) });

/** A comma-separated list of enum values (checked by parseEnumList so the 400 lists them). */
export const enumList = (values: readonly string[], description: string) => ({
  type: 'string',
  maxLength: 200,
  description: `${description}; one or more of ${values.join(', ')}, comma-separated`,
});
