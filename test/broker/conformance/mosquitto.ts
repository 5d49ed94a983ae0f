// Debian's Mosquitto (/usr/sbin/mosquitto) on a free loopback port with the password file and ACL
// equivalent to what HallWatch's broker enforces for the accounts the conformance suite uses: the
// service account reads and writes everything, the counter controller writes its counter's topics
// and its status and reads only its commands. The password file is made by `mosquitto_passwd -b`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../runtime/ports.ts';

const run = promisify(execFile);

export interface Mosquitto {
  port: number;
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startMosquitto(
  accounts: { username: string; password: string }[],
  acl: string,
): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-mosquitto-'));
  // Mosquitto started as root drops to its own user, which must read these files.
  chmodSync(dir, 0o755);
  const pw = join(dir, 'passwd');
  for (const [i, a] of accounts.entries())
    await run('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', pw, a.username, a.password]);
  chmodSync(pw, 0o644);
  writeFileSync(join(dir, 'acl'), acl, { mode: 0o644 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${pw}`,
      `acl_file ${join(dir, 'acl')}`,
      'persistence false',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const proc: ChildProcess = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const end = Date.now() + 10_000;
  while (!out.includes('running')) {
    if (proc.exitCode !== null || Date.now() > end) throw new Error(`mosquitto did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    dir,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.pid) {
        const exited = new Promise((r) => proc.once('exit', r));
        process.kill(proc.pid, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
