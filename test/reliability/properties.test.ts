// Property tests of every parser that takes input from outside (S6, S11 and the config edge):
// whatever arrives, each answers with a value or its own typed error — never a crash.
// 10,000 cases per property in CI, 100,000 with SOAK=1 (`npm run soak`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../core/config/load.ts';
import { ConfigError } from '../../core/errors.ts';
import { decodeDeviceMessage } from '../../core/protocol/decode.ts';
import { formatTopic, parseTopic, TopicError } from '../../core/protocol/topics.ts';
import { encodeFrame, MAX_FRAME_BYTES, parseFrame } from '../../firmware-bridge/frames.ts';
import { BoundedLineSplitter, type LineChunk } from '../../firmware-bridge/lines.ts';

const RUNS = process.env.SOAK === '1' ? 100_000 : 10_000;
const TIMEOUT = process.env.SOAK === '1' ? 1_800_000 : 120_000;
const NOW = Date.UTC(2026, 2, 9, 2, 0);

const level = fc.oneof(
  fc.constantFrom(
    'hall',
    'counter',
    'seat',
    'sign',
    'badge',
    'equipment',
    'env',
    'device',
    'status',
    'state',
    'alerts',
    'cz-main',
    'w01',
    's1',
    '',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
/** Topics near the contract's shapes (most levels from its vocabulary) and plain noise. */
const topic = fc.oneof(
  fc.array(level, { minLength: 1, maxLength: 8 }).map((l) => l.join('/')),
  fc.string({ maxLength: 200 }),
);
const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
const payload = fc.oneof(
  json,
  fc
    .record({
      occupied: fc.anything(),
      sign: fc.anything(),
      status: fc.anything(),
      ts: fc.anything(),
      seq: fc.anything(),
    })
    .map((o) => {
      try {
        return JSON.stringify(o) ?? '';
      } catch {
        return '{}';
      }
    }),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  fc.constantFrom('online', 'offline', '"online"', '', 'null', '{"ts":1e400}', '{"__proto__":{"x":1}}'),
);

describe('property: parsers never crash', () => {
  it(
    'topic parser: a TopicRef that formats back to the same topic, or a TopicError',
    () => {
      fc.assert(
        fc.property(topic, (t) => {
          try {
            expect(formatTopic(parseTopic(t))).toBe(t);
          } catch (e) {
            if (!(e instanceof TopicError)) throw e;
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'payload validation: a device event or a reasoned rejection for any topic and bytes',
    () => {
      fc.assert(
        fc.property(topic, payload, fc.integer({ min: 0, max: 4_102_444_800_000 }), (t, p, at) => {
          const r = decodeDeviceMessage(t, p, at);
          if (!r.ok) expect(r.error.reason).toBeTruthy();
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'serial frame parser: a message or a rejection reason for any line; its own frames round-trip',
    () => {
      const scope = {
        hall: 'cz-main',
        device: 'ctl-w01',
        counters: new Set(['w01']),
        sensors: new Set(['env1']),
      };
      const line = fc.oneof(
        fc.string({ maxLength: 400 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc
          .array(
            fc.oneof(
              fc.constantFrom('SEAT', 'SIGN', 'EQ', 'ENV', 'BADGE', 'HB', 'w01', 's1', '1', '0'),
              fc.string({ maxLength: 12 }),
            ),
            {
              maxLength: 8,
            },
          )
          .map((f) => encodeFrame(f)),
      );
      fc.assert(
        fc.property(line, (l) => {
          const r = parseFrame(l, scope, NOW);
          if (!r.ok) expect(r.reason).toBeTruthy();
          if (Buffer.byteLength(l) > MAX_FRAME_BYTES + 1) expect(r.ok).toBe(false);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'line splitter: no line over the bound, and every byte accounted for',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
          fc.integer({ min: 1, max: 256 }),
          async (chunks, max) => {
            const s = new BoundedLineSplitter(max);
            const out: LineChunk[] = [];
            s.on('data', (c: LineChunk) => out.push(c));
            for (const c of chunks) s.write(Buffer.from(c));
            await new Promise((r) => setImmediate(r));
            const all = Buffer.concat(chunks.map((c) => Buffer.from(c)));
            const newlines = all.filter((b) => b === 0x0a).length;
            expect(out.length).toBe(newlines);
            let bytes = 0;
            for (const c of out) {
              if ('line' in c) {
                expect(Buffer.byteLength(c.line, 'latin1')).toBeLessThanOrEqual(max);
                bytes += Buffer.byteLength(c.line, 'latin1');
              } else bytes += c.overflow;
            }
            const tail = all.length - (all.lastIndexOf(0x0a) + 1);
            expect(bytes + newlines + tail).toBe(all.length);
          },
        ),
        { numRuns: Math.min(RUNS, process.env.SOAK === '1' ? RUNS : 5_000) * 2 },
      );
    },
    TIMEOUT,
  );

  it(
    'config loader: a Config or a ConfigError naming paths, for any YAML text or mutated config',
    () => {
      const base = {
        mqtt: { listen: { host: '127.0.0.1', port: 1883 }, users: [] },
        halls: [
          {
            id: 'demo',
            name: 'x',
            sessions: { 'mon-fri': ['09:00-12:00'] },
            counters: [{ id: 'w01', name: '1', seats: ['s1'] }],
          },
        ],
      };
      const mutated = fc
        .tuple(
          fc.constantFrom(
            'mqtt',
            'halls',
            'timezone',
            'rules',
            'api',
            'notifications',
            'mqtt.limits',
            'halls.0',
            'halls.0.counters',
          ),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map(([path, value]) => {
          const c = structuredClone(base) as Record<string, unknown>;
          const keys = path.split('.');
          let o = c as Record<string, unknown>;
          for (const k of keys.slice(0, -1)) o = (o[k] ?? {}) as Record<string, unknown>;
          o[keys.at(-1)!] = value;
          return JSON.stringify(c);
        });
      fc.assert(
        fc.property(fc.oneof(mutated, fc.string({ maxLength: 300 })), (text) => {
          try {
            parseConfigText(text, {});
          } catch (e) {
            if (!(e instanceof ConfigError)) throw e;
            expect(e.message).toBeTruthy();
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
