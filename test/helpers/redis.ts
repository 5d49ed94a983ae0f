// A real redis-server on a free loopback port with its own dir (no snapshots, no AOF).
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../runtime/ports.ts';

export interface TestRedis {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(dir: string): Promise<TestRedis> {
  const port = await freePort();
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  const end = Date.now() + 10_000;
  while (!out.includes('Ready to accept connections')) {
    if (Date.now() > end || proc.exitCode !== null) throw new Error(`redis-server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    proc,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
