// Every route × role × error code as one table, run twice: through fastify.inject and over a real
// HTTP socket (the two test files share it so they cannot drift apart).
import { expect } from 'vitest';
import { TOKENS } from './helpers.ts';
import type { LiveAlerts } from './live-alerts.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of a test table
type J = any;

export interface Case {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  token?: string;
  /** Raw header value, to test malformed Authorization headers. */
  authorization?: string;
  body?: unknown;
  status: number;
  /** The field a 400 must name. */
  field?: string;
  check?: (body: J) => void;
}

export interface Seeded {
  open: string;
  resolved: string;
  east: string;
  fault: string;
}

const W07 = 'hall/cz-main/counter/w07';
const HOUR = { from: '2026-03-09T14:00', to: '2026-03-09T15:00' };
/** Request bodies of leave and closures (R24) for 14:00–15:00 on TEST_DAY, changed where a case needs it. */
const leave = (over: object) => ({ hall: 'cz-main', staff: 'E1023', ...HOUR, ...over });
const closure = (over: object) => ({ hall: 'cz-main', counter: 'w07', ...HOUR, ...over });
const E01 = 'hall/east/counter/e01';

/**
 * A morning on TEST_DAY as devices tell it to the real alerts service: e01 opens late (09:00), w07
 * leaves without the sign and comes back (a resolved 脱岗), leaves with it for too long (an open
 * one), then its printer runs out of paper and the light is low. w12 never reports (unknown).
 */
export async function seed(h: LiveAlerts): Promise<Seeded> {
  await h.at(
    '08:50',
    [`${W07}/seat/s1`, { occupied: true }],
    [`${W07}/sign`, { sign: 'none' }],
    [`${W07}/equipment/pc`, { status: 'ok' }],
    [`${W07}/equipment/printer`, { status: 'ok' }],
    ['hall/cz-main/equipment/queue', { status: 'ok' }],
    [`${E01}/seat/s1`, { occupied: false }],
    [`${E01}/sign`, { sign: 'none' }],
  );
  await h.at('09:00');
  await h.at('09:05', [`${W07}/seat/s1`, { occupied: false }]);
  await h.at('09:08');
  await h.at('09:10', [`${W07}/seat/s1`, { occupied: true }]);
  await h.at('09:20', [`${W07}/sign`, { sign: 'away' }], [`${W07}/seat/s1`, { occupied: false }]);
  await h.at('09:31');
  await h.at(
    '09:32',
    [`${W07}/equipment/printer`, { status: 'fault', code: 'PAPER_OUT' }],
    ['hall/cz-main/env/env1', { lux: 180, co2: 650 }],
  );
  const alerts = h.service.listAlerts({});
  const one = (what: string, pick: (a: (typeof alerts)[number]) => boolean) => {
    const found = alerts.filter(pick);
    expect(found, what).toHaveLength(1);
    return found[0]!.id;
  };
  const seeded = {
    open: one(
      'open 脱岗 on w07',
      (a) => a.type === 'unattended' && a.counter === 'w07' && a.status === 'open',
    ),
    resolved: one('resolved 脱岗 on w07', (a) => a.type === 'unattended' && a.status === 'resolved'),
    east: one('late opening in east', (a) => a.hall === 'east'),
    fault: one('printer fault', (a) => a.type === 'equipment_fault'),
  };
  expect(alerts).toHaveLength(4);
  return seeded;
}

type Method = Case['method'];
/** One row of the table: who asks what ("POST /api/…"), and what the API must answer. */
function row(
  name: string,
  request: `${Method} ${string}`,
  token: string | undefined,
  status: number,
  more: Partial<Pick<Case, 'authorization' | 'body' | 'field' | 'check'>> = {},
): Case {
  const at = request.indexOf(' ');
  return {
    name,
    method: request.slice(0, at) as Method,
    url: request.slice(at + 1),
    ...(token ? { token } : {}),
    status,
    ...more,
  };
}

export function cases(s: Seeded): Case[] {
  const { supervisor, facility, assessor, admin, eastOnly, scryptFacility } = TOKENS;
  return [
    // health: no token, no secrets
    row('health without a token', 'GET /api/health', undefined, 200, {
      check: (b) => expect(b.services.alerts.status).toBe('ok'),
    }),
    // 401s
    row('counters without a token → 401', 'GET /api/halls/cz-main/counters', undefined, 401),
    row('counters with a wrong token → 401', 'GET /api/halls/cz-main/counters', 'nope', 401),
    row('malformed Authorization → 401', 'GET /api/me', undefined, 401, { authorization: 'Basic abc' }),
    // me
    row('me as assessor: no acknowledge', 'GET /api/me', assessor, 200, {
      check: (b) => expect([b.role, b.can.acknowledge, b.can.uptimeStats]).toEqual(['assessor', false, true]),
    }),
    row('me as supervisor: acknowledge', 'GET /api/me', supervisor, 200, {
      check: (b) => expect(b.can.acknowledge).toBe(true),
    }),
    row('me with an scrypt-hashed token', 'GET /api/me', scryptFacility, 200, {
      check: (b) => expect(b.name).toBe('设备科赵工'),
    }),
    // halls
    row('halls for a token limited to east', 'GET /api/halls', eastOnly, 200, {
      check: (b) => expect(b.map((h: J) => h.id)).toEqual(['east']),
    }),
    row('hall layout', 'GET /api/halls/cz-main', assessor, 200, {
      check: (b) => expect(b.counters[0]).toMatchObject({ counter: 'w07', position: { row: 0, col: 0 } }),
    }),
    row('unknown hall → 404', 'GET /api/halls/nowhere/counters', supervisor, 404, { field: 'hall' }),
    row('bad hall id → 400 naming hall', 'GET /api/halls/BAD_ID/counters', supervisor, 400, {
      field: 'hall',
    }),
    row('hall outside the token → 403', 'GET /api/halls/cz-main/counters', eastOnly, 403),
    row(
      'counters: live state, sign, open alerts, equipment',
      'GET /api/halls/cz-main/counters',
      assessor,
      200,
      {
        check: (b) => {
          const w07 = b.find((c: J) => c.counter === 'w07');
          expect(w07).toMatchObject({
            state: 'unattended',
            sign: 'away',
            staffOnPost: 0,
            seats: { s1: false },
            staff: [],
          });
          expect(w07.openAlerts.map((a: J) => a.id)).toEqual([s.open, s.fault]);
          expect(w07.equipment.find((e: J) => e.equipment === 'printer')).toMatchObject({
            status: 'fault',
            code: 'PAPER_OUT',
          });
        },
      },
    ),
    row('one counter', 'GET /api/halls/cz-main/counters/w12', facility, 200, {
      check: (b) => expect(b.seats).toEqual({ s1: false, s2: false }),
    }),
    row('unknown counter → 404', 'GET /api/halls/cz-main/counters/w99', facility, 404, { field: 'counter' }),
    row('equipment list', 'GET /api/halls/cz-main/equipment', facility, 200, {
      check: (b) =>
        expect(b.map((e: J) => `${e.counter ?? '-'}/${e.equipment}`)).toEqual([
          '-/queue',
          'w07/pc',
          'w07/printer',
        ]),
    }),
    row('environment against thresholds', 'GET /api/halls/cz-main/environment', facility, 200, {
      check: (b) =>
        expect(b[0]).toMatchObject({ sensor: 'env1', readings: { lux: 180 }, outOfBand: ['lux'] }),
    }),
    row(
      'history without the reports module → 503',
      'GET /api/halls/cz-main/counters/w07/history?date=2026-03-09',
      assessor,
      503,
    ),
    row(
      'history with an impossible date → 400',
      'GET /api/halls/cz-main/counters/w07/history?date=2026-02-30',
      assessor,
      400,
      { field: 'date' },
    ),
    // alerts
    row('alerts newest first, token halls applied', 'GET /api/alerts', supervisor, 200, {
      check: (b) => expect(b.map((a: J) => a.id)).toEqual([s.fault, s.open, s.resolved, s.east]),
    }),
    row('alerts for a token limited to east', 'GET /api/alerts', eastOnly, 200, {
      check: (b) => expect(b.map((a: J) => a.id)).toEqual([s.east]),
    }),
    row(
      'alerts filtered by hall,status,type',
      'GET /api/alerts?hall=cz-main&status=open,acknowledged&type=unattended',
      assessor,
      200,
      { check: (b) => expect(b.map((a: J) => a.id)).toEqual([s.open]) },
    ),
    row('alerts with a bad status → 400 naming status', 'GET /api/alerts?status=opened', assessor, 400, {
      field: 'status',
    }),
    row('alerts with a bad from → 400 naming from', 'GET /api/alerts?from=yesterday', assessor, 400, {
      field: 'from',
    }),
    row(
      'alerts with to before from → 400 naming to',
      'GET /api/alerts?from=2026-03-09&to=2026-03-08',
      assessor,
      400,
      { field: 'to' },
    ),
    row('alerts with an unknown parameter → 400 naming it', 'GET /api/alerts?stauts=open', assessor, 400, {
      field: 'stauts',
    }),
    row('alerts of a hall outside the token → 403', 'GET /api/alerts?hall=cz-main', eastOnly, 403),
    row('one alert', `GET /api/alerts/${s.open}`, assessor, 200, {
      check: (b) =>
        expect(b).toMatchObject({
          id: s.open,
          type: 'unattended',
          severity: 'critical',
          hall: 'cz-main',
          counter: 'w07',
          status: 'open',
        }),
    }),
    row('unknown alert → 404', 'GET /api/alerts/nope', assessor, 404, { field: 'alert' }),
    row('assessor may not acknowledge → 403', `POST /api/alerts/${s.open}/ack`, assessor, 403, {
      body: { note: 'x' },
    }),
    row('acknowledge without a token → 401', `POST /api/alerts/${s.open}/ack`, undefined, 401, { body: {} }),
    row(
      'acknowledge with a too long note → 400 naming note',
      `POST /api/alerts/${s.open}/ack`,
      supervisor,
      400,
      { body: { note: 'x'.repeat(501) }, field: 'note' },
    ),
    row('acknowledge with an unknown body field → 400', `POST /api/alerts/${s.open}/ack`, supervisor, 400, {
      body: { note: 'x', by: 'me' },
      field: 'by',
    }),
    row('acknowledge an alert outside the token → 403', `POST /api/alerts/${s.open}/ack`, eastOnly, 403, {
      body: {},
    }),
    row('acknowledge an unknown alert → 404', 'POST /api/alerts/nope/ack', supervisor, 404, { body: {} }),
    row(
      "supervisor acknowledges: the alert, acknowledged by the token's user",
      `POST /api/alerts/${s.open}/ack`,
      supervisor,
      200,
      {
        body: { note: '已电话联系B角顶岗' },
        check: (b) => {
          expect(b).toMatchObject({ id: s.open, status: 'acknowledged', acknowledgedBy: '张主任' });
          expect(typeof b.acknowledgedAt).toBe('number');
          expect(b.notes[0]).toMatchObject({
            by: '张主任',
            action: 'acknowledge',
            text: '已电话联系B角顶岗',
          });
        },
      },
    ),
    row('acknowledge a resolved alert → 409', `POST /api/alerts/${s.resolved}/ack`, facility, 409, {
      body: {},
    }),
    row('admin resolves by hand', `POST /api/alerts/${s.east}/resolve`, admin, 200, {
      body: { note: '已处理' },
      check: (b) =>
        expect(b).toMatchObject({ status: 'resolved', resolvedBy: '系统管理员', resolveReason: 'manual' }),
    }),
    row('assessor may not resolve → 403', `POST /api/alerts/${s.open}/resolve`, assessor, 403, { body: {} }),
    row('facility resolves', `POST /api/alerts/${s.open}/resolve`, facility, 200, {
      body: {},
      check: (b) => expect(b.status).toBe('resolved'),
    }),
    // R28 attribution
    row(
      'facility may not change an attribution → 403',
      `POST /api/alerts/${s.resolved}/attribution`,
      facility,
      403,
      { body: { responsible: 'E2051', note: '监控显示当时为B角在岗' } },
    ),
    row(
      'attribution without a note → 400 naming note',
      `POST /api/alerts/${s.resolved}/attribution`,
      supervisor,
      400,
      { body: { responsible: 'E2051' }, field: 'note' },
    ),
    row(
      'attribution naming both a person and void → 400 naming responsible',
      `POST /api/alerts/${s.resolved}/attribution`,
      supervisor,
      400,
      { body: { responsible: 'E2051', void: true, note: '重复' }, field: 'responsible' },
    ),
    row('attribution to an unknown alert → 404', 'POST /api/alerts/nope/attribution', supervisor, 404, {
      body: { void: true, note: '误报' },
    }),
    row(
      'a late opening is not an interruption → 409',
      `POST /api/alerts/${s.east}/attribution`,
      eastOnly,
      409,
      { body: { void: true, note: '系统误报' }, check: (b) => expect(b.message).toContain('不是缺位') },
    ),
    row(
      'supervisor reassigns a resolved interruption with a note (who, when, why kept)',
      `POST /api/alerts/${s.resolved}/attribution`,
      supervisor,
      200,
      {
        body: { responsible: 'E2051', note: '监控显示当时为B角在岗' },
        check: (b) => {
          expect(b.status).toBe('resolved');
          expect(b.details.attribution).toEqual([
            expect.objectContaining({ by: '张主任', responsible: 'E2051', note: '监控显示当时为B角在岗' }),
          ]);
        },
      },
    ),
    // silences; leave and closures (R24)
    row('assessor may not add a silence → 403', 'POST /api/silences', assessor, 403, {
      body: { hall: 'cz-main', from: '2026-03-09T14:00', to: '2026-03-09T15:00', reason: '打印机维修' },
    }),
    row('silence for unknown equipment → 400 naming equipment', 'POST /api/silences', facility, 400, {
      body: {
        hall: 'cz-main',
        counter: 'w07',
        equipment: 'fax',
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '维修',
      },
      field: 'equipment',
    }),
    row('silence without a reason → 400 naming reason', 'POST /api/silences', facility, 400, {
      body: { hall: 'cz-main', from: '2026-03-09T14:00', to: '2026-03-09T15:00' },
      field: 'reason',
    }),
    row('silence with an unknown type → 400 naming types', 'POST /api/silences', facility, 400, {
      body: {
        hall: 'cz-main',
        types: ['fire'],
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: 'x',
      },
      field: 'types.0',
    }),
    row('facility adds a silence (local times in Asia/Shanghai)', 'POST /api/silences', facility, 201, {
      body: {
        hall: 'cz-main',
        counter: 'w07',
        equipment: 'printer',
        types: ['equipment_fault'],
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '打印机维修',
      },
      check: (b) =>
        expect(b).toMatchObject({
          hall: 'cz-main',
          from: Date.UTC(2026, 2, 9, 6),
          to: Date.UTC(2026, 2, 9, 7),
          createdBy: '设备科李工',
        }),
    }),
    row('silences listed', 'GET /api/silences?hall=cz-main', assessor, 200, {
      check: (b) => expect(b).toHaveLength(1),
    }),
    row('delete an unknown silence → 404', 'DELETE /api/silences/nope', facility, 404),
    row('the version-1 /api/absences is gone → 404', 'GET /api/absences', supervisor, 404),
    row('facility may not enter leave → 403', 'POST /api/leave', facility, 403, {
      body: leave({ reason: '事假' }),
    }),
    row('assessor may not enter a closure → 403', 'POST /api/closures', assessor, 403, {
      body: closure({ reason: '系统升级' }),
    }),
    row('leave in another hall than the token may see → 403', 'POST /api/leave', eastOnly, 403, {
      body: leave({ reason: '事假' }),
    }),
    row('leave with seconds → 400 naming from (minute precision)', 'POST /api/leave', supervisor, 400, {
      body: {
        hall: 'cz-main',
        staff: 'E1023',
        from: '2026-03-09T14:00:30',
        to: '2026-03-09T15:00',
        reason: '事假',
      },
      field: 'from',
      check: (b) => expect(b.message).toContain('分钟'),
    }),
    row('leave with seconds in ms → 400 naming to', 'POST /api/leave', supervisor, 400, {
      body: { hall: 'cz-main', staff: 'E1023', from: 1773036000000, to: 1773039600001, reason: '事假' },
      field: 'to',
    }),
    row('leave without staff → 400 naming staff', 'POST /api/leave', supervisor, 400, {
      body: { hall: 'cz-main', from: '2026-03-09T14:00', to: '2026-03-09T15:00', reason: '事假' },
      field: 'staff',
    }),
    row('closure for an unknown counter → 400 naming counter', 'POST /api/closures', supervisor, 400, {
      body: closure({ counter: 'w99', reason: '系统升级' }),
      field: 'counter',
    }),
    row('closure with end before start → 400 naming to', 'POST /api/closures', supervisor, 400, {
      body: closure({ from: '2026-03-09T15:00', to: '2026-03-09T14:00', reason: '系统升级' }),
      field: 'to',
    }),
    row(
      'supervisor enters approved leave (local time in Asia/Shanghai)',
      'POST /api/leave',
      supervisor,
      201,
      {
        body: leave({ reason: '参加业务培训' }),
        check: (b) =>
          expect(b).toMatchObject({
            kind: 'leave',
            approvedBy: '张主任',
            staff: 'E1023',
            from: Date.UTC(2026, 2, 9, 6, 0),
            to: Date.UTC(2026, 2, 9, 7, 0),
          }),
      },
    ),
    row('admin closes the whole hall (epoch ms)', 'POST /api/closures', admin, 201, {
      body: { hall: 'cz-main', from: 1773036000000, to: 1773039600000, reason: '消防演练' },
      check: (b) => {
        expect(b).toMatchObject({ kind: 'closure', hall: 'cz-main', from: 1773036000000 });
        expect(b.counter).toBeUndefined();
      },
    }),
    row('leave listed to any role', 'GET /api/leave?hall=cz-main', assessor, 200, {
      check: (b) => expect(b.map((l: J) => l.staff)).toEqual(['E1023']),
    }),
    row('closures of other halls are not listed', 'GET /api/closures', eastOnly, 200, {
      check: (b) => expect(b).toEqual([]),
    }),
    row('withdraw unknown leave → 404', 'DELETE /api/leave/nope', supervisor, 404),
    row('facility may not withdraw a closure → 403', 'DELETE /api/closures/nope', facility, 403),
    // statistics (the reports module is not wired in these tests: roles and input are checked first)
    row('uptime stats: facility → 403', 'GET /api/stats/uptime?hall=cz-main', facility, 403),
    row('uptime stats: bad by → 400 naming by', 'GET /api/stats/uptime?hall=cz-main&by=hour', assessor, 400, {
      field: 'by',
    }),
    row(
      'uptime stats: unknown counter → 400 naming counter',
      'GET /api/stats/uptime?hall=cz-main&counter=w99',
      assessor,
      400,
      { field: 'counter' },
    ),
    row('uptime stats: several halls need hall → 400', 'GET /api/stats/uptime', assessor, 400, {
      field: 'hall',
    }),
    row(
      'uptime stats without reports → 503',
      'GET /api/stats/uptime?hall=cz-main&from=2026-03-01&to=2026-04-01',
      supervisor,
      503,
    ),
    row('equipment stats: supervisor → 403', 'GET /api/stats/equipment?hall=cz-main', supervisor, 403),
    row(
      'equipment stats: bad format → 400 naming format',
      'GET /api/stats/equipment?hall=cz-main&format=pdf',
      facility,
      400,
      { field: 'format' },
    ),
    // stream: role and input checks happen before the stream opens
    row('stream without a token → 401', 'GET /api/stream', undefined, 401),
    row('stream with a wrong ?token → 401', 'GET /api/stream?token=nope', undefined, 401),
    row(
      'stream for a hall outside the token → 403',
      `GET /api/stream?hall=cz-main&token=${eastOnly}`,
      undefined,
      403,
    ),
    row('?token is refused outside /api/stream', `GET /api/me?token=${supervisor}`, undefined, 401),
    // Prometheus metrics: admin only (the 200 is test/api/metrics.test.ts, on the product)
    row('metrics without a token → 401', 'GET /metrics', undefined, 401),
    row('metrics as supervisor → 403', 'GET /metrics', supervisor, 403),
    row('metrics as assessor → 403', 'GET /metrics', assessor, 403),
    // the rest
    row('unknown route → 404', 'GET /api/nothing', supervisor, 404),
    row('OpenAPI document', 'GET /api/docs/json', undefined, 200, {
      check: (b) => expect(Object.keys(b.paths)).toEqual(expect.arrayContaining(CONTRACT_PATHS)),
    }),
  ];
}

export const CONTRACT_PATHS = [
  '/api/health',
  '/api/halls/{hall}/counters',
  '/api/alerts',
  '/api/alerts/{id}/ack',
  '/api/alerts/{id}/resolve',
  '/api/stream',
  '/api/stats/uptime',
  '/api/stats/equipment',
];

/** The checks every case makes on an error body. */
export function checkError(c: Case, body: J, headers: Record<string, unknown>) {
  if (c.status < 400) return;
  expect(body).toMatchObject({ statusCode: c.status });
  expect(body.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(body.messageEn).toMatch(/[a-z]/);
  if (c.field) expect(body.field).toBe(c.field);
  if (c.status === 400) expect(body.field).toBeTruthy();
  if (c.status === 401) expect(headers['www-authenticate']).toMatch(/^Bearer/);
}
