// The same route table over a real HTTP socket, and the SSE stream: heartbeats, event ids,
// Last-Event-ID resume from the ring, reset for unknown or too-old ids, hall restriction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/index.ts';
import { auth, TOKENS, testApi } from './helpers.ts';
import { cases, checkError, seed } from './matrix.ts';
import type { MemoryAlerts } from './memory-alerts.ts';
import { SseReader } from './sse-client.ts';

describe('API over real HTTP', () => {
  let app: Api;
  let alerts: MemoryAlerts;
  let base: string;

  beforeAll(async () => {
    ({ app, alerts } = await testApi({ options: { heartbeatMs: 200, ringSize: 8 } }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => app.close());

  describe('every route, role and error code', () => {
    let table: ReturnType<typeof cases> = [];
    beforeAll(() => {
      table = cases(seed(alerts, Date.now()));
    });
    for (const [i, c] of cases({ open: 'a', resolved: 'b', east: 'c' }).entries())
      it(c.name, async () => {
        const t = table[i]!;
        const res = await fetch(base + t.url, {
          method: t.method,
          headers: {
            ...(t.token ? auth(t.token) : {}),
            ...(t.authorization ? { authorization: t.authorization } : {}),
            ...(t.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(t.body !== undefined ? { body: JSON.stringify(t.body) } : {}),
        });
        const text = await res.text();
        const body = text ? JSON.parse(text) : undefined;
        expect(res.status, text).toBe(t.status);
        const headers: Record<string, string> = {};
        res.headers.forEach((v, k) => {
          headers[k] = v;
        });
        checkError(t, body, headers);
        t.check?.(body);
      });
  });

  describe('GET /api/stream', () => {
    const stream = (query: string, headers: Record<string, string> = {}) =>
      SseReader.open(`${base}/api/stream?${query}`, headers);

    it('sends numbered state and alert events as they happen, with heartbeats', async () => {
      const s = await stream(`token=${TOKENS.assessor}`);
      expect(s.status).toBe(200);
      await s.until((f) => f.some((x) => x.event === 'ready'));
      alerts.setCounter('cz-main', 'w12', { state: 'staffed', since: Date.now(), staffOnPost: 2 });
      const a = alerts.openAlert({
        type: 'staffing_gap',
        severity: 'critical',
        hall: 'cz-main',
        counter: 'w12',
        openedAt: Date.now(),
        message: '12号窗口 两名工作人员均离岗',
        details: {},
      });
      await s.until(
        (f) => f.some((x) => x.event === 'alert') && f.some((x) => x.comment?.startsWith('heartbeat')),
      );
      const [state] = s.events('state');
      expect(JSON.parse(state!.data!)).toMatchObject({
        hall: 'cz-main',
        counter: 'w12',
        state: 'staffed',
        staffOnPost: 2,
      });
      const alert = s.events('alert').at(-1)!;
      expect(JSON.parse(alert.data!)).toMatchObject({ id: a.id, status: 'open', type: 'staffing_gap' });
      const seqs = s
        .events()
        .filter((f) => f.id)
        .map((f) => Number(f.id!.split('.')[1]));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      s.close();
    });

    it('resumes after Last-Event-ID with exactly the missed events', async () => {
      const s1 = await stream(`token=${TOKENS.supervisor}`);
      await s1.until((f) => f.some((x) => x.event === 'ready'));
      alerts.setCounter('cz-main', 'w07', {
        state: 'staffed',
        since: Date.now(),
        staffOnPost: 1,
        sign: 'none',
      });
      await s1.until((f) => f.some((x) => x.event === 'state'));
      const last = s1.events('state').at(-1)!.id!;
      s1.close();
      // three changes while the board is disconnected
      alerts.setCounter('cz-main', 'w07', { state: 'away', since: Date.now(), staffOnPost: 0, sign: 'away' });
      alerts.setCounter('cz-main', 'w07', { state: 'unattended', since: Date.now() });
      alerts.setCounter('cz-main', 'w07', { state: 'staffed', since: Date.now(), staffOnPost: 1 });
      const s2 = await stream(`token=${TOKENS.supervisor}`, { 'last-event-id': last });
      await s2.until((f) => f.some((x) => x.event === 'ready'));
      const replayed = s2.events('state').map((f) => JSON.parse(f.data!).state);
      expect(replayed).toEqual(['away', 'unattended', 'staffed']);
      expect(JSON.parse(s2.events('ready')[0]!.data!)).toMatchObject({ resumed: true });
      s2.close();
    });

    it('also resumes from ?lastEventId= (for clients that keep the id themselves)', async () => {
      const last = app.hub.lastId;
      alerts.setCounter('cz-main', 'w12', { state: 'paused', since: Date.now(), sign: 'paused' });
      const s = await stream(`token=${TOKENS.supervisor}&lastEventId=${last}`);
      await s.until((f) => f.some((x) => x.event === 'ready'));
      expect(s.events('state').map((f) => JSON.parse(f.data!).state)).toEqual(['paused']);
      s.close();
    });

    it('tells the client to reload when the id is from another run or fell out of the ring', async () => {
      const s1 = await stream(`token=${TOKENS.supervisor}`, { 'last-event-id': 'zzzz.5' });
      await s1.until((f) => f.some((x) => x.event === 'ready'));
      expect(JSON.parse(s1.events('reset')[0]!.data!)).toEqual({ reason: 'unknown_id' });
      s1.close();
      const old = app.hub.lastId;
      for (let i = 0; i < 12; i++) alerts.setCounter('cz-main', 'w12', { since: Date.now() + i });
      const s2 = await stream(`token=${TOKENS.supervisor}`, { 'last-event-id': old });
      await s2.until((f) => f.some((x) => x.event === 'ready'));
      expect(JSON.parse(s2.events('reset')[0]!.data!)).toEqual({ reason: 'too_old' });
      expect(s2.events('state')).toHaveLength(0);
      s2.close();
    });

    it('sends a token limited to one hall only that hall, and takes the Authorization header too', async () => {
      const s = await stream('', auth(TOKENS.eastOnly));
      expect(s.status).toBe(200);
      await s.until((f) => f.some((x) => x.event === 'ready'));
      alerts.setCounter('cz-main', 'w07', { state: 'away', since: Date.now() });
      alerts.setCounter('east', 'e01', { state: 'staffed', since: Date.now(), staffOnPost: 1 });
      await s.until((f) => f.some((x) => x.event === 'state'));
      await new Promise((r) => setTimeout(r, 100));
      expect(s.events('state').map((f) => JSON.parse(f.data!).hall)).toEqual(['east']);
      s.close();
    });

    it('app.close() ends open streams instead of hanging', async () => {
      const { app: a2 } = await testApi({ options: { heartbeatMs: 50 } });
      await a2.listen({ host: '127.0.0.1', port: 0 });
      const addr = a2.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      const s = await SseReader.open(`http://127.0.0.1:${port}/api/stream?token=${TOKENS.admin}`);
      await s.until((f) => f.some((x) => x.event === 'ready'));
      const t0 = Date.now();
      await a2.close();
      expect(Date.now() - t0).toBeLessThan(2_000);
      await s.until(() => s.ended, 2_000).catch(() => undefined);
      expect(s.ended).toBe(true);
    });
  });
});
