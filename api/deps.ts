// What every route module receives from buildApi.

import type { AlertsService } from '../alerts/types.ts';
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config/schema.ts';
import type { Reports } from '../reports/types.ts';
import type { Logger } from '../runtime/logger.ts';
import type { Service, ServiceName } from '../runtime/service.ts';
import { type AuthFailures, type Role, requireRole, type TokenVerifier } from './auth.ts';
import type { EventHub } from './event-hub.ts';
import type { LoginLinks } from './login-links.ts';

export interface RouteDeps {
  config: Config;
  alerts: AlertsService;
  services: Map<ServiceName, Service>;
  reports?: Reports;
  verifier: TokenVerifier;
  /** One-time login links and the sessions they open. */
  loginLinks: LoginLinks;
  /** Authentication failures per source address (api.authFailures). */
  authFailures: AuthFailures;
  hub: EventHub;
  clock: Clock;
  logger: Logger;
  heartbeatMs: number;
  maxStreams: number;
}

/** preHandler for a role list; `any` = any valid token. */
export const auth = (d: RouteDeps, roles: readonly Role[] | 'any', allowQueryToken = false) =>
  requireRole(d.verifier, roles, allowQueryToken, d.authFailures);
