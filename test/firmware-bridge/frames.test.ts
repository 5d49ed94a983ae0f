// The serial line protocol (docs/serial-protocol.md): frames → contract MQTT messages.
import { describe, expect, it } from 'vitest';
import { checksum, encodeFrame, type FrameScope, parseFrame } from '../../firmware-bridge/frames.ts';
import { BoundedLineSplitter, type LineChunk } from '../../firmware-bridge/lines.ts';
import { decodeRegister } from '../../firmware-bridge/modbus.ts';

const scope: FrameScope = {
  hall: 'demo',
  device: 'ctl-w07',
  counters: new Set(['w07']),
  sensors: new Set(['env1']),
};
const NOW = Date.UTC(2026, 2, 9, 2, 0, 0);

describe('serial frames', () => {
  it('uses the NMEA-style XOR checksum of the bytes between $ and *', () => {
    // H ^ B ^ , ^ 1 ^ , = 0x48 ^ 0x42 ^ 0x2c ^ 0x31 ^ 0x2c = 0x3b
    expect(checksum('HB,1,')).toBe('3B');
    expect(encodeFrame(['HB', 1, undefined])).toBe('$HB,1,*3B');
  });

  it('turns each frame type into its contract topic and payload', () => {
    const t = NOW - 5_000;
    const cases: [string, string, object | string, boolean][] = [
      [
        encodeFrame(['SEAT', 17, t, 'w07', 's1', 1]),
        'hall/demo/counter/w07/seat/s1',
        { occupied: true, ts: t, seq: 17 },
        true,
      ],
      [
        encodeFrame(['SIGN', 18, t, 'w07', 'away']),
        'hall/demo/counter/w07/sign',
        { sign: 'away', ts: t, seq: 18 },
        true,
      ],
      [
        encodeFrame(['BADGE', 19, t, 'w07', 'E1023', 'in']),
        'hall/demo/counter/w07/badge',
        { staff: 'E1023', action: 'in', ts: t, seq: 19 },
        false,
      ],
      [
        encodeFrame(['EQ', 20, t, 'w07', 'printer', 'fault', 'PAPER_OUT', 'tray empty, refill']),
        'hall/demo/counter/w07/equipment/printer',
        { status: 'fault', code: 'PAPER_OUT', detail: 'tray empty, refill', ts: t, seq: 20 },
        true,
      ],
      [
        encodeFrame(['ENV', 21, t, 'env1', 'lux=320;temperature=24.5']),
        'hall/demo/env/env1',
        { lux: 320, temperature: 24.5, ts: t, seq: 21 },
        false,
      ],
      [encodeFrame(['HB', '', '']), 'hall/demo/device/ctl-w07/status', 'online', true],
    ];
    for (const [line, topic, payload, retain] of cases) {
      const r = parseFrame(`${line}\r`, scope, NOW);
      expect(r, line).toMatchObject({ ok: true, message: { topic, qos: 1, retain } });
      if (!r.ok) continue;
      if (typeof payload === 'string') expect(r.message.payload).toBe(payload);
      else expect(JSON.parse(r.message.payload)).toEqual(payload);
    }
  });

  it('stamps frames without ts with the receive time so queued messages keep their time', () => {
    const r = parseFrame(encodeFrame(['SEAT', '', '', 'w07', 's1', 0]), scope, NOW);
    expect(r.ok && JSON.parse(r.message.payload)).toEqual({ occupied: false, ts: NOW });
  });

  it('rejects bad frames with a reason and never yields a message', () => {
    const good = encodeFrame(['SEAT', 1, NOW, 'w07', 's1', 1]);
    const cases: [string, string][] = [
      [good.replace(/\*..$/, '*00'), 'checksum'],
      ['SEAT,1,2,w07,s1,1', 'framing'],
      ['$garbage', 'framing'],
      [encodeFrame(['SEAT', 1, NOW, 'w12', 's1', 1]), 'not_own_topic'],
      [encodeFrame(['ENV', 1, NOW, 'env9', 'lux=1']), 'not_own_topic'],
      [encodeFrame(['EQ', 1, NOW, '-', 'queue', 'ok']), 'not_own_topic'],
      [encodeFrame(['SEAT', 1, NOW, 'w07', 's1', 2]), 'invalid_field'],
      [encodeFrame(['SIGN', 1, NOW, 'w07', 'gone']), 'invalid_field'],
      [encodeFrame(['ENV', 1, NOW, 'env1', 'lux=abc']), 'invalid_field'],
      [encodeFrame(['ENV', 1, NOW, 'env1', 'humidity=140']), 'invalid_field'],
      [encodeFrame(['SEAT', 'x', NOW, 'w07', 's1', 1]), 'invalid_field'],
      [encodeFrame(['SEAT', 1, NOW + 3_600_000, 'w07', 's1', 1]), 'invalid_field'],
      [encodeFrame(['NOPE', 1, NOW]), 'unknown_type'],
      [`$${'A'.repeat(300)}*00`, 'too_long'],
    ];
    for (const [line, reason] of cases)
      expect(parseFrame(line, scope, NOW), line).toMatchObject({ ok: false, reason });
  });

  it('splits lines and reports an over-long line once instead of buffering it', async () => {
    const s = new BoundedLineSplitter(16);
    const out: LineChunk[] = [];
    s.on('data', (c: LineChunk) => out.push(c));
    s.write(Buffer.from('$A*41\r\n$B'));
    s.write(Buffer.from('*42\n'));
    s.write(Buffer.from('x'.repeat(40)));
    s.write(Buffer.from('yy\n$C*43\n'));
    await new Promise((r) => setImmediate(r));
    expect(out).toEqual([{ line: '$A*41\r' }, { line: '$B*42' }, { overflow: 42 }, { line: '$C*43' }]);
  });
});

describe('Modbus register maps', () => {
  const reg = (type: 'int16' | 'uint16' | 'uint32' | 'int32' | 'float32', extra = {}) => ({
    metric: 'lux' as const,
    fc: 3 as const,
    address: 0,
    type,
    wordOrder: 'be' as const,
    scale: 1,
    offset: 0,
    ...extra,
  });
  it('decodes the transmitter formats of docs/serial-protocol.md', () => {
    expect(decodeRegister([245], reg('int16', { scale: 0.1 }))).toBe(24.5); // RS-WS-N01 T×10
    expect(decodeRegister([0xffce], reg('int16', { scale: 0.1 }))).toBe(-5); // −5.0 °C
    expect(decodeRegister([0x0001, 0x86a0], reg('uint32'))).toBe(100_000); // lux hi/lo words
    expect(decodeRegister([0x86a0, 0x0001], reg('uint32', { wordOrder: 'le' }))).toBe(100_000);
    expect(decodeRegister([0x41c4, 0x0000], reg('float32'))).toBe(24.5);
    expect(decodeRegister([0xffff, 0xfffe], reg('int32'))).toBe(-2);
    expect(decodeRegister([412], reg('uint16', { offset: -12 }))).toBe(400);
  });
});
