// Where HallWatch may send HTTP notifications: public addresses only, unless the operator
// allow-lists a private one (`notifications.allowPrivateTargets`). A webhook URL is operator
// input, but a compromised or careless config must not turn the alerts service into a scanner of
// the hall LAN or of a cloud metadata endpoint (169.254.169.254). Checked on the address actually
// connected to (after DNS), so a name that resolves to 127.0.0.1 is refused too.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

export class TargetRefused extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      `notification target ${host} (${address}) is a private, loopback or link-local address; allow it in notifications.allowPrivateTargets`,
    );
    this.name = 'TargetRefused';
  }
}

function v4(ip: string): number[] | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m ? m.slice(1).map(Number) : null;
}

/** Loopback, private (RFC 1918, CGNAT, ULA), link-local, unspecified, multicast or broadcast. */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const b = v4(mapped ?? ip);
  if (b) {
    const [a, c] = [b[0]!, b[1]!];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      a >= 224 ||
      (a === 100 && c >= 64 && c < 128) ||
      (a === 169 && c === 254) ||
      (a === 172 && c >= 16 && c < 32) ||
      (a === 192 && c === 168) ||
      (a === 198 && (c === 18 || c === 19))
    );
  }
  const x = ip.toLowerCase();
  return x === '::' || x === '::1' || /^f[cd]/.test(x) || /^fe[89ab]/.test(x) || /^ff/.test(x);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const a = v4(ip);
  const b = v4(base ?? '');
  if (!a || !b) return ip.toLowerCase() === (base ?? '').toLowerCase();
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const n = (q: number[]) => ((q[0]! << 24) | (q[1]! << 16) | (q[2]! << 8) | q[3]!) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (n(a) & mask) === (n(b) & mask);
}

/** True when `address` (reached as `host`) may be connected to. */
export function targetAllowed(host: string, address: string, allow: readonly string[]): boolean {
  if (!isPrivateAddress(address)) return true;
  return allow.some((entry) => entry.toLowerCase() === host.toLowerCase() || inCidr(address, entry));
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for http.request that refuses addresses the allow list does not cover. */
export function guardedLookup(allow: readonly string[]) {
  return (host: string, options: { all?: boolean; family?: number }, cb: LookupCallback) => {
    dnsLookup(host, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err, []);
      const bad = addresses.find((a) => !targetAllowed(host, a.address, allow));
      if (bad) return cb(Object.assign(new TargetRefused(host, bad.address), { code: 'ETARGETREFUSED' }), []);
      if (options.all) return cb(null, addresses);
      cb(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Throws TargetRefused for a URL whose host is a literal IP outside the allow list (no DNS involved). */
export function checkLiteralTarget(url: URL, allow: readonly string[]): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !targetAllowed(host, host, allow)) throw new TargetRefused(host, host);
}
