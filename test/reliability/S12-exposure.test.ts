// S12 production config scan against the product as `npm start` runs it: with the example
// (production) config every socket the product listens on is on loopback, nothing answers on the
// machine's network address, anonymous CONNECTs are refused; a second installation configured
// with anonymous access on 0.0.0.0 is refused at start (exit 2, saying why), one with a plaintext
// listener on 0.0.0.0 starts but logs the finding. The legitimate traffic keeps flowing.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productEnvs } from '../helpers/product.ts';
import { connackOf, connectPacket, flowed, legitimateFlow, type Product, startProduct } from './attack.ts';

/** `0100007F:1F90` (/proc/net/tcp, little-endian IPv4) or its tcp6 form → `127.0.0.1:8080` / `[::1]:8080`. */
function procAddress(hex: string): string {
  const [ip, port] = hex.split(':') as [string, string];
  const p = Number.parseInt(port, 16);
  if (ip.length === 8)
    return `${ip
      .match(/../g)!
      .reverse()
      .map((b) => Number.parseInt(b, 16))
      .join('.')}:${p}`;
  // IPv6: four little-endian 32-bit words.
  const words = ip.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  const groups = words
    .join('')
    .match(/.{4}/g)!
    .map((g) => Number.parseInt(g, 16).toString(16));
  const text = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  return `[${text}]:${p}`;
}

/** Local addresses of the TCP sockets `pid` listens on (from /proc: no iproute2 needed). */
function listeningOf(pid: number): string[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? ''];
      } catch {
        return []; // closed meanwhile
      }
    }),
  );
  return ['tcp', 'tcp6'].flatMap((f) =>
    readFileSync(`/proc/${pid}/net/${f}`, 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c[3] === '0A' && inodes.has(c[9] ?? '')) // 0A = LISTEN
      .map((c) => procAddress(c[1]!)),
  );
}

/** The machine's first non-loopback IPv4 address, if it has one. */
const networkAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** 'open' when a TCP connection to host:port is accepted, else the error code. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(3_000, () => {
      s.destroy();
      resolve('timeout');
    });
    s.once('connect', () => {
      s.destroy();
      resolve('open');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

describe('S12 production config scan', () => {
  let p: Product;
  const others = productEnvs();
  beforeAll(async () => {
    p = await startProduct();
  }, 120_000);
  afterAll(async () => {
    await others.cleanup();
    await p?.env.cleanup();
  });

  it('listens on loopback only with the example config and refuses anonymous clients', async () => {
    const flow = await legitimateFlow(p);
    const bound = listeningOf(p.proc.pid);
    expect(bound).toEqual(
      expect.arrayContaining([`127.0.0.1:${p.port}`, `127.0.0.1:${portOf(p.env.apiUrl!)}`]),
    );
    for (const a of bound)
      expect(a, 'a listener beyond loopback').toMatch(/^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/);
    if (networkAddress) {
      expect(await probe(networkAddress, p.port)).toBe('ECONNREFUSED');
      expect(await probe(networkAddress, portOf(p.env.apiUrl!))).toBe('ECONNREFUSED');
    }
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => connackOf(p, connectPacket(`anon-${i}`))),
    );
    expect(codes).toEqual(Array(20).fill(5));
    expect(flowed(await flow.stop())).toEqual([]);
  }, 90_000);

  it('refuses to start with anonymous access beyond loopback; warns about a plaintext listener there', async () => {
    const flow = await legitimateFlow(p);
    const open = await others.make({
      influxd: false,
      overrides: { mqtt: { listen: { host: '0.0.0.0' }, allowAnonymous: true } },
    });
    const err = await open.start({ only: ['broker'] }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).toMatch(/exited \(2\)/);
    expect(err).toMatch(/mqtt\.allowAnonymous: true while mqtt\.listen listens beyond loopback/);
    expect(open.processes[0]!.output()).not.toMatch(/"msg":"started"/);

    const plain = await others.make({ influxd: false, overrides: { mqtt: { listen: { host: '0.0.0.0' } } } });
    const broker = await plain.start({ only: ['broker'] });
    const warning = await broker.waitForLog((l) => l.kind === 'plaintext_listener', 5_000, 'the S12 warning');
    expect(warning).toMatchObject({ level: 40, listener: 'mqtt.listen', host: '0.0.0.0' });
    if (networkAddress) expect(await probe(networkAddress, portOf(plain.mqttUrl))).toBe('open');
    await broker.stop();
    expect(flowed(await flow.stop())).toEqual([]);
  }, 120_000);
});
