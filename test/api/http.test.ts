// The same route table over a real HTTP socket, and the SSE stream: heartbeats, event ids,
// Last-Event-ID resume from the ring, reset for unknown or too-old ids, hall restriction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/index.ts';
import { auth, TOKENS, testApi } from './helpers.ts';
import type { LiveAlerts } from './live-alerts.ts';
import { cases, checkError, type Seeded, seed } from './matrix.ts';
import { SseReader } from './sse-client.ts';

describe('API over real HTTP', () => {
  let app: Api;
  let live: LiveAlerts;
  let base: string;
  let seeded: Seeded;
  const W07 = 'hall/cz-main/counter/w07';
  const W12 = 'hall/cz-main/counter/w12';

  beforeAll(async () => {
    ({ app, live } = await testApi({ options: { heartbeatMs: 200, ringSize: 8 } }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => app.close());

  describe('every route, role and error code', () => {
    let table: ReturnType<typeof cases> = [];
    beforeAll(async () => {
      seeded = await seed(live);
      table = cases(seeded);
    });
    for (const [i, c] of cases({ open: 'a', resolved: 'b', east: 'c', fault: 'd' }).entries())
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

    // After the table: the clock stands at 09:32 of the seeded morning; devices move it on.
    it('sends numbered state and alert events as they happen, with heartbeats', async () => {
      const s = await stream(`token=${TOKENS.assessor}`);
      expect(s.status).toBe(200);
      await s.until((f) => f.some((x) => x.event === 'ready'));
      await live.at('09:40', [`${W12}/seat/s1`, { occupied: true }], [`${W12}/seat/s2`, { occupied: true }]);
      await live.at('09:41', [`${W07}/equipment/printer`, { status: 'ok' }]);
      await s.until(
        (f) => f.some((x) => x.event === 'alert') && f.some((x) => x.comment?.startsWith('heartbeat')),
      );
      const state = s.events('state').at(-1)!;
      expect(JSON.parse(state.data!)).toMatchObject({
        hall: 'cz-main',
        counter: 'w12',
        state: 'staffed',
        staffOnPost: 2,
      });
      const alert = s.events('alert').at(-1)!;
      expect(JSON.parse(alert.data!)).toMatchObject({
        id: seeded.fault,
        status: 'resolved',
        type: 'equipment_fault',
      });
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
      await live.at('09:42', [`${W07}/seat/s1`, { occupied: true }], [`${W07}/sign`, { sign: 'away' }]);
      const signUp = (x: { event?: string; data?: string }) =>
        x.event === 'state' && JSON.parse(x.data!).state === 'staffed' && JSON.parse(x.data!).sign === 'away';
      await s1.until((f) => f.some(signUp));
      const last = s1.events().at(-1)!.id!;
      s1.close();
      // w07 leaves behind its sign, overstays, comes back — while the board is disconnected
      await live.at('09:50', [`${W07}/seat/s1`, { occupied: false }]);
      await live.at('10:01');
      await live.at('10:05', [`${W07}/seat/s1`, { occupied: true }]);
      const s2 = await stream(`token=${TOKENS.supervisor}`, { 'last-event-id': last });
      await s2.until((f) => f.some((x) => x.event === 'ready'));
      const replayed = s2.events('state').map((f) => JSON.parse(f.data!).state);
      expect(replayed.filter((x, i) => x !== replayed[i - 1])).toEqual(['away', 'unattended', 'staffed']);
      const absence = s2.events('alert').filter((f) => JSON.parse(f.data!).type === 'unattended');
      expect(absence.map((f) => JSON.parse(f.data!).status)).toEqual(['open', 'resolved']);
      expect(JSON.parse(s2.events('ready')[0]!.data!)).toMatchObject({ resumed: true });
      s2.close();
    });

    it('also resumes from ?lastEventId= (for clients that keep the id themselves)', async () => {
      const last = app.hub.lastId;
      await live.at('10:10', [`${W12}/sign`, { sign: 'paused' }]);
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
      // twelve readings (env events) through a ring of eight
      for (let i = 0; i < 12; i++) await live.publish('hall/cz-main/env/env1', { lux: 400 + i });
      const s2 = await stream(`token=${TOKENS.supervisor}`, { 'last-event-id': old });
      await s2.until((f) => f.some((x) => x.event === 'ready'));
      expect(JSON.parse(s2.events('reset')[0]!.data!)).toEqual({ reason: 'too_old' });
      expect(s2.events('env')).toHaveLength(0);
      s2.close();
    });

    it('sends a token limited to one hall only that hall, and takes the Authorization header too', async () => {
      const s = await stream('', auth(TOKENS.eastOnly));
      expect(s.status).toBe(200);
      await s.until((f) => f.some((x) => x.event === 'ready'));
      // cz-main first: had the stream leaked it, it would stand before east's state event
      await live.at(
        '10:15',
        [`${W12}/sign`, { sign: 'none' }],
        ['hall/east/counter/e01/seat/s1', { occupied: true }],
      );
      await s.until((f) => f.some((x) => x.event === 'state'));
      const sent = s.events().filter((f) => f.event !== 'ready');
      expect(sent.map((f) => JSON.parse(f.data!).hall)).toEqual(sent.map(() => 'east'));
      expect(s.events('state').map((f) => JSON.parse(f.data!).counter)).toEqual(['e01']);
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
