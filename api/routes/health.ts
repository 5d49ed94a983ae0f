// GET /api/health: no token needed (load balancers, the demo, CI). Without a valid token it says
// only whether each service is ok/degraded/down: no error texts, addresses or file paths. With one,
// each service's details follow, with credential-like keys dropped and user:password@ cut from URLs.
import type { FastifyInstance } from 'fastify';
import type { ServiceHealth } from '../../runtime/service.ts';
import { tokenOf } from '../auth.ts';
import type { RouteDeps } from '../deps.ts';

const SECRET_KEY = /pass(word)?|secret|token|credential|authorization|api[-_]?key|^key$/i;

export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return value.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1');
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrub(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEY.test(k)) out[k] = scrub(v, depth + 1);
    return out;
  }
  return value;
}

export async function healthRoutes(app: FastifyInstance, d: RouteDeps, self: () => ServiceHealth) {
  const started = d.clock.now();
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and each service of this process (broker, ingest spool, InfluxDB, alerts)',
        description:
          '200 while every service is ok or degraded; 503 when one is down. No token needed; details only with a valid token.',
        response: {
          '2xx': { $ref: 'Health#' },
          503: { $ref: 'Health#' },
        },
      },
    },
    async (req, reply) => {
      let token: string | null = null;
      try {
        token = tokenOf(req, false);
      } catch {
        token = null;
      }
      const detailed = token !== null && (await d.verifier.verify(token)) !== null;
      const services: Record<string, ServiceHealth | Pick<ServiceHealth, 'status'>> = {};
      for (const [name, svc] of d.services) {
        if (name === 'api') continue;
        try {
          services[name] = scrub(svc.health()) as ServiceHealth;
        } catch (err) {
          d.logger.warn({ err, service: name }, 'health() threw');
          services[name] = { status: 'down', details: { error: 'health check failed' } };
        }
      }
      services.api = scrub(self()) as ServiceHealth;
      if (!detailed) for (const [name, h] of Object.entries(services)) services[name] = { status: h.status };
      const all = Object.values(services).map((s) => s.status);
      const status = all.includes('down') ? 'down' : all.includes('degraded') ? 'degraded' : 'ok';
      return reply.code(status === 'down' ? 503 : 200).send({
        status,
        time: d.clock.now(),
        uptimeSeconds: Math.round((d.clock.now() - started) / 1000),
        services,
      });
    },
  );
}

export const healthSchema = {
  $id: 'Health',
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'down'] },
    time: { type: 'integer' },
    uptimeSeconds: { type: 'integer' },
    services: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['ok', 'degraded', 'down'] },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;
