// Who am I, which halls, and each hall's live counters, equipment, environment and day history.
import type { FastifyInstance } from 'fastify';
import { nextDate, zoneOf } from '../../core/calendar/zone.ts';
import { assertHall, canSeeHall, capabilitiesOf, type Principal } from '../auth.ts';
import { auth, type RouteDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { errors, idParam, listOf, localDate, ref } from '../schemas.ts';
import { parseLocalDate } from '../time.ts';
import { countersOf, environmentOf, equipmentOf, hallOf, layoutOf } from '../views.ts';

const hallParams = {
  type: 'object',
  properties: { hall: idParam('hall id, e.g. cz-main') },
  required: ['hall'],
  additionalProperties: false,
} as const;
const counterParams = {
  type: 'object',
  properties: { hall: idParam('hall id'), counter: idParam('counter id, e.g. w07') },
  required: ['hall', 'counter'],
  additionalProperties: false,
} as const;
const COMMON = errors(400, 401, 403, 404);

export async function hallRoutes(app: FastifyInstance, d: RouteDeps): Promise<void> {
  const any = auth(d, 'any');

  app.get(
    '/api/me',
    {
      preHandler: any,
      schema: {
        tags: ['board'],
        summary: 'The token holder: name, role, halls and what the board may offer them',
        security: [{ bearer: [] }],
        response: {
          200: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              role: { type: 'string' },
              halls: { type: 'array', items: { type: 'string' } },
              can: { type: 'object', additionalProperties: { type: 'boolean' } },
              timezone: { type: 'string' },
              clock: {
                type: 'object',
                description: "the server's clock (the demo runs simulated time faster than real time)",
                properties: { now: { type: 'integer' }, speed: { type: 'number' } },
              },
            },
          },
          ...errors(401),
        },
      },
    },
    async (req) => {
      const p = req.principal!;
      return {
        name: p.name,
        role: p.role,
        halls: d.config.halls.map((h) => h.id).filter((h) => canSeeHall(p, h)),
        can: capabilitiesOf(p.role),
        timezone: d.config.timezone,
        clock: { now: d.clock.now(), speed: (d.clock as { speed?: number }).speed ?? 1 },
      };
    },
  );

  app.get(
    '/api/halls',
    {
      preHandler: any,
      schema: {
        tags: ['halls'],
        summary: 'Halls this token may see',
        security: [{ bearer: [] }],
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { id: { type: 'string' }, name: { type: 'string' }, counters: { type: 'integer' } },
            },
          },
          ...errors(401),
        },
      },
    },
    async (req) =>
      d.config.halls
        .filter((h) => canSeeHall(req.principal!, h.id))
        .map((h) => ({ id: h.id, name: h.name, counters: h.counters.length })),
  );

  app.get<{ Params: { hall: string } }>(
    '/api/halls/:hall',
    {
      preHandler: any,
      schema: {
        tags: ['halls'],
        summary: "The hall's layout: counters at their grid positions, equipment, sensors, thresholds",
        security: [{ bearer: [] }],
        params: hallParams,
        response: {
          200: { type: 'object', additionalProperties: true },
          ...COMMON,
        },
      },
    },
    async (req) => {
      assertHall(req.principal!, req.params.hall);
      return layoutOf(hallOf(d.config, req.params.hall));
    },
  );

  app.get<{ Params: { hall: string } }>(
    '/api/halls/:hall/counters',
    {
      preHandler: any,
      schema: {
        tags: ['halls'],
        summary: "Every counter's live state, since when, seats, sign, staff on post, open alerts",
        security: [{ bearer: [] }],
        params: hallParams,
        response: { 200: listOf('Counter'), ...COMMON },
      },
    },
    async (req) => {
      assertHall(req.principal!, req.params.hall);
      return countersOf(d.config, d.alerts, req.params.hall);
    },
  );

  app.get<{ Params: { hall: string; counter: string } }>(
    '/api/halls/:hall/counters/:counter',
    {
      preHandler: any,
      schema: {
        tags: ['halls'],
        summary: "One counter's live state",
        security: [{ bearer: [] }],
        params: counterParams,
        response: { 200: ref('Counter'), ...COMMON },
      },
    },
    async (req) => {
      assertHall(req.principal!, req.params.hall);
      const c = countersOf(d.config, d.alerts, req.params.hall).find((x) => x.counter === req.params.counter);
      if (!c) throw notFound('counter', `${req.params.hall}/${req.params.counter}`);
      return c;
    },
  );

  const historySchema = {
    querystring: {
      type: 'object',
      properties: { date: localDate('local date YYYY-MM-DD; default today') },
      additionalProperties: false,
    },
    response: {
      200: {
        type: 'object',
        properties: {
          hall: { type: 'string' },
          counter: { type: 'string' },
          date: { type: 'string' },
          from: { type: 'integer' },
          to: { type: 'integer' },
          intervals: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                counter: { type: 'string' },
                state: { type: 'string' },
                start: { type: 'integer' },
                end: { type: 'integer' },
                staff: { type: 'string' },
                role: { type: 'string' },
                earlyLeave: { type: 'boolean' },
                current: { type: 'boolean', description: 'the state holding now, up to now (today only)' },
              },
            },
          },
        },
      },
      ...COMMON,
      503: ref('Error'),
    },
  };
  const history = async (principal: Principal, hall: string, counter: string | undefined, date?: string) => {
    assertHall(principal, hall);
    const h = hallOf(d.config, hall);
    if (counter && !h.counters.some((c) => c.id === counter)) throw notFound('counter', `${hall}/${counter}`);
    const zone = zoneOf(d.config.timezone);
    const day = parseLocalDate('date', date ?? zone.localDate(d.clock.now()));
    const from = zone.startOfDay(day);
    const to = zone.startOfDay(nextDate(day));
    if (!d.reports) throw statsUnavailable();
    const intervals: object[] = await d.reports.intervals({
      hall,
      ...(counter ? { counter } : {}),
      from,
      to,
    });
    // Today runs up to now: each counter's current state is not an interval yet, so add it.
    const now = d.clock.now();
    if (now >= from && now < to)
      for (const c of d.alerts.counters(hall))
        if (c.state !== 'closed' && c.since < now && (!counter || c.counter === counter))
          intervals.push({
            counter: c.counter,
            state: c.state,
            start: Math.max(c.since, from),
            end: now,
            current: true,
          });
    return { hall, ...(counter ? { counter } : {}), date: day, from, to, intervals };
  };

  app.get<{ Params: { hall: string; counter: string }; Querystring: { date?: string } }>(
    '/api/halls/:hall/counters/:counter/history',
    {
      preHandler: any,
      schema: {
        tags: ['halls'],
        summary: "A counter's state intervals for one local day",
        security: [{ bearer: [] }],
        params: counterParams,
        ...historySchema,
      },
    },
    async (req) => history(req.principal!, req.params.hall, req.params.counter, req.query.date),
  );

  app.get<{ Params: { hall: string }; Querystring: { date?: string } }>(
    '/api/halls/:hall/history',
    {
      preHandler: any,
      schema: {
        tags: ['halls'],
        summary: "Every counter's state intervals for one local day (the statistics page's timeline)",
        security: [{ bearer: [] }],
        params: hallParams,
        ...historySchema,
      },
    },
    async (req) => history(req.principal!, req.params.hall, undefined, req.query.date),
  );

  app.get<{ Params: { hall: string } }>(
    '/api/halls/:hall/equipment',
    {
      preHandler: any,
      schema: {
        tags: ['halls'],
        summary: 'Every piece of equipment of the hall (hall-level and per counter) with its live status',
        security: [{ bearer: [] }],
        params: hallParams,
        response: { 200: listOf('Equipment'), ...COMMON },
      },
    },
    async (req) => {
      assertHall(req.principal!, req.params.hall);
      return equipmentOf(d.config, d.alerts, req.params.hall);
    },
  );

  app.get<{ Params: { hall: string } }>(
    '/api/halls/:hall/environment',
    {
      preHandler: any,
      schema: {
        tags: ['halls'],
        summary: 'Latest environment readings per sensor against the thresholds in force',
        security: [{ bearer: [] }],
        params: hallParams,
        response: { 200: listOf('EnvSensor'), ...COMMON },
      },
    },
    async (req) => {
      assertHall(req.principal!, req.params.hall);
      return environmentOf(d.config, d.alerts, req.params.hall, d.clock.now());
    },
  );
}

export const statsUnavailable = () =>
  new ApiError(
    503,
    'stats_unavailable',
    '统计模块未启用(需要 InfluxDB 与 reports 模块)',
    'statistics are not available in this process (reports module / InfluxDB not configured)',
  );
