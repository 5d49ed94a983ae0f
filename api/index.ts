// The HTTP API and the live board, served from the process that runs the alerts service.
import type { AlertsService } from '../alerts/types.ts';
import { createCalendar } from '../core/calendar/index.ts';
import { HallWatchError } from '../core/errors.ts';
import { createReports } from '../reports/index.ts';
import type { Reports } from '../reports/types.ts';
import type { Service, ServiceContext } from '../runtime/service.ts';
import type { Role } from './auth.ts';
import { buildApi } from './server.ts';

export { type Api, type ApiDeps, type ApiOptions, buildApi } from './server.ts';

export interface ApiService extends Service {
  readonly name: 'api';
  /** http://host:port of the listening socket. */
  readonly url: string;
  /**
   * A one-time login link signing in as the first configured token of `role` (api/login-links.ts).
   * Only the demo calls it; there is no HTTP route that issues links.
   */
  loginLink(role: Role): string;
}

export async function startApi(ctx: ServiceContext, reports?: Reports): Promise<ApiService> {
  const alerts = ctx.services.get('alerts') as AlertsService | undefined;
  if (!alerts)
    throw new HallWatchError(
      'the api needs the alerts service in the same process: start alerts before api (--only alerts,api)',
      'api_needs_alerts',
    );
  const listen = ctx.config.api.listen;
  if (!ctx.config.api.tokens.length)
    ctx.logger.warn(
      'api.tokens is empty: nobody can sign in to the board (add tokens with npm run hash-password)',
    );
  // Statistics read InfluxDB: without config.influx the stats routes answer 503 with the reason.
  const own = !reports && ctx.config.influx ? createOwnReports(ctx) : undefined;
  const stats = reports ?? own;
  const app = await buildApi({
    config: ctx.config,
    alerts,
    services: ctx.services,
    logger: ctx.logger,
    clock: ctx.clock,
    ...(stats ? { reports: stats } : {}),
  });
  await app.listen({ host: listen.host, port: listen.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : listen.port;
  const host = listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host;
  const url = `http://${host}:${port}`;
  ctx.logger.info({ url }, `看板地址 / board: ${url}/`);
  return {
    name: 'api',
    url,
    health: () => app.apiHealth(),
    loginLink(role) {
      const t = ctx.config.api.tokens.find((x) => x.role === role);
      if (!t) throw new HallWatchError(`api.tokens has no ${role} token to sign in as`, 'no_token_for_role');
      const { code } = app.loginLinks.issue({ name: t.name, role, ...(t.halls ? { halls: t.halls } : {}) });
      return `${url}/#login=${code}`;
    },
    stop: async () => {
      await app.close();
      await own?.close();
    },
  };
}

function createOwnReports(ctx: ServiceContext): Reports {
  const calendar = createCalendar(ctx.config, { onWarning: () => {} });
  return createReports({ config: ctx.config, calendar, logger: ctx.logger });
}
