// buildApi: the fastify instance with every plugin and route, no listening socket and no MQTT,
// so tests drive it with inject() or listen on port 0 themselves.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { AlertsService } from '../alerts/types.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import type { Config } from '../core/config/schema.ts';
import type { Reports } from '../reports/types.ts';
import type { Logger } from '../runtime/logger.ts';
import type { Service, ServiceHealth, ServiceName } from '../runtime/service.ts';
import { AuthFailures, TokenVerifier } from './auth.ts';
import type { RouteDeps } from './deps.ts';
import { installErrorHandlers } from './errors.ts';
import { EventHub } from './event-hub.ts';
import { LoginLinks } from './login-links.ts';
import { alertRoutes } from './routes/alerts.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { brokerAuthRoutes } from './routes/broker-auth.ts';
import { hallRoutes } from './routes/halls.ts';
import { healthRoutes, healthSchema } from './routes/health.ts';
import { loginLinkRoutes } from './routes/login-link.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { policyRoutes } from './routes/policy.ts';
import { statsRoutes } from './routes/stats.ts';
import { streamRoutes } from './routes/stream.ts';
import { vocabularyRoutes } from './routes/vocabulary.ts';
import { SHARED_SCHEMAS } from './schemas.ts';

export interface ApiOptions {
  /** SSE heartbeat comment interval (default 15 s; tests use less). */
  heartbeatMs?: number;
  /** Events kept for Last-Event-ID resume (default 1000). */
  ringSize?: number;
  maxStreams?: number;
  /** Folder of the board's static files (default board/ of this repository). */
  boardRoot?: string;
}

export interface ApiDeps {
  config: Config;
  alerts: AlertsService;
  services?: Map<ServiceName, Service>;
  logger: Logger;
  reports?: Reports;
  clock?: Clock;
  options?: ApiOptions;
}

export type Api = FastifyInstance & { hub: EventHub; apiHealth: () => ServiceHealth; loginLinks: LoginLinks };

const HERE = dirname(fileURLToPath(import.meta.url));
const ECHARTS_DIR = dirname(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'));

/** Query-string tokens (only /api/stream takes one) never reach a log line. */
export const redactUrl = (url: string) => url.replace(/([?&]token=)[^&]*/gi, '$1[redacted]');

export async function buildApi(deps: ApiDeps): Promise<Api> {
  const { config, alerts, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const apiConfig = config.api;
  const services = new Map(deps.services ?? []);
  if (!services.has('alerts')) services.set('alerts', alerts);

  // Typed as the default instance: pino's Logger generic otherwise leaks into every route module.
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }) as unknown as FastifyInstance;

  const loginLinks = new LoginLinks();
  const verifier = new TokenVerifier(apiConfig.tokens, () => clock.now(), loginLinks);
  const hub = new EventHub(deps.options?.ringSize ?? 1_000);
  const d: RouteDeps = {
    config,
    alerts,
    services,
    ...(deps.reports ? { reports: deps.reports } : {}),
    verifier,
    loginLinks,
    authFailures: new AuthFailures(apiConfig.authFailures.max, apiConfig.authFailures.window, () =>
      clock.now(),
    ),
    hub,
    clock,
    logger,
    heartbeatMs: deps.options?.heartbeatMs ?? 15_000,
    maxStreams: deps.options?.maxStreams ?? 200,
  };

  installErrorHandlers(app, logger);
  // One line per request, without headers (the Authorization header is never logged).
  app.addHook('onResponse', async (req, reply) => {
    const line = {
      method: req.method,
      url: redactUrl(req.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      ...(req.principal ? { user: req.principal.name } : {}),
    };
    if (reply.statusCode >= 500) req.log.error(line, 'request');
    else if (req.url.startsWith('/api/') && req.url !== '/api/health') req.log.info(line, 'request');
    else req.log.debug(line, 'request');
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
        // Halls serve the board over plain HTTP on the LAN: upgrading would break it.
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
  });
  if (apiConfig.cors?.origins.length) await app.register(cors, { origin: apiConfig.cors.origins });
  await app.register(rateLimit, {
    max: apiConfig.rateLimit.max,
    timeWindow: apiConfig.rateLimit.window,
    // A valid token has its own budget; anything else (no token, a guess) shares the budget of its
    // source address, so a fresh guess never brings a fresh budget. An address already throttled
    // for failed logins is not verified again.
    keyGenerator: async (req) => {
      const h = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      const token = h ?? (req.query as { token?: string } | undefined)?.token;
      if (typeof token !== 'string' || d.authFailures.retryAfter(req.ip) > 0) return `ip:${req.ip}`;
      return (await verifier.verify(token))
        ? `t:${createHash('sha256').update(token).digest('base64url')}`
        : `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) => {
      const e = Object.assign(new Error(`rate limit exceeded, retry in ${ctx.after}`), { statusCode: 429 });
      return e;
    },
  });

  for (const s of [...SHARED_SCHEMAS, healthSchema]) app.addSchema(s);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'HallWatch API',
        description:
          '政务服务大厅在岗与环境监测 HTTP API (CONTRACT §6). Errors carry messageZh, messageEn and the field.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          queryToken: { type: 'apiKey', in: 'query', name: 'token' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Swagger UI sets inline styles; the page loads no third-party code, so allow them here only.
    transformStaticCSP: (h) =>
      h
        .replace(/upgrade-insecure-requests;?/, '')
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  });

  await app.register(fastifyStatic, {
    root: deps.options?.boardRoot ?? join(HERE, '..', 'board'),
    prefix: '/',
    wildcard: false,
    cacheControl: true,
    maxAge: 0,
  });
  app.get('/vendor/echarts.min.js', { schema: { hide: true } }, (_req, reply) =>
    reply.header('cache-control', 'public, max-age=86400').sendFile('echarts.min.js', ECHARTS_DIR),
  );

  let streams = { closeAll: () => {}, count: () => 0 };
  const apiHealth = (): ServiceHealth => ({
    status: 'ok',
    details: { streams: streams.count(), lastEventId: hub.lastId, bufferedEvents: hub.size },
  });
  await healthRoutes(app, d, apiHealth);
  await metricsRoutes(app, d);
  await hallRoutes(app, d);
  await loginLinkRoutes(app, d);
  await alertRoutes(app, d);
  await policyRoutes(app, d);
  await approvalRoutes(app, d);
  await brokerAuthRoutes(app, d);
  await statsRoutes(app, d);
  await vocabularyRoutes(app);
  streams = await streamRoutes(app, d);

  // The alerts service's events become numbered SSE events.
  const unsubscribe = alerts.subscribe((e) => {
    switch (e.type) {
      case 'state':
        hub.publish('state', e.counter.hall, e.counter);
        break;
      case 'alert':
        hub.publish('alert', e.alert.hall, e.alert);
        break;
      case 'equipment':
        hub.publish('equipment', e.equipment.hall, e.equipment);
        break;
      case 'env':
        hub.publish('env', e.env.hall, e.env);
        break;
    }
  });
  app.addHook('preClose', async () => {
    unsubscribe();
    streams.closeAll();
  });

  return Object.assign(app, { hub, apiHealth, loginLinks });
}
