// R14: the group robot fails every way a platform fails while a burst of 100 alerts comes out —
// 502 from its gateway, requests that never get an answer, "too fast" (45009) although the
// robot's limit is not reached (another system shares it) — then recovers. The product runs as
// `npm start` runs it, 100 equipment faults published at once by the hall's 24 controllers, routed
// to one WeCom robot (the platform stand-in of test/alerts/notify/platforms: 20 messages a minute,
// refusing like the platform). Criterion: no alert lost (every alert id reaches the group), retried
// with back-off (gaps grow while the gateway answers 502; a timed-out request is not repeated
// before its timeout; after "too fast" the channel holds for rateBlock), never more than 20
// messages in any minute (the stand-in itself never had to refuse), and the burst coalesced into
// digests (fewer messages than alerts).
import { afterAll, describe, expect, it } from 'vitest';
import { type Robots, startRobots } from '../alerts/notify/platforms/index.ts';
import { hallsInServiceNow, type Json, productEnvs } from '../helpers/product.ts';
import { api, login, SUPERVISOR } from './attack.ts';
import { waitUntil } from './harness.ts';

const ALERTS = 100;
const TIMEOUT_MS = 2000;
const RATE_BLOCK_MS = 5000;
const envs = productEnvs();
let robots: Robots | undefined;
afterAll(async () => {
  await envs.cleanup();
  await robots?.close();
});

/** The example hall in service now, each counter with a tablet too: 100 counter equipment items. */
function hallWithEquipment(): { halls: Json[]; items: { counter: string; equipment: string }[] } {
  const halls = hallsInServiceNow();
  const hall = halls[0] as { counters: { id: string; equipment: { id: string; kind: string }[] }[] };
  for (const c of hall.counters)
    if (!c.equipment.some((e) => e.id === 'tablet'))
      c.equipment = [...c.equipment, { id: 'tablet', kind: 'tablet' }];
  const items = hall.counters.flatMap((c) => c.equipment.map((e) => ({ counter: c.id, equipment: e.id })));
  return { halls, items: items.slice(0, ALERTS) };
}

const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!);

describe('R14 robot faults under a burst of alerts', () => {
  it(`R14 ${ALERTS} alerts through 502s, timeouts and "too fast": none lost, backed off, ≤ 20/min, coalesced`, async () => {
    robots = await startRobots();
    const { halls, items } = hallWithEquipment();
    expect(items).toHaveLength(ALERTS);
    const env = await envs.make({
      overrides: {
        halls,
        notifications: {
          channels: [
            {
              id: 'wecom',
              type: 'wecom',
              url: robots.wecomUrl(),
              timeout: `${TIMEOUT_MS}ms`,
              rateBlock: `${RATE_BLOCK_MS}ms`,
              // Small digests, so the burst needs more than one minute's 20 messages.
              maxBatch: 4,
            },
          ],
          routes: [{ channels: ['wecom'], types: ['equipment_fault'] }],
          escalateAfter: undefined,
          escalateTo: [],
          repeatEvery: undefined,
          notifyResolved: false,
          allowPrivateTargets: ['127.0.0.1/32'],
          retry: { initial: '1s', max: '8s' },
        },
      },
    });
    await env.start({ readyTimeoutMs: 180_000 });

    robots.setMode('down');
    const byCounter = new Map<string, typeof items>();
    for (const i of items) byCounter.set(i.counter, [...(byCounter.get(i.counter) ?? []), i]);
    await Promise.all(
      [...byCounter].map(async ([counter, list]) => {
        const ctl = await login(env.mqttUrl, `ctl-${counter}`);
        for (const { equipment } of list)
          await ctl.publishAsync(
            `hall/cz-main/counter/${counter}/equipment/${equipment}`,
            JSON.stringify({ status: 'fault', code: 'R14', ts: Date.now() }),
            { qos: 1, retain: true },
          );
        await ctl.endAsync();
      }),
    );
    const t0 = Date.now();
    await waitUntil('three attempts against the 502 gateway', () => robots!.downHits.length >= 3, 60_000);
    robots.setMode('hang');
    await waitUntil('two attempts left unanswered', () => robots!.hungHits.length >= 2, 60_000);
    robots.setMode('too_fast');
    await waitUntil('two attempts told "too fast"', () => robots!.tooFastHits.length >= 2, 60_000);
    robots.setMode('ok');

    const res = await api(env, `/api/alerts?type=equipment_fault&limit=${2 * ALERTS}`, SUPERVISOR);
    const ids = ((Array.isArray(res.body) ? res.body : res.body.items) as { id: string }[]).map((a) => a.id);
    expect(ids).toHaveLength(ALERTS);
    const missing = () => ids.filter((id) => !robots!.items('wecom').includes(id));
    await waitUntil('every alert in the group', () => missing().length === 0, 240_000, 500).catch((e) => {
      throw new Error(`${(e as Error).message}: ${missing().length} of ${ALERTS} missing`);
    });
    const doneMs = Date.now() - t0;

    const down = gaps(robots.downHits);
    const hung = gaps(robots.hungHits);
    const tooFast = gaps(robots.tooFastHits);
    const sent = robots.received.filter((r) => r.platform === 'wecom').map((r) => r.at);
    const busiestMinute = Math.max(...sent.map((t) => sent.filter((u) => u >= t && u < t + 60_000).length));
    console.info(
      `R14: ${ALERTS} alerts in ${sent.length} messages, all delivered ${doneMs} ms after the burst; 502 gaps ${down} ms, unanswered gaps ${hung} ms, "too fast" gaps ${tooFast} ms; busiest minute ${busiestMinute}`,
    );
    // Back-off: each retry against the gateway waits longer than the one before (1 s doubling, ±20 %).
    for (let i = 1; i < down.length; i++) expect(down[i]!).toBeGreaterThan(down[i - 1]!);
    // A request that got no answer is abandoned at the channel's timeout, not repeated before.
    for (const g of hung) expect(g).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    // "Too fast" holds the channel for rateBlock.
    for (const g of tooFast) expect(g).toBeGreaterThanOrEqual(RATE_BLOCK_MS - 50);
    // The platform's own limit was never hit: ≤ 20 in any minute, nothing refused by the stand-in.
    expect(busiestMinute).toBeLessThanOrEqual(20);
    expect(robots.refused).toEqual([]);
    // Coalesced: digests of up to maxBatch alerts, so far fewer messages than alerts.
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(ALERTS / 2));
    expect(sent.length).toBeGreaterThan(20); // the limit really mattered
  }, 420_000);
});
