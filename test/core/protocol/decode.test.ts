import { describe, expect, it } from 'vitest';
import {
  decodeDeviceMessage,
  encodeDeviceEvent,
  formatTopic,
  parseTopic,
} from '../../../core/protocol/index.ts';

const NOW = Date.UTC(2026, 2, 9, 2, 0, 0);
const decode = (topic: string, payload: unknown) =>
  decodeDeviceMessage(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), NOW);

describe('topics', () => {
  it('parses and formats every contract topic', () => {
    for (const t of [
      'hall/cz-main/counter/w07/seat/s1',
      'hall/cz-main/counter/w07/sign',
      'hall/cz-main/counter/w07/badge',
      'hall/cz-main/counter/w07/queue',
      'hall/cz-main/counter/w07/equipment/printer',
      'hall/cz-main/equipment/queue',
      'hall/cz-main/env/env1',
      'hall/cz-main/device/ctl-w07/status',
      'hall/cz-main/counter/w07/state',
      'hall/cz-main/alerts/a-123',
    ])
      expect(formatTopic(parseTopic(t))).toBe(t);
  });

  it('names the level that is wrong', () => {
    expect(() => parseTopic('hall/CZ/counter/w07/sign')).toThrow(/hall/);
    expect(() => parseTopic('hall/cz/counter/w07/seat/S_1')).toThrow(/seat/);
    expect(() => parseTopic('hall/cz/counter/w07/window')).toThrow(/unknown topic shape/);
    expect(() => parseTopic('hall/cz/counter/w07/queue/extra')).toThrow(/unknown topic shape/);
    expect(() => parseTopic('hall/cz/counter/W 7/queue')).toThrow(/counter/);
  });
});

describe('payloads', () => {
  it('decodes a seat message with device time and seq', () => {
    const r = decode('hall/cz-main/counter/w07/seat/s1', {
      occupied: true,
      ts: NOW - 5000,
      seq: 17,
      rssi: -60,
    });
    expect(r).toMatchObject({
      ok: true,
      event: {
        kind: 'seat',
        counter: 'w07',
        seat: 's1',
        occupied: true,
        ts: NOW - 5000,
        seq: 17,
        tsFromDevice: true,
      },
    });
  });

  it('uses the receive time when ts is absent and says so', () => {
    const r = decode('hall/cz-main/counter/w07/sign', { sign: 'away' });
    expect(r).toMatchObject({
      ok: true,
      event: { kind: 'sign', sign: 'away', ts: NOW, tsFromDevice: false },
    });
  });

  it('accepts plain and JSON-string device status', () => {
    expect(decode('hall/cz-main/device/ctl-w07/status', 'offline')).toMatchObject({
      ok: true,
      event: { online: false },
    });
    expect(decode('hall/cz-main/device/ctl-w07/status', '"online"')).toMatchObject({
      ok: true,
      event: { online: true },
    });
  });

  it.each([
    ['hall/cz-main/counter/w07/seat/s1', 'not json', 'not_json', 'payload'],
    ['hall/cz-main/counter/w07/seat/s1', { occupied: 'yes' }, 'invalid_field', 'occupied'],
    ['hall/cz-main/counter/w07/sign', { sign: 'lunch' }, 'invalid_field', 'sign'],
    ['hall/cz-main/counter/w07/badge', { staff: 'E 1', action: 'in' }, 'invalid_field', 'staff'],
    ['hall/cz-main/env/env1', { lux: -5 }, 'out_of_range', 'lux'],
    ['hall/cz-main/env/env1', { firmware: '1.2' }, 'invalid_field', 'payload'],
    ['hall/cz-main/counter/w07/seat/s1', { occupied: true, ts: NOW + 3_600_000 }, 'ts_future', 'ts'],
    ['hall/cz-main/counter/w07/seat/s1', { occupied: true, ts: NOW - 30 * 86_400_000 }, 'ts_past', 'ts'],
    [
      'hall/cz-main/counter/w07/seat/s1',
      { occupied: true, pad: 'x'.repeat(5000) },
      'payload_too_large',
      'payload',
    ],
    ['hall/cz-main/device/ctl-w07/status', 'maybe', 'invalid_field', 'payload'],
    ['hall/Bad/counter/w07/seat/s1', { occupied: true }, 'bad_topic', 'hall'],
  ])('rejects %s %j as %s naming %s', (topic, payload, reason, field) => {
    const r = decode(topic, payload);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.reason).toBe(reason);
      expect(r.error.field).toBe(field);
      expect(r.error.topic).toBe(topic);
    }
  });

  it('round-trips an encoded event', () => {
    const r = decode('hall/cz-main/counter/w07/equipment/printer', {
      status: 'fault',
      code: 'PAPER_OUT',
      ts: NOW - 1,
    });
    if (!r.ok) throw r.error;
    const out = encodeDeviceEvent(r.event);
    expect(out).toMatchObject({ topic: 'hall/cz-main/counter/w07/equipment/printer', qos: 1, retain: true });
    expect(decode(out.topic, out.payload)).toEqual(r);
  });
});

describe('R29 queue topic (contract extension, CONTRACT §7)', () => {
  it('decodes {waiting, ts} into a queue event of the counter', () => {
    expect(decode('hall/cz-main/counter/w07/queue', { waiting: 3, ts: NOW - 2000, seq: 4 })).toEqual({
      ok: true,
      event: {
        kind: 'queue',
        hall: 'cz-main',
        counter: 'w07',
        waiting: 3,
        topic: 'hall/cz-main/counter/w07/queue',
        receivedAt: NOW,
        ts: NOW - 2000,
        seq: 4,
        tsFromDevice: true,
      },
    });
    expect(decode('hall/cz-main/counter/w07/queue', { waiting: 0 })).toMatchObject({
      ok: true,
      event: { kind: 'queue', waiting: 0, ts: NOW, tsFromDevice: false },
    });
  });

  it.each([
    [{ waiting: -1 }, 'waiting'],
    [{ waiting: 2.5 }, 'waiting'],
    [{ waiting: '3' }, 'waiting'],
    [{ waiting: 10_001 }, 'waiting'],
    [{ count: 3 }, 'waiting'],
    [[3], 'payload'],
  ])('rejects %j naming %s', (payload, field) => {
    const r = decode('hall/cz-main/counter/w07/queue', payload);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ reason: 'invalid_field', field });
  });

  it('a stale or future ts is refused like any device time', () => {
    const r = decode('hall/cz-main/counter/w07/queue', { waiting: 1, ts: NOW + 3_600_000 });
    expect(r).toMatchObject({ ok: false, error: { reason: 'ts_future', field: 'ts' } });
  });

  it('encodes retained at QoS 1 and round-trips', () => {
    const r = decode('hall/cz-main/counter/w07/queue', { waiting: 5, ts: NOW - 1 });
    if (!r.ok) throw r.error;
    const out = encodeDeviceEvent(r.event);
    expect(out).toEqual({
      topic: 'hall/cz-main/counter/w07/queue',
      payload: JSON.stringify({ waiting: 5, ts: NOW - 1 }),
      qos: 1,
      retain: true,
    });
    expect(decode(out.topic, out.payload)).toEqual(r);
  });
});

describe("R30 the sign's note and returnBy", () => {
  it('carries a 去向 note of up to 32 characters (not bytes) and returnBy', () => {
    const note = '窗'.repeat(32);
    expect(
      decode('hall/cz-main/counter/w07/sign', { sign: 'away', note, returnBy: NOW + 600_000 }),
    ).toMatchObject({
      ok: true,
      event: { kind: 'sign', sign: 'away', note, returnBy: NOW + 600_000 },
    });
    const r = decode('hall/cz-main/counter/w07/sign', { sign: 'away', note: '窗'.repeat(33) });
    expect(r).toMatchObject({ ok: false, error: { reason: 'invalid_field', field: 'note' } });
    const plain = decode('hall/cz-main/counter/w07/sign', { sign: 'none' });
    expect(plain.ok && plain.event).not.toHaveProperty('note');
  });
});
