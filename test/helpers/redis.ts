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
  // Ready when it says so on stdout; an exit or 10 s of silence first is a failure with its output.
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const fail = () => reject(new Error(`redis-server did not start:\n${out}`));
    const timer = setTimeout(fail, 10_000);
    proc.once('exit', fail);
    proc.stdout!.on('data', (d) => {
      out += d;
      if (!out.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      proc.off('exit', fail);
      resolve();
    });
  });
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
