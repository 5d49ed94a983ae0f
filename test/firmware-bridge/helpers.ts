// Real pseudo-terminal pairs (socat) and a cuttable TCP proxy for the bridge tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { SerialPort } from 'serialport';
import { until } from '../broker/helpers.ts';

/** `socat pty,raw,echo=0,link=a pty,raw,echo=0,link=b`: bytes written to one end come out of the other. */
export async function startSocat(a: string, b: string): Promise<ChildProcess> {
  const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  await until(
    () => err.includes('starting data transfer loop') && existsSync(a) && existsSync(b),
    5000,
    'socat ptys',
  );
  return proc;
}

export async function stopSocat(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || !proc.pid) return;
  const exited = new Promise((r) => proc.once('exit', r));
  process.kill(proc.pid, 'SIGTERM');
  await exited;
}

/** The controller's end of the line: what a counter controller would write. */
export async function openDeviceEnd(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return port;
}

export function writeLines(port: SerialPort, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(lines.map((l) => `${l}\r\n`).join(''), (e) => (e ? reject(e) : port.drain(() => resolve())));
  });
}

/** A TCP proxy in front of the broker: `cut()` makes the broker unreachable for the bridge. */
export async function startProxy(
  targetPort: number,
): Promise<{ port: number; cut(): void; heal(): void; close(): Promise<void> }> {
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    if (!open) return sock.destroy();
    const up = net.connect(targetPort, '127.0.0.1');
    for (const s of [sock, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    sock.pipe(up).pipe(sock);
    sock.on('close', () => up.destroy());
    up.on('close', () => sock.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    heal() {
      open = true;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
