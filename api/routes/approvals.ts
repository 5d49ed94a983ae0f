// Approved leave and closures (CONTRACT §7, R24): read by any token, entered and withdrawn by a
// supervisor or admin, effective in the live engine at once. Not silences: alerts still open.
import type { FastifyInstance } from 'fastify';
import type { ApprovalKind } from '../../core/protocol/approval.ts';
import { assertHall, canSeeHall } from '../auth.ts';
import { auth, type RouteDeps } from '../deps.ts';
import { approvalFromConfig, badField, notFound } from '../errors.ts';
import { errors, idParam, listOf, ref } from '../schemas.ts';
import { parseInstant } from '../time.ts';

const MINUTE_MS = 60_000;
const INSTANT_OR_MS = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', minLength: 10, maxLength: 40 },
  ],
  description: 'epoch ms or ISO 8601 (local time when no zone is given), whole minutes',
};

interface Body {
  hall: string;
  staff?: string;
  counter?: string;
  from: string | number;
  to: string | number;
  reason: string;
}

const PATH: Record<ApprovalKind, string> = { leave: 'leave', closure: 'closures' };
const ITEM: Record<ApprovalKind, string> = { leave: 'Leave', closure: 'Closure' };

export async function approvalRoutes(app: FastifyInstance, d: RouteDeps): Promise<void> {
  /** An instant to the minute: a time with seconds is refused, naming the field. */
  const minute = (field: 'from' | 'to', v: string | number): number => {
    const t = typeof v === 'number' ? v : parseInstant(field, v, d.config.timezone);
    if (t % MINUTE_MS !== 0)
      throw badField(
        field,
        '请假与关闭只精确到分钟,不能带秒',
        'leave and closures are entered to the minute: no seconds',
      );
    return t;
  };
  const check = (b: Body) => {
    const h = d.config.halls.find((x) => x.id === b.hall);
    if (!h) throw badField('hall', `大厅 ${b.hall} 未配置`, `hall ${b.hall} is not configured`);
    if (b.counter && !h.counters.some((c) => c.id === b.counter))
      throw badField(
        'counter',
        `窗口 ${b.counter} 不在大厅 ${b.hall}`,
        `counter ${b.counter} is not in ${b.hall}`,
      );
    const from = minute('from', b.from);
    const to = minute('to', b.to);
    if (to <= from) throw badField('to', 'to 必须晚于 from', 'to must be after from');
    return { from, to };
  };

  const routes = (kind: ApprovalKind, body: object) => {
    const path = `/api/${PATH[kind]}`;
    app.get<{ Querystring: { hall?: string } }>(
      path,
      {
        preHandler: auth(d, 'any'),
        schema: {
          tags: ['approvals'],
          summary: kind === 'leave' ? 'Approved leave (请假)' : 'Approved closures (关闭)',
          security: [{ bearer: [] }],
          querystring: {
            type: 'object',
            properties: { hall: idParam('only this hall') },
            additionalProperties: false,
          },
          response: { 200: listOf(ITEM[kind]), ...errors(400, 401, 403) },
        },
      },
      async (req) => {
        if (req.query.hall) assertHall(req.principal!, req.query.hall);
        return d.alerts.listApprovals(kind, req.query.hall).filter((x) => canSeeHall(req.principal!, x.hall));
      },
    );
    app.post<{ Body: Body }>(
      path,
      {
        preHandler: auth(d, ['supervisor', 'admin']),
        schema: {
          tags: ['approvals'],
          summary:
            kind === 'leave'
              ? 'Enter approved leave: the person is not available, the counter stays watched (B covers)'
              : 'Enter an approved closure of a counter or the hall: removed from scheduled time',
          security: [{ bearer: [] }],
          body,
          response: { 201: ref(ITEM[kind]), ...errors(400, 401, 403) },
        },
      },
      async (req, reply) => {
        const b = req.body;
        assertHall(req.principal!, b.hall);
        const range = check(b);
        const by = req.principal!.name;
        const out =
          kind === 'leave'
            ? d.alerts.addLeave({ hall: b.hall, staff: b.staff!, ...range, reason: b.reason }, by)
            : d.alerts.addClosure(
                { hall: b.hall, ...(b.counter ? { counter: b.counter } : {}), ...range, reason: b.reason },
                by,
              );
        req.log.info({ [kind]: out, by }, `${kind} entered`);
        return reply.code(201).send(out);
      },
    );
    app.delete<{ Params: { id: string } }>(
      `${path}/:id`,
      {
        preHandler: auth(d, ['supervisor', 'admin']),
        schema: {
          tags: ['approvals'],
          summary: `Withdraw approved ${kind === 'leave' ? 'leave' : 'closure'} entered through the API (from now on); one from the config: 409`,
          security: [{ bearer: [] }],
          params: {
            type: 'object',
            // Config ids may also use . and : (core/config/schema.ts); those answer 409 below.
            properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } },
            required: ['id'],
            additionalProperties: false,
          },
          response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        const found = d.alerts.listApprovals(kind).find((x) => x.id === req.params.id);
        if (!found) throw notFound(kind, req.params.id);
        assertHall(req.principal!, found.hall);
        if (found.source === 'config') throw approvalFromConfig(kind, found.id);
        if (!d.alerts.removeApproval(kind, req.params.id, req.principal!.name))
          throw notFound(kind, req.params.id);
        req.log.info({ id: req.params.id, by: req.principal!.name }, `${kind} withdrawn`);
        return reply.code(204).send();
      },
    );
  };

  const common = {
    hall: idParam('hall id'),
    from: INSTANT_OR_MS,
    to: INSTANT_OR_MS,
    reason: { type: 'string', minLength: 1, maxLength: 200 },
  };
  routes('leave', {
    type: 'object',
    properties: {
      ...common,
      staff: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'staff id' },
    },
    required: ['hall', 'staff', 'from', 'to', 'reason'],
    additionalProperties: false,
  });
  routes('closure', {
    type: 'object',
    properties: { ...common, counter: idParam('the counter (omit to close the whole hall)') },
    required: ['hall', 'from', 'to', 'reason'],
    additionalProperties: false,
  });
}
