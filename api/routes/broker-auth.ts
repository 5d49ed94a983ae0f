// EMQX 5's HTTP authenticator and authoriser (docs/broker.md "EMQX"): a city runs an EMQX cluster
// in front and asks HallWatch about every login and topic. The answers are the embedded broker's
// (broker/http-auth.ts: same Authenticator, throttle, ACL); this file only speaks EMQX's shapes:
// 200 `{"result": "allow"|"deny", "is_superuser": false}` and `{"result": "allow"|"deny"}`.
// Callers prove themselves with the shared secret in `x-hallwatch-broker-secret`; a wrong one
// counts as a failed authentication of the caller's address, like a wrong API token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BrokerDecisions } from '../../broker/http-auth.ts';
import type { RouteDeps } from '../deps.ts';
import { ApiError, authThrottled } from '../errors.ts';
import { errors } from '../schemas.ts';

const SECRET_HEADER = 'x-hallwatch-broker-secret';

const result = {
  type: 'object',
  properties: {
    result: { type: 'string', enum: ['allow', 'deny'] },
    is_superuser: { type: 'boolean' },
  },
  required: ['result'],
};
const str = (maxLength: number) => ({ type: 'string', maxLength });

export async function brokerAuthRoutes(app: FastifyInstance, d: RouteDeps): Promise<void> {
  const cfg = d.config.api.brokerAuth;
  if (!cfg) return;
  const want = Buffer.from(cfg.secretHash.slice('sha256$'.length), 'hex');
  const hasSecret = (req: FastifyRequest) => {
    const s = req.headers[SECRET_HEADER];
    if (typeof s !== 'string' || s === '') return false;
    return timingSafeEqual(createHash('sha256').update(s).digest(), want);
  };
  const decisions = new BrokerDecisions(d.config, () => d.clock.now());
  // An EMQX cluster sends every login and topic check from a few addresses: callers with the
  // secret get their own budget; anyone else shares their address's ordinary budget.
  const rateLimit = {
    max: (_req: FastifyRequest, key: string) =>
      key === 'broker-auth' ? cfg.rateLimit.max : d.config.api.rateLimit.max,
    timeWindow: cfg.rateLimit.window,
    keyGenerator: (req: FastifyRequest) => (hasSecret(req) ? 'broker-auth' : `ip:${req.ip}`),
  };
  const guard = async (req: FastifyRequest) => {
    const wait = d.authFailures.retryAfter(req.ip);
    if (wait > 0) throw authThrottled(wait);
    if (hasSecret(req)) return;
    d.authFailures.fail(req.ip);
    req.log.warn({ reason: 'broker_secret_invalid', ip: req.ip }, 'broker auth request refused');
    throw new ApiError(
      401,
      'broker_secret_invalid',
      `代理认证密钥缺失或错误(${SECRET_HEADER})`,
      `missing or wrong ${SECRET_HEADER}`,
    );
  };

  app.post(
    '/api/broker/emqx/authn',
    {
      config: { rateLimit },
      preHandler: guard,
      schema: {
        tags: ['broker'],
        summary: 'EMQX HTTP authentication: may this MQTT login connect? (docs/broker.md "EMQX")',
        body: {
          type: 'object',
          properties: {
            username: str(256),
            password: str(1024),
            clientid: str(256),
            peerhost: str(64),
          },
        },
        response: { 200: result, ...errors(400, 401, 429, 503) },
      },
    },
    async (req, reply) => {
      const b = req.body as { username?: string; password?: string; clientid?: string; peerhost?: string };
      const r = await decisions.login(b, req.ip);
      if (!r.allow) {
        // EMQX treats a non-200 answer as "ignore": a busy check must not read as a wrong password.
        if (r.reason === 'login_busy')
          throw new ApiError(
            503,
            'login_busy',
            '登录校验繁忙,请稍后重试',
            'too many logins waiting for a password check',
          );
        req.log.warn(
          { reason: r.reason, username: b.username, clientId: b.clientid, peerhost: b.peerhost },
          'EMQX login denied',
        );
      }
      return reply.send({ result: r.allow ? 'allow' : 'deny', is_superuser: false });
    },
  );

  app.post(
    '/api/broker/emqx/authz',
    {
      config: { rateLimit },
      preHandler: guard,
      schema: {
        tags: ['broker'],
        summary: 'EMQX HTTP authorisation: may this client publish or subscribe to this topic?',
        body: {
          type: 'object',
          properties: {
            username: str(256),
            clientid: str(256),
            topic: { type: 'string', minLength: 1, maxLength: 1024 },
            action: { type: 'string', enum: ['publish', 'subscribe'] },
          },
          required: ['topic', 'action'],
        },
        response: { 200: result, ...errors(400, 401, 429) },
      },
    },
    async (req) => {
      const b = req.body as {
        username?: string;
        clientid?: string;
        topic: string;
        action: 'publish' | 'subscribe';
      };
      const r = decisions.topic(b);
      if (!r.allow)
        req.log.info(
          { reason: r.reason, username: b.username, topic: b.topic, action: b.action },
          'EMQX topic denied',
        );
      return { result: r.allow ? 'allow' : 'deny' };
    },
  );
}
