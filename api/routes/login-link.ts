// POST /api/login-link: a one-time login link's code (api/login-links.ts) → a session token the
// board then sends as its bearer token. No token needed; a wrong, used or expired code counts as a
// failed authentication of the caller's address, like a wrong token.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../deps.ts';
import { ApiError, authThrottled } from '../errors.ts';
import { errors } from '../schemas.ts';

export async function loginLinkRoutes(app: FastifyInstance, d: RouteDeps): Promise<void> {
  app.post(
    '/api/login-link',
    {
      schema: {
        tags: ['board'],
        summary: 'Exchange the code of a one-time login link (the demo prints one) for a session token',
        body: {
          type: 'object',
          properties: { code: { type: 'string', minLength: 1, maxLength: 200 } },
          required: ['code'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              token: { type: 'string', description: 'send as Authorization: Bearer <token>' },
              name: { type: 'string' },
              role: { type: 'string' },
              expiresAt: { type: 'integer', description: 'epoch ms (wall clock)' },
            },
          },
          ...errors(400, 401, 429),
        },
      },
    },
    async (req) => {
      const wait = d.authFailures.retryAfter(req.ip);
      if (wait > 0) throw authThrottled(wait);
      const session = d.loginLinks.redeem((req.body as { code: string }).code);
      if (!session) {
        d.authFailures.fail(req.ip);
        req.log.warn({ reason: 'login_link_invalid', ip: req.ip }, 'login link refused');
        throw new ApiError(
          401,
          'login_link_invalid',
          '登录链接无效、已使用或已过期,请使用访问令牌登录',
          'the login link is unknown, used or expired: sign in with a token',
        );
      }
      req.log.info({ user: session.principal.name }, 'signed in with a login link');
      return {
        token: session.token,
        name: session.principal.name,
        role: session.principal.role,
        expiresAt: session.expiresAt,
      };
    },
  );
}
