// CONTRACT §7: leave and closures may also be listed in the config. The API lists them next to
// the ones entered through it, marked `source: "config"`, and refuses to withdraw them (409: edit
// the config) — against the real alerts service, as `npm start` wires it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, startSystem } from '../helpers/system.ts';
import { at as atDay } from '../helpers/time.ts';

const at = (local: string) => atDay(local.slice(0, 10), local.slice(11) || '00:00');

describe('leave and closures from the config in the API', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({
      hall: {
        id: 'e2e',
        name: '测试大厅',
        calendar: 'none',
        sessions: { 'mon-fri': ['09:00-12:00', '13:30-17:00'] },
        counters: [
          {
            id: 'w01',
            name: '1号窗口 综合受理',
            controller: 'ctl-w01',
            seats: ['s1'],
            roster: { a: 'E1', b: 'E2' },
          },
        ],
      },
      extra: {
        leave: [
          {
            id: 'hr.2027:001',
            hall: 'e2e',
            staff: 'E1',
            from: '2027-01-04T09:00',
            to: '2027-01-04T12:00',
            reason: '年假',
            approvedBy: '人事科',
          },
          {
            hall: 'e2e',
            staff: 'E2',
            from: '2027-01-05',
            to: '2027-01-06',
            reason: '事假',
            approvedBy: '人事科',
          },
        ],
        closures: [
          {
            hall: 'e2e',
            counter: 'w01',
            from: '2027-01-06T13:30',
            to: '2027-01-06T17:00',
            reason: '系统升级',
            approvedBy: '张主任',
          },
        ],
      },
    });
  }, 90_000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('lists config leave as the engine reads it, with source config, next to leave entered through the API', async () => {
    const entered = await sys.request('POST', '/api/leave', {
      hall: 'e2e',
      staff: 'E2',
      from: '2027-01-04T14:00',
      to: '2027-01-04T15:00',
      reason: '外出办事',
    });
    expect(entered.status).toBe(201);
    const apiLeave = (await entered.json()) as { id: string };

    const list = await sys.api('/api/leave?hall=e2e');
    expect(list).toEqual([
      {
        kind: 'leave',
        id: 'hr.2027:001',
        hall: 'e2e',
        staff: 'E1',
        from: at('2027-01-04T09:00'),
        to: at('2027-01-04T12:00'),
        reason: '年假',
        approvedBy: '人事科',
        enteredAt: 0,
        source: 'config',
      },
      expect.objectContaining({ id: apiLeave.id, staff: 'E2', from: at('2027-01-04T14:00'), source: 'api' }),
      expect.objectContaining({
        id: 'config-leave-1',
        staff: 'E2',
        from: at('2027-01-05T00:00'),
        to: at('2027-01-06T00:00'),
        source: 'config',
      }),
    ]);
  });

  it('refuses to withdraw config leave or closures with 409 naming the config; API-entered leave withdraws', async () => {
    const refused = await sys.request('DELETE', `/api/leave/${encodeURIComponent('hr.2027:001')}`);
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { code: string; messageZh: string; messageEn: string };
    expect(body.code).toBe('approval_from_config');
    expect(body.messageZh).toContain('配置');
    expect(body.messageEn).toMatch(/configuration file.*edit the config/);

    const closures = await sys.api('/api/closures?hall=e2e');
    expect(closures).toEqual([
      expect.objectContaining({
        kind: 'closure',
        id: 'config-closure-0',
        counter: 'w01',
        from: at('2027-01-06T13:30'),
        to: at('2027-01-06T17:00'),
        source: 'config',
      }),
    ]);
    expect((await sys.request('DELETE', '/api/closures/config-closure-0')).status).toBe(409);
    expect(await sys.api('/api/closures?hall=e2e')).toHaveLength(1);

    const apiLeave = (await sys.api('/api/leave?hall=e2e')).find(
      (l: { source: string }) => l.source === 'api',
    );
    expect((await sys.request('DELETE', `/api/leave/${apiLeave.id}`)).status).toBe(204);
    expect((await sys.api('/api/leave?hall=e2e')).map((l: { id: string }) => l.id)).toEqual([
      'hr.2027:001',
      'config-leave-1',
    ]);
  });
});
