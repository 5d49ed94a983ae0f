// GET /metrics: Prometheus exposition of every service in this process (runtime/metrics.ts).
// Admin token only (Prometheus sends it as `authorization: credentials_file`): the counters name
// reject reasons and channels, which an anonymous caller has no business reading.
import type { FastifyInstance } from 'fastify';
import { METRICS_CONTENT_TYPE, metricsOf, processRegistry } from '../../runtime/metrics.ts';
import { auth, type RouteDeps } from '../deps.ts';

export async function metricsRoutes(app: FastifyInstance, d: RouteDeps) {
  const own = processRegistry();
  app.get(
    '/metrics',
    {
      preHandler: auth(d, ['admin']),
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics of every service in this process (admin token)',
        security: [{ bearer: [] }],
      },
    },
    async (_req, reply) =>
      reply
        .header('content-type', METRICS_CONTENT_TYPE)
        .header('cache-control', 'no-store')
        .send(await metricsOf(d.services.values(), own)),
  );
}
