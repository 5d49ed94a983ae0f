// Transport-level limits aedes has no option for: the MQTT packet size (checked on the fixed
// header, before the body is buffered) and the per-client publish rate (a token bucket).
import { Duplex } from 'node:stream';

/**
 * Follows MQTT packet boundaries in a byte stream. `feed` returns the size of the first packet
 * that exceeds `maxBytes` (or -1 for a malformed length), else 0.
 */
export class PacketSizeScanner {
  private state: 'type' | 'length' = 'type';
  private bodyLeft = 0;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;

  constructor(private readonly maxBytes: number) {}

  feed(chunk: Buffer): number {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (byte & 0x80) {
        if (this.lengthBytes >= 4) return -1; // the remaining length has at most 4 bytes
        continue;
      }
      const total = 1 + this.lengthBytes + this.length;
      if (total > this.maxBytes) return total;
      this.bodyLeft = this.length;
      this.state = 'type';
    }
    return 0;
  }
}

/**
 * Wraps a client connection so that a packet larger than `maxBytes` closes it as soon as its
 * header arrives: the broker never buffers the oversize body. `onViolation` gets the size.
 */
export function guardPacketSize(
  inner: Duplex,
  maxBytes: number,
  onViolation: (size: number) => void,
): Duplex {
  const scanner = new PacketSizeScanner(maxBytes);
  let violated = false;
  const outer = new Duplex({
    read() {
      inner.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      if (inner.destroyed) return cb();
      if (inner.write(chunk)) cb();
      else inner.once('drain', () => cb());
    },
    final(cb) {
      inner.end();
      cb();
    },
    destroy(err, cb) {
      inner.destroy();
      cb(err);
    },
  });
  inner.on('data', (chunk: Buffer) => {
    if (violated) return;
    const size = scanner.feed(chunk);
    if (size !== 0) {
      violated = true;
      onViolation(size);
      inner.destroy();
      outer.destroy();
      return;
    }
    if (!outer.push(chunk)) inner.pause();
  });
  inner.on('end', () => outer.push(null));
  inner.on('close', () => outer.destroy());
  inner.on('error', () => outer.destroy());
  const remote = (inner as Duplex & { remoteAddress?: string }).remoteAddress;
  Object.defineProperty(outer, 'remoteAddress', { value: remote });
  return outer;
}

/** Token bucket: `rate` messages per second with a burst of one second's worth. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = rate;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
