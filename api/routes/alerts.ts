// CONTRACT §6 alerts: list newest first, acknowledge and resolve by hand with a note.
import type { FastifyInstance } from 'fastify';
import type { AlertFilter, AttributionInput } from '../../alerts/types.ts';
import {
  ALERT_STATUSES,
  ALERT_TYPES,
  type AlertStatus,
  type AlertType,
} from '../../core/protocol/payloads.ts';
import { assertHall } from '../auth.ts';
import { auth, type RouteDeps } from '../deps.ts';
import { badField, notFound } from '../errors.ts';
import { enumList, errors, idParam, instant, listOf, ref } from '../schemas.ts';
import { parseRange } from '../time.ts';

export function parseEnumList<T extends string>(field: string, text: string, values: readonly T[]): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.find((i) => !values.includes(i as T));
  if (bad !== undefined || items.length === 0)
    throw badField(
      field,
      `${bad ?? '(空)'} 不是可选值,可选:${values.join(', ')}`,
      `${bad ?? '(empty)'} is not one of ${values.join(', ')}`,
    );
  return items as T[];
}

interface ListQuery {
  hall?: string;
  status?: string;
  type?: string;
  counter?: string;
  from?: string;
  to?: string;
  limit?: number;
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'alert id' } },
  required: ['id'],
  additionalProperties: false,
} as const;
const noteBody = {
  type: 'object',
  properties: { note: { type: 'string', maxLength: 500, description: 'what was done (Chinese welcome)' } },
  additionalProperties: false,
} as const;

export async function alertRoutes(app: FastifyInstance, d: RouteDeps): Promise<void> {
  app.get<{ Querystring: ListQuery }>(
    '/api/alerts',
    {
      preHandler: auth(d, 'any'),
      schema: {
        tags: ['alerts'],
        summary: 'Alerts, newest first',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: {
            hall: idParam('only this hall'),
            status: enumList(ALERT_STATUSES, 'alert status'),
            type: enumList(ALERT_TYPES, 'alert type'),
            counter: idParam('only this counter'),
            from: instant('opened at or after'),
            to: instant('opened before'),
            limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 },
          },
          additionalProperties: false,
        },
        response: { 200: listOf('Alert'), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const q = req.query;
      const p = req.principal!;
      if (q.hall) assertHall(p, q.hall);
      const filter: AlertFilter = {
        ...parseRange(q, d.config.timezone),
        ...(q.hall ? { hall: q.hall } : {}),
        ...(p.halls && !q.hall ? { halls: p.halls } : {}),
        ...(q.status ? { status: parseEnumList<AlertStatus>('status', q.status, ALERT_STATUSES) } : {}),
        ...(q.type ? { type: parseEnumList<AlertType>('type', q.type, ALERT_TYPES) } : {}),
        ...(q.counter ? { counter: q.counter } : {}),
        limit: q.limit ?? 500,
      };
      return d.alerts.listAlerts(filter);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/alerts/:id',
    {
      preHandler: auth(d, 'any'),
      schema: {
        tags: ['alerts'],
        summary: 'One alert with its notes',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: ref('Alert'), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const a = d.alerts.getAlert(req.params.id);
      if (!a) throw notFound('alert', req.params.id);
      assertHall(req.principal!, a.hall);
      return a;
    },
  );

  for (const action of ['ack', 'resolve'] as const) {
    app.post<{ Params: { id: string }; Body: { note?: string } }>(
      `/api/alerts/:id/${action}`,
      {
        preHandler: auth(d, ['supervisor', 'facility']),
        schema: {
          tags: ['alerts'],
          summary:
            action === 'ack'
              ? "Acknowledge: the alert, acknowledged by the token's user"
              : 'Resolve by hand (reason manual); the engine may open a new alert if the condition persists',
          security: [{ bearer: [] }],
          params: idParams,
          body: noteBody,
          response: { 200: ref('Alert'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req) => {
        const a = d.alerts.getAlert(req.params.id);
        if (!a) throw notFound('alert', req.params.id);
        assertHall(req.principal!, a.hall);
        const by = req.principal!.name;
        const note = req.body?.note?.trim() || undefined;
        const out =
          action === 'ack' ? d.alerts.acknowledge(a.id, by, note) : d.alerts.resolve(a.id, by, note);
        req.log.info({ alert: a.id, action, by }, 'alert changed by hand');
        return out;
      },
    );
  }

  app.post<{ Params: { id: string }; Body: AttributionInput }>(
    '/api/alerts/:id/attribution',
    {
      preHandler: auth(d, ['supervisor']),
      schema: {
        tags: ['alerts'],
        summary:
          'R28: reassign an interruption to another person or void it, with a note (who/when/why audited); 409 for an alert that is not an interruption',
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: 'object',
          properties: {
            responsible: {
              type: 'string',
              pattern: '^[A-Za-z0-9_-]{1,32}$',
              description: 'staff id now charged',
            },
            void: { type: 'boolean', enum: [true], description: 'void the interruption: counted nowhere' },
            note: {
              type: 'string',
              minLength: 1,
              maxLength: 500,
              description: 'why (shown in the 无缺位 report)',
            },
          },
          required: ['note'],
          additionalProperties: false,
        },
        response: { 200: ref('Alert'), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const a = d.alerts.getAlert(req.params.id);
      if (!a) throw notFound('alert', req.params.id);
      assertHall(req.principal!, a.hall);
      const by = req.principal!.name;
      const out = d.alerts.attribute(a.id, req.body, by);
      req.log.info(
        { alert: a.id, by, responsible: req.body.responsible, void: req.body.void },
        'alert attribution changed',
      );
      return out;
    },
  );
}
