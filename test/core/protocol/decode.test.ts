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
