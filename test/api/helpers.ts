// Fixtures for the API tests: a two-hall config with a token per role (one limited to a hall, one
// stored as a scrypt hash), and buildApi wired to the real alerts service (test/api/live-alerts.ts).
import pino from 'pino';
import { type ApiOptions, buildApi } from '../../api/index.ts';
import { parseConfig } from '../../core/config/load.ts';
import type { Config } from '../../core/config/schema.ts';
import type { Reports } from '../../reports/types.ts';
import { hashPassword, hashToken } from '../../runtime/secrets.ts';
import { startLiveAlerts } from './live-alerts.ts';

export const TOKENS = {
  supervisor: 'tok-supervisor-0123456789',
  facility: 'tok-facility-0123456789',
  assessor: 'tok-assessor-0123456789',
  admin: 'tok-admin-0123456789',
  /** supervisor limited to hall `east` */
  eastOnly: 'tok-east-0123456789',
  /** stored as an scrypt hash (the slow format: checked once, then cached) */
  scryptFacility: 'tok-scrypt-0123456789',
} as const;

export function testConfig(
  overrides: {
    rateLimit?: { max: number; window: string };
    authFailures?: { max: number; window: string };
  } = {},
): Config {
  return parseConfig({
    timezone: 'Asia/Shanghai',
    // No readiness window and no R22 no-show within the tests' morning: only the alerts a test causes.
    rules: { readinessLead: '0s', noShowLimit: '4h' },
    api: {
      listen: { host: '127.0.0.1', port: 0 },
      tokens: [
        { name: '张主任', tokenHash: hashToken(TOKENS.supervisor), role: 'supervisor' },
        { name: '设备科李工', tokenHash: hashToken(TOKENS.facility), role: 'facility' },
        { name: '考核办王科长', tokenHash: hashToken(TOKENS.assessor), role: 'assessor' },
        { name: '系统管理员', tokenHash: hashToken(TOKENS.admin), role: 'admin' },
        { name: '东厅值班长', tokenHash: hashToken(TOKENS.eastOnly), role: 'supervisor', halls: ['east'] },
        { name: '设备科赵工', tokenHash: hashPassword(TOKENS.scryptFacility), role: 'facility' },
      ],
      ...(overrides.rateLimit ? { rateLimit: overrides.rateLimit } : {}),
      ...(overrides.authFailures ? { authFailures: overrides.authFailures } : {}),
    },
    halls: [
      {
        id: 'cz-main',
        name: '市政务服务中心',
        sessions: { 'mon-fri': ['09:00-12:00', '13:30-17:00'] },
        thresholds: { lux: { min: 300 }, temperature: { min: 18, max: 28 }, co2: { max: 1000 } },
        equipment: [{ id: 'queue', kind: 'queue', name: '排队叫号机' }],
        sensors: [{ id: 'env1', name: '东区环境传感器', counter: 'w07' }],
        counters: [
          {
            id: 'w07',
            name: '7号窗口 公积金',
            seats: ['s1'],
            roster: { a: 'E1023', b: 'E2051' },
            position: { row: 0, col: 0 },
            equipment: [
              { id: 'pc', kind: 'pc' },
              { id: 'printer', kind: 'printer' },
            ],
          },
          { id: 'w12', name: '12号窗口 社保', seats: ['s1', 's2'], position: { row: 0, col: 1 } },
        ],
      },
      {
        id: 'east',
        name: '东区分中心',
        sessions: { 'mon-fri': ['09:00-17:00'] },
        counters: [{ id: 'e01', name: '1号窗口', seats: ['s1'] }],
      },
    ],
  });
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** buildApi on the real alerts service (its clock is the API's); closing the app stops both. */
export async function testApi(
  opts: { config?: Config; reports?: Reports; options?: ApiOptions; logger?: pino.Logger } = {},
) {
  const config = opts.config ?? testConfig();
  const live = await startLiveAlerts(config);
  const app = await buildApi({
    config,
    alerts: live.service,
    clock: live.clock,
    logger: opts.logger ?? pino({ level: 'silent' }),
    ...(opts.reports ? { reports: opts.reports } : {}),
    ...(opts.options ? { options: opts.options } : {}),
  });
  app.addHook('onClose', () => live.close());
  return { app, alerts: live.service, live, config };
}
