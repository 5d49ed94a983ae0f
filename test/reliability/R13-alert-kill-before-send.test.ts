// R13: kill -9 between an alert's commit and its delivery. An equipment fault opens an alert whose
// notification goes to a webhook (the receiver here dedupes by the Idempotency-Key header, as the
// webhook contract asks). Twice the product is killed -9 with the notification committed to the
// outbox and not yet accepted: (a) while the receiver holds the request unanswered (the send is in
// flight), (b) while the receiver refuses (503). Criterion: after each restart the alert is
// delivered, exactly once by its idempotency key (a repeat carries the same key, at least once),
// the alert exists once; and the store the outbox lives in runs `synchronous = FULL` (WAL), read
// from the product's own connection through /api/health. A power cut itself is not simulated:
// FULL is what makes a commit survive one (an fsync of the WAL per commit).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { hallsInServiceNow, productEnvs, webhookNotifications } from '../helpers/product.ts';
import { api, login, SUPERVISOR } from './attack.ts';
import { health, waitUntil } from './harness.ts';

interface Hit {
  key: string;
  alertId: string;
  counter: string;
  at: number;
  answered?: number;
}

/** A webhook receiver: `ok` answers 200, `hold` keeps the request open, `refuse` answers 503. */
async function receiver() {
  let mode: 'ok' | 'hold' | 'refuse' = 'ok';
  const hits: Hit[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const b = JSON.parse(body) as { alert?: { id: string; counter?: string } };
      const hit: Hit = {
        key: String(req.headers['idempotency-key']),
        alertId: b.alert?.id ?? '',
        counter: b.alert?.counter ?? '',
        at: Date.now(),
      };
      hits.push(hit);
      if (mode === 'hold') return void held.push(res);
      hit.answered = mode === 'ok' ? 200 : 503;
      res.writeHead(hit.answered, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits,
    setMode: (m: typeof mode) => {
      mode = m;
    },
    /** Distinct keys the receiver accepted (answered 200): what its application saw. */
    delivered: () => new Set(hits.filter((h) => h.answered === 200).map((h) => h.key)),
    close: async () => {
      for (const r of held.splice(0)) r.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const envs = productEnvs();
let hook: Awaited<ReturnType<typeof receiver>> | undefined;
afterAll(async () => {
  await envs.cleanup();
  await hook?.close();
});

describe('R13 kill -9 between alert commit and delivery', () => {
  it('R13 in flight or refused when killed: delivered after restart, exactly once by idempotency key; store synchronous FULL', async () => {
    hook = await receiver();
    const env = await envs.make({
      overrides: {
        halls: hallsInServiceNow(),
        notifications: webhookNotifications(hook.url, ['equipment_fault']),
      },
    });
    const product = await env.start({ readyTimeoutMs: 180_000 });
    const alerts = (await health(env)).services.alerts!.details as { store: Record<string, string> };
    expect(alerts.store).toMatchObject({ journalMode: 'wal', synchronous: 'full' });

    const fault = async (counter: string) => {
      const ctl = await login(env.mqttUrl, `ctl-${counter}`);
      await ctl.publishAsync(
        `hall/cz-main/counter/${counter}/equipment/printer`,
        JSON.stringify({ status: 'fault', code: 'PAPER_OUT', ts: Date.now() }),
        { qos: 1, retain: true },
      );
      await ctl.endAsync();
    };
    const hitsFor = (counter: string) => hook!.hits.filter((h) => h.counter === counter);

    for (const [counter, mode] of [
      ['w01', 'hold'],
      ['w02', 'refuse'],
    ] as const) {
      hook.setMode(mode);
      await fault(counter);
      // The alert is committed (its notification was read from the outbox and sent) …
      await waitUntil(
        `${counter}: the notification reaches the receiver`,
        () => hitsFor(counter).length > 0,
        60_000,
      );
      // … and not accepted: the process dies now.
      await product.kill('SIGKILL');
      hook.setMode('ok');
      await product.restart();
      await waitUntil(
        `${counter}: delivered after the restart`,
        () => hitsFor(counter).some((h) => h.answered === 200),
        60_000,
      );
      await waitUntil('the outbox empty', async () => {
        const d = (await health(env)).services.alerts!.details as { outboxPending: number };
        return d.outboxPending === 0;
      });
      const hits = hitsFor(counter);
      // One alert, one key; every attempt carried it; accepted once.
      expect(new Set(hits.map((h) => h.key)).size, `${counter} keys`).toBe(1);
      expect(new Set(hits.map((h) => h.alertId)).size, `${counter} alert ids`).toBe(1);
      expect(
        hits.filter((h) => h.answered === 200),
        `${counter} accepted deliveries`,
      ).toHaveLength(1);
      console.info(`R13 ${mode}: ${hits.length} attempts of ${hits[0]!.key}, accepted once after the kill`);
    }
    expect(hook.delivered().size).toBe(2);
    const list = await api(env, '/api/alerts?type=equipment_fault', SUPERVISOR);
    expect(list.status).toBe(200);
    const items = (Array.isArray(list.body) ? list.body : list.body.items) as unknown[];
    expect(items).toHaveLength(2);
  }, 300_000);
});
