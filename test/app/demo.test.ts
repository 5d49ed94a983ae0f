// CI smoke test of `npm run demo`: it starts, serves live counters on the board's API, and the
// simulated hall makes an alert fire within its bounded run.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

describe('npm run demo', () => {
  let child: ChildProcess | undefined;
  let out = '';
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
  });

  it('serves the example hall live and fires an alert, then stops cleanly', async () => {
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'app/demo.ts', '--duration', '100', '--speed', '30'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    child.stdout!.on('data', (b) => (out += b));
    child.stderr!.on('data', (b) => (out += b));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));

    const board = await poll(
      'the board URL',
      async () => out.match(/看板 \/ board:\s+(http:\/\/\S+)\//)?.[1],
      90_000,
    );
    const get = async (path: string) => {
      const r = await fetch(board + path, { headers: { authorization: 'Bearer demo-supervisor' } });
      expect(r.status, path).toBe(200);
      return (await r.json()) as any;
    };
    const page = await fetch(`${board}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');

    const counters = await get('/api/halls/cz-main/counters');
    const list = counters.counters ?? counters;
    expect(list).toHaveLength(24);

    const alert = await poll(
      'an alert',
      async () => {
        const a = await get('/api/alerts?hall=cz-main');
        const alerts = a.alerts ?? a;
        return alerts.length ? alerts[0] : undefined;
      },
      70_000,
    );
    expect(alert.message).toMatch(/[\u4e00-\u9fff]/);
    // Staff arrive as the simulated morning goes on: counters turn staffed.
    await poll(
      'a staffed counter',
      async () => {
        const c = await get('/api/halls/cz-main/counters');
        return (c.counters ?? c).some((x: { state: string }) => x.state === 'staffed') ? true : undefined;
      },
      60_000,
    );

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('已停止 / stopped');
  }, 200_000);
});

async function poll<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`demo: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
