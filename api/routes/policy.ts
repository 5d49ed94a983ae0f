// Maintenance silences (alerts still show and count, notifications muted), registered by supervisors
// and facility staff. Approved leave and closures are engine inputs: routes/approvals.ts.
import type { FastifyInstance } from 'fastify';
import { ALERT_TYPES } from '../../core/protocol/payloads.ts';
import { assertHall, canSeeHall, type Role } from '../auth.ts';
import { auth, type RouteDeps } from '../deps.ts';
import { badField, notFound } from '../errors.ts';
import { errors, idParam, instant, listOf, ref } from '../schemas.ts';
import { parseRange } from '../time.ts';

const hallQuery = {
  type: 'object',
  properties: { hall: idParam('only this hall') },
  additionalProperties: false,
} as const;
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
  required: ['id'],
  additionalProperties: false,
} as const;
const common = {
  hall: idParam('hall id'),
  from: instant('start'),
  to: instant('end (after from)'),
  reason: { type: 'string', minLength: 1, maxLength: 200 },
};

interface Body {
  hall: string;
  counter?: string;
  equipment?: string;
  staff?: string;
  types?: (typeof ALERT_TYPES)[number][];
  from: string;
  to: string;
  reason: string;
}

export async function policyRoutes(app: FastifyInstance, d: RouteDeps): Promise<void> {
  /** Checks hall access and that the named hall/counter/equipment exist (400 naming the field). */
  const resolveBody = (b: Body, role: { halls?: string[] }) => {
    assertHall({ name: '', role: 'admin', ...role }, b.hall);
    const h = d.config.halls.find((x) => x.id === b.hall);
    if (!h) throw badField('hall', `大厅 ${b.hall} 未配置`, `hall ${b.hall} is not configured`);
    const c = b.counter ? h.counters.find((x) => x.id === b.counter) : undefined;
    if (b.counter && !c)
      throw badField(
        'counter',
        `窗口 ${b.counter} 不在大厅 ${b.hall}`,
        `counter ${b.counter} is not in ${b.hall}`,
      );
    if (b.equipment) {
      const known = (c ? c.equipment : h.equipment).some((e) => e.id === b.equipment);
      if (!known)
        throw badField(
          'equipment',
          `设备 ${b.equipment} 未配置`,
          `equipment ${b.equipment} is not configured`,
        );
    }
    const range = parseRange(b, d.config.timezone);
    if (range.from === undefined || range.to === undefined)
      throw badField('from', '须给出 from 与 to', 'from and to are required');
    return { from: range.from, to: range.to };
  };

  const crud = (
    path: 'silences',
    writers: readonly Role[],
    bodySchema: object,
    list: (hall?: string) => { hall: string }[],
    add: (b: Body, range: { from: number; to: number }, by: string) => unknown,
    remove: (id: string, by: string) => boolean,
  ) => {
    const item = 'Silence';
    app.get<{ Querystring: { hall?: string } }>(
      `/api/${path}`,
      {
        preHandler: auth(d, 'any'),
        schema: {
          tags: ['policy'],
          summary: 'Maintenance silences',
          security: [{ bearer: [] }],
          querystring: hallQuery,
          response: { 200: listOf(item), ...errors(400, 401, 403) },
        },
      },
      async (req) => {
        if (req.query.hall) assertHall(req.principal!, req.query.hall);
        return list(req.query.hall).filter((x) => canSeeHall(req.principal!, x.hall));
      },
    );
    app.post<{ Body: Body }>(
      `/api/${path}`,
      {
        preHandler: auth(d, writers),
        schema: {
          tags: ['policy'],
          summary: 'Add a maintenance silence',
          security: [{ bearer: [] }],
          body: bodySchema,
          response: { 201: ref(item), ...errors(400, 401, 403) },
        },
      },
      async (req, reply) => {
        const range = resolveBody(req.body, req.principal!);
        const out = add(req.body, range, req.principal!.name);
        req.log.info({ [item.toLowerCase()]: out, by: req.principal!.name }, `${item.toLowerCase()} added`);
        return reply.code(201).send(out);
      },
    );
    app.delete<{ Params: { id: string } }>(
      `/api/${path}/:id`,
      {
        preHandler: auth(d, writers),
        schema: {
          tags: ['policy'],
          summary: `Remove one of the ${path}`,
          security: [{ bearer: [] }],
          params: idParams,
          response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) },
        },
      },
      async (req, reply) => {
        const found = (list() as { id?: string; hall: string }[]).find((x) => x.id === req.params.id);
        if (!found) throw notFound('silence', req.params.id);
        assertHall(req.principal!, found.hall);
        if (!remove(req.params.id, req.principal!.name)) throw notFound('silence', req.params.id);
        return reply.code(204).send();
      },
    );
  };

  crud(
    'silences',
    ['supervisor', 'facility'],
    {
      type: 'object',
      properties: {
        ...common,
        counter: idParam('only this counter'),
        equipment: idParam('only this equipment'),
        types: { type: 'array', items: { type: 'string', enum: [...ALERT_TYPES] }, maxItems: 10 },
      },
      required: ['hall', 'from', 'to', 'reason'],
      additionalProperties: false,
    },
    (hall) => d.alerts.listSilences(hall),
    (b, r, by) =>
      d.alerts.addSilence(
        {
          hall: b.hall,
          ...(b.counter ? { counter: b.counter } : {}),
          ...(b.equipment ? { equipment: b.equipment } : {}),
          ...(b.types ? { types: b.types } : {}),
          ...r,
          reason: b.reason,
        },
        by,
      ),
    (id, by) => d.alerts.removeSilence(id, by),
  );
}
