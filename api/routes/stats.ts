// CONTRACT §6 statistics: the numbers come from reports/ (InfluxDB); this file only checks the
// question, asks it, and returns JSON or CSV.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { zoneOf } from '../../core/calendar/zone.ts';
import type { PeriodUnit } from '../../reports/types.ts';
import { assertHall, canSeeHall, type Principal } from '../auth.ts';
import { auth, type RouteDeps } from '../deps.ts';
import { badField } from '../errors.ts';
import { errors, idParam, instant, ref } from '../schemas.ts';
import { parseInstant, parseRange } from '../time.ts';
import { statsUnavailable } from './halls.ts';

interface StatsQuery {
  hall?: string;
  counter?: string;
  from?: string;
  to?: string;
  by?: PeriodUnit;
  scope?: 'counter' | 'hall' | 'staff';
  format?: 'json' | 'csv';
}

const reportSchema = {
  type: 'object',
  additionalProperties: true,
  properties: { rows: { type: 'array', items: { type: 'object', additionalProperties: true } } },
} as const;

export async function statsRoutes(app: FastifyInstance, d: RouteDeps): Promise<void> {
  /** The hall asked for (the only visible one when omitted) and [from, to) (this month by default). */
  const question = (q: StatsQuery, p: Principal) => {
    const visible = d.config.halls.filter((h) => canSeeHall(p, h.id));
    const hall = q.hall ?? (visible.length === 1 ? visible[0]!.id : undefined);
    if (!hall)
      throw badField('hall', '有多个大厅时必须指定 hall', 'hall is required when there are several halls');
    assertHall(p, hall);
    const h = d.config.halls.find((x) => x.id === hall);
    if (!h) throw badField('hall', `大厅 ${hall} 未配置`, `hall ${hall} is not configured`);
    if (q.counter && !h.counters.some((c) => c.id === q.counter))
      throw badField(
        'counter',
        `窗口 ${q.counter} 不在大厅 ${hall}`,
        `counter ${q.counter} is not in ${hall}`,
      );
    const tz = d.config.timezone;
    const now = d.clock.now();
    const range = parseRange(q, tz);
    const from = range.from ?? parseInstant('from', `${zoneOf(tz).localDate(now).slice(0, 8)}01`, tz);
    const to = range.to ?? now;
    if (to <= from) throw badField('to', 'to 必须晚于 from', 'to must be after from');
    if (to - from > 366 * 86_400_000)
      throw badField('to', '时间范围不能超过一年', 'the range may not exceed one year');
    return { hall, ...(q.counter ? { counter: q.counter } : {}), from, to };
  };

  const querystring = (extra: Record<string, unknown> = {}) => ({
    type: 'object',
    properties: {
      hall: idParam('hall id (optional when the token sees one hall)'),
      counter: idParam('only this counter'),
      from: instant('period start (default: first day of this month)'),
      to: instant('period end, exclusive (default: now)'),
      format: { type: 'string', enum: ['json', 'csv'], default: 'json' },
      ...extra,
    },
    additionalProperties: false,
  });
  const byParam = {
    by: { type: 'string', enum: ['day', 'week', 'month', 'year'], default: 'day', description: 'period' },
    scope: {
      type: 'string',
      enum: ['counter', 'hall', 'staff'],
      default: 'counter',
      description: 'rows per counter, per hall, or per staff member',
    },
  };

  const sendCsv = (reply: FastifyReply, name: string, csv: string) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .send(csv);

  app.get<{ Querystring: StatsQuery }>(
    '/api/stats/uptime',
    {
      preHandler: auth(d, ['assessor', 'supervisor']),
      schema: {
        tags: ['stats'],
        summary:
          'Per counter and period: scheduled, staffed, away, paused, unattended, unknown seconds; interruptions; late openings; rates',
        description: 'format=csv returns UTF-8 CSV with a BOM and Chinese headers (opens in Excel).',
        security: [{ bearer: [] }],
        querystring: querystring(byParam),
        response: { 200: reportSchema, ...errors(400, 401, 403), 503: ref('Error') },
      },
    },
    async (req, reply) => {
      const q = {
        ...question(req.query, req.principal!),
        by: req.query.by ?? 'day',
        scope: req.query.scope ?? 'counter',
      };
      if (!d.reports) throw statsUnavailable();
      if (req.query.format === 'csv')
        return sendCsv(reply, `uptime-${q.hall}-${fileDate(d, q.from)}`, await d.reports.uptimeCsv(q));
      return d.reports.uptime(q);
    },
  );

  app.get<{ Querystring: StatsQuery }>(
    '/api/stats/equipment',
    {
      preHandler: auth(d, ['facility', 'assessor']),
      schema: {
        tags: ['stats'],
        summary: 'Per equipment: service-time availability, faults, mean time to repair',
        description: 'format=csv returns UTF-8 CSV with a BOM and Chinese headers.',
        security: [{ bearer: [] }],
        querystring: querystring(),
        response: { 200: reportSchema, ...errors(400, 401, 403), 503: ref('Error') },
      },
    },
    async (req, reply) => {
      const q = question(req.query, req.principal!);
      if (!d.reports) throw statsUnavailable();
      if (req.query.format === 'csv')
        return sendCsv(reply, `equipment-${q.hall}-${fileDate(d, q.from)}`, await d.reports.equipmentCsv(q));
      return d.reports.equipment(q);
    },
  );

  app.get<{ Querystring: StatsQuery }>(
    '/api/stats/environment',
    {
      preHandler: auth(d, ['facility', 'assessor', 'supervisor']),
      schema: {
        tags: ['stats'],
        summary: 'Per sensor and metric: share of service time inside the thresholds (环境达标率)',
        security: [{ bearer: [] }],
        querystring: querystring(),
        response: { 200: reportSchema, ...errors(400, 401, 403), 503: ref('Error') },
      },
    },
    async (req, reply) => {
      const { counter: _c, ...q } = question(req.query, req.principal!);
      if (!d.reports) throw statsUnavailable();
      if (req.query.format === 'csv')
        return sendCsv(
          reply,
          `environment-${q.hall}-${fileDate(d, q.from)}`,
          await d.reports.csv('environment', q),
        );
      return d.reports.environment(q);
    },
  );

  app.get<{ Querystring: StatsQuery }>(
    '/api/stats/no-absence',
    {
      preHandler: auth(d, ['assessor', 'supervisor']),
      schema: {
        tags: ['stats'],
        summary: '无缺位制度: interruptions per counter and staff in the year and each month, with the level',
        security: [{ bearer: [] }],
        querystring: querystring(),
        response: { 200: reportSchema, ...errors(400, 401, 403), 503: ref('Error') },
      },
    },
    async (req, reply) => {
      const q = question(req.query, req.principal!);
      if (!d.reports) throw statsUnavailable();
      if (req.query.format === 'csv')
        return sendCsv(
          reply,
          `no-absence-${q.hall}-${fileDate(d, q.from)}`,
          await d.reports.csv('noAbsence', q),
        );
      return d.reports.noAbsence(q);
    },
  );

  app.get<{ Querystring: StatsQuery }>(
    '/api/stats/workbook.xlsx',
    {
      preHandler: auth(d, ['assessor', 'supervisor']),
      schema: {
        tags: ['stats'],
        summary: 'Every report as one Excel workbook (a sheet per report, Chinese headers)',
        security: [{ bearer: [] }],
        querystring: querystring({ by: byParam.by }),
        response: { ...errors(400, 401, 403), 503: ref('Error') },
      },
    },
    async (req, reply) => {
      const q = { ...question(req.query, req.principal!), by: req.query.by ?? 'day' };
      if (!d.reports) throw statsUnavailable();
      const xlsx = await d.reports.xlsx(q);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="hallwatch-${q.hall}-${fileDate(d, q.from)}.xlsx"`,
        )
        .send(xlsx);
    },
  );
}

const fileDate = (d: RouteDeps, t: number) => zoneOf(d.config.timezone).localDate(t);
