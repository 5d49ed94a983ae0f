// Transport-level limits aedes has no option for: the MQTT packet size (checked on the fixed
// header, before the body is buffered) and the per-client publish rate (a token bucket).
import type { Duplex } from 'node:stream';

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
 * Checks the bytes aedes hands to a client's MQTT parser (the same buffers, no extra stream), so a
 * packet larger than `maxBytes` closes the connection as soon as its header arrives, before its
 * body is buffered (aedes has no such option). False when the client has no parser to hook.
 */
export function guardParser(client: unknown, maxBytes: number, onViolation: (size: number) => void): boolean {
  const parser = (client as { _parser?: { parse?: (buf: Buffer) => unknown } })._parser;
  if (!parser || typeof parser.parse !== 'function') return false;
  const parse = parser.parse.bind(parser);
  const scanner = new PacketSizeScanner(maxBytes);
  let violated = false;
  parser.parse = (buf: Buffer) => {
    if (violated) return 0;
    const size = scanner.feed(buf);
    if (size !== 0) {
      violated = true;
      onViolation(size);
      (client as { conn: Duplex }).conn.destroy();
      return 0;
    }
    return parse(buf);
  };
  return true;
}

/**
 * Per-device message rate as backpressure: a token bucket of `rate` messages per second with a
 * burst of one second's worth. A message over the rate is not refused: it takes the next token on
 * credit and waits for it. aedes reads a client's next socket chunk only when every packet of the
 * current one is handled, so the wait stops reading from that device (TCP pushes back to it)
 * while other devices go on. A controller draining its queue after an outage is slowed to the
 * rate, never disconnected for it.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  /** Since when the device has been continuously over its rate (undefined: it is not). */
  overSince: number | undefined;
  /** Messages delayed in the current streak. */
  delayed = 0;

  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = rate;
    this.last = now;
  }

  /** Takes a token; returns how many ms the message must wait for it (0: go on now). */
  delay(now: number): number {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    this.overSince ??= now;
    this.delayed++;
    return Math.ceil((-this.tokens / this.rate) * 1000);
  }

  /** Ends the streak (the device is under its rate again); returns it, if there was one. */
  settle(now: number): { ms: number; delayed: number } | undefined {
    if (this.overSince === undefined || this.tokens < 0) return undefined;
    const streak = { ms: now - this.overSince, delayed: this.delayed };
    this.overSince = undefined;
    this.delayed = 0;
    return streak;
  }
}
