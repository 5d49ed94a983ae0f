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

export function cases(s: Seeded): Case[] {
  const { supervisor, facility, assessor, admin, eastOnly, scryptFacility } = TOKENS;
  return [
    // health: no token, no secrets
    {
      name: 'health without a token',
      method: 'GET',
      url: '/api/health',
      status: 200,
      check: (b) => expect(b.services.alerts.status).toBe('ok'),
    },
    // 401s
    {
      name: 'counters without a token → 401',
      method: 'GET',
      url: '/api/halls/cz-main/counters',
      status: 401,
    },
    {
      name: 'counters with a wrong token → 401',
      method: 'GET',
      url: '/api/halls/cz-main/counters',
      token: 'nope',
      status: 401,
    },
    {
      name: 'malformed Authorization → 401',
      method: 'GET',
      url: '/api/me',
      authorization: 'Basic abc',
      status: 401,
    },
    // me
    {
      name: 'me as assessor: no acknowledge',
      method: 'GET',
      url: '/api/me',
      token: assessor,
      status: 200,
      check: (b) => expect([b.role, b.can.acknowledge, b.can.uptimeStats]).toEqual(['assessor', false, true]),
    },
    {
      name: 'me as supervisor: acknowledge',
      method: 'GET',
      url: '/api/me',
      token: supervisor,
      status: 200,
      check: (b) => expect(b.can.acknowledge).toBe(true),
    },
    {
      name: 'me with an scrypt-hashed token',
      method: 'GET',
      url: '/api/me',
      token: scryptFacility,
      status: 200,
      check: (b) => expect(b.name).toBe('设备科赵工'),
    },
    // halls
    {
      name: 'halls for a token limited to east',
      method: 'GET',
      url: '/api/halls',
      token: eastOnly,
      status: 200,
      check: (b) => expect(b.map((h: J) => h.id)).toEqual(['east']),
    },
    {
      name: 'hall layout',
      method: 'GET',
      url: '/api/halls/cz-main',
      token: assessor,
      status: 200,
      check: (b) => expect(b.counters[0]).toMatchObject({ counter: 'w07', position: { row: 0, col: 0 } }),
    },
    {
      name: 'unknown hall → 404',
      method: 'GET',
      url: '/api/halls/nowhere/counters',
      token: supervisor,
      status: 404,
      field: 'hall',
    },
    {
      name: 'bad hall id → 400 naming hall',
      method: 'GET',
      url: '/api/halls/BAD_ID/counters',
      token: supervisor,
      status: 400,
      field: 'hall',
    },
    {
      name: 'hall outside the token → 403',
      method: 'GET',
      url: '/api/halls/cz-main/counters',
      token: eastOnly,
      status: 403,
    },
    {
      name: 'counters: live state, sign, deadline, open alerts',
      method: 'GET',
      url: '/api/halls/cz-main/counters',
      token: assessor,
      status: 200,
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
    {
      name: 'one counter',
      method: 'GET',
      url: '/api/halls/cz-main/counters/w12',
      token: facility,
      status: 200,
      check: (b) => expect(b.seats).toEqual({ s1: false, s2: false }),
    },
    {
      name: 'unknown counter → 404',
      method: 'GET',
      url: '/api/halls/cz-main/counters/w99',
      token: facility,
      status: 404,
      field: 'counter',
    },
    {
      name: 'equipment list',
      method: 'GET',
      url: '/api/halls/cz-main/equipment',
      token: facility,
      status: 200,
      check: (b) =>
        expect(b.map((e: J) => `${e.counter ?? '-'}/${e.equipment}`)).toEqual([
          '-/queue',
          'w07/pc',
          'w07/printer',
        ]),
    },
    {
      name: 'environment against thresholds',
      method: 'GET',
      url: '/api/halls/cz-main/environment',
      token: facility,
      status: 200,
      check: (b) =>
        expect(b[0]).toMatchObject({ sensor: 'env1', readings: { lux: 180 }, outOfBand: ['lux'] }),
    },
    {
      name: 'history without the reports module → 503',
      method: 'GET',
      url: '/api/halls/cz-main/counters/w07/history?date=2026-03-09',
      token: assessor,
      status: 503,
    },
    {
      name: 'history with an impossible date → 400',
      method: 'GET',
      url: '/api/halls/cz-main/counters/w07/history?date=2026-02-30',
      token: assessor,
      status: 400,
      field: 'date',
    },
    // alerts
    {
      name: 'alerts newest first, token halls applied',
      method: 'GET',
      url: '/api/alerts',
      token: supervisor,
      status: 200,
      check: (b) => expect(b.map((a: J) => a.id)).toEqual([s.fault, s.open, s.resolved, s.east]),
    },
    {
      name: 'alerts for a token limited to east',
      method: 'GET',
      url: '/api/alerts',
      token: eastOnly,
      status: 200,
      check: (b) => expect(b.map((a: J) => a.id)).toEqual([s.east]),
    },
    {
      name: 'alerts filtered by hall,status,type',
      method: 'GET',
      url: '/api/alerts?hall=cz-main&status=open,acknowledged&type=unattended',
      token: assessor,
      status: 200,
      check: (b) => expect(b.map((a: J) => a.id)).toEqual([s.open]),
    },
    {
      name: 'alerts with a bad status → 400 naming status',
      method: 'GET',
      url: '/api/alerts?status=opened',
      token: assessor,
      status: 400,
      field: 'status',
    },
    {
      name: 'alerts with a bad from → 400 naming from',
      method: 'GET',
      url: '/api/alerts?from=yesterday',
      token: assessor,
      status: 400,
      field: 'from',
    },
    {
      name: 'alerts with to before from → 400 naming to',
      method: 'GET',
      url: '/api/alerts?from=2026-03-09&to=2026-03-08',
      token: assessor,
      status: 400,
      field: 'to',
    },
    {
      name: 'alerts with an unknown parameter → 400 naming it',
      method: 'GET',
      url: '/api/alerts?stauts=open',
      token: assessor,
      status: 400,
      field: 'stauts',
    },
    {
      name: 'alerts of a hall outside the token → 403',
      method: 'GET',
      url: '/api/alerts?hall=cz-main',
      token: eastOnly,
      status: 403,
    },
    {
      name: 'one alert',
      method: 'GET',
      url: `/api/alerts/${s.open}`,
      token: assessor,
      status: 200,
      check: (b) =>
        expect(b).toMatchObject({
          id: s.open,
          type: 'unattended',
          severity: 'critical',
          hall: 'cz-main',
          counter: 'w07',
          status: 'open',
        }),
    },
    {
      name: 'unknown alert → 404',
      method: 'GET',
      url: '/api/alerts/nope',
      token: assessor,
      status: 404,
      field: 'alert',
    },
    {
      name: 'assessor may not acknowledge → 403',
      method: 'POST',
      url: `/api/alerts/${s.open}/ack`,
      token: assessor,
      body: { note: 'x' },
      status: 403,
    },
    {
      name: 'acknowledge without a token → 401',
      method: 'POST',
      url: `/api/alerts/${s.open}/ack`,
      body: {},
      status: 401,
    },
    {
      name: 'acknowledge with a too long note → 400 naming note',
      method: 'POST',
      url: `/api/alerts/${s.open}/ack`,
      token: supervisor,
      body: { note: 'x'.repeat(501) },
      status: 400,
      field: 'note',
    },
    {
      name: 'acknowledge with an unknown body field → 400',
      method: 'POST',
      url: `/api/alerts/${s.open}/ack`,
      token: supervisor,
      body: { note: 'x', by: 'me' },
      status: 400,
      field: 'by',
    },
    {
      name: 'acknowledge an alert outside the token → 403',
      method: 'POST',
      url: `/api/alerts/${s.open}/ack`,
      token: eastOnly,
      body: {},
      status: 403,
    },
    {
      name: 'acknowledge an unknown alert → 404',
      method: 'POST',
      url: '/api/alerts/nope/ack',
      token: supervisor,
      body: {},
      status: 404,
    },
    {
      name: "supervisor acknowledges: the alert, acknowledged by the token's user",
      method: 'POST',
      url: `/api/alerts/${s.open}/ack`,
      token: supervisor,
      body: { note: '已电话联系B角顶岗' },
      status: 200,
      check: (b) => {
        expect(b).toMatchObject({ id: s.open, status: 'acknowledged', acknowledgedBy: '张主任' });
        expect(typeof b.acknowledgedAt).toBe('number');
        expect(b.notes[0]).toMatchObject({ by: '张主任', action: 'acknowledge', text: '已电话联系B角顶岗' });
      },
    },
    {
      name: 'acknowledge a resolved alert → 409',
      method: 'POST',
      url: `/api/alerts/${s.resolved}/ack`,
      token: facility,
      body: {},
      status: 409,
    },
    {
      name: 'admin resolves by hand',
      method: 'POST',
      url: `/api/alerts/${s.east}/resolve`,
      token: admin,
      body: { note: '已处理' },
      status: 200,
      check: (b) =>
        expect(b).toMatchObject({ status: 'resolved', resolvedBy: '系统管理员', resolveReason: 'manual' }),
    },
    {
      name: 'assessor may not resolve → 403',
      method: 'POST',
      url: `/api/alerts/${s.open}/resolve`,
      token: assessor,
      body: {},
      status: 403,
    },
    {
      name: 'facility resolves',
      method: 'POST',
      url: `/api/alerts/${s.open}/resolve`,
      token: facility,
      body: {},
      status: 200,
      check: (b) => expect(b.status).toBe('resolved'),
    },
    // R28 attribution
    {
      name: 'facility may not change an attribution → 403',
      method: 'POST',
      url: `/api/alerts/${s.resolved}/attribution`,
      token: facility,
      body: { responsible: 'E2051', note: '监控显示当时为B角在岗' },
      status: 403,
    },
    {
      name: 'attribution without a note → 400 naming note',
      method: 'POST',
      url: `/api/alerts/${s.resolved}/attribution`,
      token: supervisor,
      body: { responsible: 'E2051' },
      status: 400,
      field: 'note',
    },
    {
      name: 'attribution naming both a person and void → 400 naming responsible',
      method: 'POST',
      url: `/api/alerts/${s.resolved}/attribution`,
      token: supervisor,
      body: { responsible: 'E2051', void: true, note: '重复' },
      status: 400,
      field: 'responsible',
    },
    {
      name: 'attribution to an unknown alert → 404',
      method: 'POST',
      url: '/api/alerts/nope/attribution',
      token: supervisor,
      body: { void: true, note: '误报' },
      status: 404,
    },
    {
      name: 'a late opening is not an interruption → 409',
      method: 'POST',
      url: `/api/alerts/${s.east}/attribution`,
      token: eastOnly,
      body: { void: true, note: '系统误报' },
      status: 409,
      check: (b) => expect(b.message).toContain('不是缺位'),
    },
    {
      name: 'supervisor reassigns a resolved interruption with a note (who, when, why kept)',
      method: 'POST',
      url: `/api/alerts/${s.resolved}/attribution`,
      token: supervisor,
      body: { responsible: 'E2051', note: '监控显示当时为B角在岗' },
      status: 200,
      check: (b) => {
        expect(b.status).toBe('resolved');
        expect(b.details.attribution).toEqual([
          expect.objectContaining({ by: '张主任', responsible: 'E2051', note: '监控显示当时为B角在岗' }),
        ]);
      },
    },
    // silences; leave and closures (R24)
    {
      name: 'assessor may not add a silence → 403',
      method: 'POST',
      url: '/api/silences',
      token: assessor,
      body: { hall: 'cz-main', from: '2026-03-09T14:00', to: '2026-03-09T15:00', reason: '打印机维修' },
      status: 403,
    },
    {
      name: 'silence for unknown equipment → 400 naming equipment',
      method: 'POST',
      url: '/api/silences',
      token: facility,
      body: {
        hall: 'cz-main',
        counter: 'w07',
        equipment: 'fax',
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '维修',
      },
      status: 400,
      field: 'equipment',
    },
    {
      name: 'silence without a reason → 400 naming reason',
      method: 'POST',
      url: '/api/silences',
      token: facility,
      body: { hall: 'cz-main', from: '2026-03-09T14:00', to: '2026-03-09T15:00' },
      status: 400,
      field: 'reason',
    },
    {
      name: 'silence with an unknown type → 400 naming types',
      method: 'POST',
      url: '/api/silences',
      token: facility,
      body: {
        hall: 'cz-main',
        types: ['fire'],
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: 'x',
      },
      status: 400,
      field: 'types.0',
    },
    {
      name: 'facility adds a silence (local times in Asia/Shanghai)',
      method: 'POST',
      url: '/api/silences',
      token: facility,
      body: {
        hall: 'cz-main',
        counter: 'w07',
        equipment: 'printer',
        types: ['equipment_fault'],
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '打印机维修',
      },
      status: 201,
      check: (b) =>
        expect(b).toMatchObject({
          hall: 'cz-main',
          from: Date.UTC(2026, 2, 9, 6),
          to: Date.UTC(2026, 2, 9, 7),
          createdBy: '设备科李工',
        }),
    },
    {
      name: 'silences listed',
      method: 'GET',
      url: '/api/silences?hall=cz-main',
      token: assessor,
      status: 200,
      check: (b) => expect(b).toHaveLength(1),
    },
    {
      name: 'delete an unknown silence → 404',
      method: 'DELETE',
      url: '/api/silences/nope',
      token: facility,
      status: 404,
    },
    {
      name: 'the version-1 /api/absences is gone → 404',
      method: 'GET',
      url: '/api/absences',
      token: supervisor,
      status: 404,
    },
    {
      name: 'facility may not enter leave → 403',
      method: 'POST',
      url: '/api/leave',
      token: facility,
      body: {
        hall: 'cz-main',
        staff: 'E1023',
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '事假',
      },
      status: 403,
    },
    {
      name: 'assessor may not enter a closure → 403',
      method: 'POST',
      url: '/api/closures',
      token: assessor,
      body: {
        hall: 'cz-main',
        counter: 'w07',
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '系统升级',
      },
      status: 403,
    },
    {
      name: 'leave in another hall than the token may see → 403',
      method: 'POST',
      url: '/api/leave',
      token: eastOnly,
      body: {
        hall: 'cz-main',
        staff: 'E1023',
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '事假',
      },
      status: 403,
    },
    {
      name: 'leave with seconds → 400 naming from (minute precision)',
      method: 'POST',
      url: '/api/leave',
      token: supervisor,
      body: {
        hall: 'cz-main',
        staff: 'E1023',
        from: '2026-03-09T14:00:30',
        to: '2026-03-09T15:00',
        reason: '事假',
      },
      status: 400,
      field: 'from',
      check: (b) => expect(b.message).toContain('分钟'),
    },
    {
      name: 'leave with seconds in ms → 400 naming to',
      method: 'POST',
      url: '/api/leave',
      token: supervisor,
      body: { hall: 'cz-main', staff: 'E1023', from: 1773036000000, to: 1773039600001, reason: '事假' },
      status: 400,
      field: 'to',
    },
    {
      name: 'leave without staff → 400 naming staff',
      method: 'POST',
      url: '/api/leave',
      token: supervisor,
      body: { hall: 'cz-main', from: '2026-03-09T14:00', to: '2026-03-09T15:00', reason: '事假' },
      status: 400,
      field: 'staff',
    },
    {
      name: 'closure for an unknown counter → 400 naming counter',
      method: 'POST',
      url: '/api/closures',
      token: supervisor,
      body: {
        hall: 'cz-main',
        counter: 'w99',
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '系统升级',
      },
      status: 400,
      field: 'counter',
    },
    {
      name: 'closure with end before start → 400 naming to',
      method: 'POST',
      url: '/api/closures',
      token: supervisor,
      body: {
        hall: 'cz-main',
        counter: 'w07',
        from: '2026-03-09T15:00',
        to: '2026-03-09T14:00',
        reason: '系统升级',
      },
      status: 400,
      field: 'to',
    },
    {
      name: 'supervisor enters approved leave (local time in Asia/Shanghai)',
      method: 'POST',
      url: '/api/leave',
      token: supervisor,
      body: {
        hall: 'cz-main',
        staff: 'E1023',
        from: '2026-03-09T14:00',
        to: '2026-03-09T15:00',
        reason: '参加业务培训',
      },
      status: 201,
      check: (b) =>
        expect(b).toMatchObject({
          kind: 'leave',
          approvedBy: '张主任',
          staff: 'E1023',
          from: Date.UTC(2026, 2, 9, 6, 0),
          to: Date.UTC(2026, 2, 9, 7, 0),
        }),
    },
    {
      name: 'admin closes the whole hall (epoch ms)',
      method: 'POST',
      url: '/api/closures',
      token: admin,
      body: { hall: 'cz-main', from: 1773036000000, to: 1773039600000, reason: '消防演练' },
      status: 201,
      check: (b) => {
        expect(b).toMatchObject({ kind: 'closure', hall: 'cz-main', from: 1773036000000 });
        expect(b.counter).toBeUndefined();
      },
    },
    {
      name: 'leave listed to any role',
      method: 'GET',
      url: '/api/leave?hall=cz-main',
      token: assessor,
      status: 200,
      check: (b) => expect(b.map((l: J) => l.staff)).toEqual(['E1023']),
    },
    {
      name: 'closures of other halls are not listed',
      method: 'GET',
      url: '/api/closures',
      token: eastOnly,
      status: 200,
      check: (b) => expect(b).toEqual([]),
    },
    {
      name: 'withdraw unknown leave → 404',
      method: 'DELETE',
      url: '/api/leave/nope',
      token: supervisor,
      status: 404,
    },
    {
      name: 'facility may not withdraw a closure → 403',
      method: 'DELETE',
      url: '/api/closures/nope',
      token: facility,
      status: 403,
    },
    // statistics (the reports module is not wired in these tests: roles and input are checked first)
    {
      name: 'uptime stats: facility → 403',
      method: 'GET',
      url: '/api/stats/uptime?hall=cz-main',
      token: facility,
      status: 403,
    },
    {
      name: 'uptime stats: bad by → 400 naming by',
      method: 'GET',
      url: '/api/stats/uptime?hall=cz-main&by=hour',
      token: assessor,
      status: 400,
      field: 'by',
    },
    {
      name: 'uptime stats: unknown counter → 400 naming counter',
      method: 'GET',
      url: '/api/stats/uptime?hall=cz-main&counter=w99',
      token: assessor,
      status: 400,
      field: 'counter',
    },
    {
      name: 'uptime stats: several halls need hall → 400',
      method: 'GET',
      url: '/api/stats/uptime',
      token: assessor,
      status: 400,
      field: 'hall',
    },
    {
      name: 'uptime stats without reports → 503',
      method: 'GET',
      url: '/api/stats/uptime?hall=cz-main&from=2026-03-01&to=2026-04-01',
      token: supervisor,
      status: 503,
    },
    {
      name: 'equipment stats: supervisor → 403',
      method: 'GET',
      url: '/api/stats/equipment?hall=cz-main',
      token: supervisor,
      status: 403,
    },
    {
      name: 'equipment stats: bad format → 400 naming format',
      method: 'GET',
      url: '/api/stats/equipment?hall=cz-main&format=pdf',
      token: facility,
      status: 400,
      field: 'format',
    },
    // stream: role and input checks happen before the stream opens
    { name: 'stream without a token → 401', method: 'GET', url: '/api/stream', status: 401 },
    { name: 'stream with a wrong ?token → 401', method: 'GET', url: '/api/stream?token=nope', status: 401 },
    {
      name: 'stream for a hall outside the token → 403',
      method: 'GET',
      url: `/api/stream?hall=cz-main&token=${eastOnly}`,
      status: 403,
    },
    {
      name: '?token is refused outside /api/stream',
      method: 'GET',
      url: `/api/me?token=${supervisor}`,
      status: 401,
    },
    // the rest
    { name: 'unknown route → 404', method: 'GET', url: '/api/nothing', token: supervisor, status: 404 },
    {
      name: 'OpenAPI document',
      method: 'GET',
      url: '/api/docs/json',
      status: 200,
      check: (b) => expect(Object.keys(b.paths)).toEqual(expect.arrayContaining(CONTRACT_PATHS)),
    },
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
