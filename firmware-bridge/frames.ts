// The serial line protocol of docs/serial-protocol.md: one ASCII frame per line,
// `$TYPE,seq,ts,fields…*CS` with CS = XOR of the bytes between `$` and `*` as two hex digits.

import { DEFAULT_DECODE_LIMITS, type DecodeLimits, decodeDeviceMessage } from '../core/protocol/decode.ts';
import type { OutgoingMessage } from '../core/protocol/encode.ts';
import { formatTopic } from '../core/protocol/topics.ts';

export const MAX_FRAME_BYTES = 256;

export type FrameRejectReason =
  | 'too_long'
  | 'framing'
  | 'checksum'
  | 'unknown_type'
  | 'invalid_field'
  | 'not_own_topic';

export type FrameResult =
  | { ok: true; type: string; message: OutgoingMessage }
  | { ok: false; reason: FrameRejectReason; detail: string };

/** What the bridge may publish for: its hall, device id, counters and env sensors. */
export interface FrameScope {
  hall: string;
  device: string;
  counters: ReadonlySet<string>;
  sensors: ReadonlySet<string>;
  /** Hall-level equipment and any env sensor may be published by a hall device bridge. */
  hallDevice?: boolean;
}

export function checksum(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i) & 0xff;
  return x.toString(16).toUpperCase().padStart(2, '0');
}

/** `$body*CS` (no line ending): what a controller sends, and what the simulator writes. */
export function encodeFrame(fields: (string | number | undefined)[]): string {
  const body = fields.map((f) => (f === undefined ? '' : String(f))).join(',');
  return `$${body}*${checksum(body)}`;
}

const ENV_KEYS = new Set(['lux', 'temperature', 'humidity', 'co2', 'noise']);
const bad = (reason: FrameRejectReason, detail: string): FrameResult => ({ ok: false, reason, detail });

/**
 * Parses one line into the MQTT message it stands for. `now` stamps frames without `ts` (so a
 * queued message keeps its observation time) and bounds the device clock skew.
 */
export function parseFrame(
  line: string,
  scope: FrameScope,
  now: number,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): FrameResult {
  const text = line.replace(/\r$/, '');
  if (Buffer.byteLength(text) > MAX_FRAME_BYTES) return bad('too_long', `${Buffer.byteLength(text)} bytes`);
  const m = /^\$([\x20-\x7e]*)\*([0-9A-Fa-f]{2})$/.exec(text);
  if (!m) return bad('framing', 'not $…*CS');
  const body = m[1]!;
  if (checksum(body) !== m[2]!.toUpperCase())
    return bad('checksum', `got ${m[2]}, computed ${checksum(body)}`);
  const [type = '', seqText = '', tsText = '', ...f] = body.split(',');
  const stamp: { ts?: number; seq?: number } = { ts: now };
  if (seqText !== '') {
    if (!/^\d{1,9}$/.test(seqText)) return bad('invalid_field', `seq "${seqText}"`);
    stamp.seq = Number(seqText);
  }
  if (tsText !== '') {
    if (!/^\d{1,15}$/.test(tsText)) return bad('invalid_field', `ts "${tsText}"`);
    stamp.ts = Number(tsText);
  }
  const { hall } = scope;
  const ownCounter = (c: string | undefined) => c !== undefined && scope.counters.has(c);
  let topic: string;
  let payload: string;
  let retain = true;
  switch (type) {
    case 'SEAT': {
      const [counter, seat, v] = f;
      if (f.length !== 3 || (v !== '0' && v !== '1'))
        return bad('invalid_field', 'SEAT needs counter,seat,0|1');
      if (!ownCounter(counter)) return bad('not_own_topic', `counter ${counter}`);
      topic = formatTopic({ kind: 'seat', hall, counter: counter!, seat: seat! });
      payload = JSON.stringify({ occupied: v === '1', ...stamp });
      break;
    }
    case 'SIGN': {
      const [counter, sign] = f;
      if (f.length !== 2) return bad('invalid_field', 'SIGN needs counter,none|away|paused');
      if (!ownCounter(counter)) return bad('not_own_topic', `counter ${counter}`);
      topic = formatTopic({ kind: 'sign', hall, counter: counter! });
      payload = JSON.stringify({ sign, ...stamp });
      break;
    }
    case 'BADGE': {
      const [counter, staff, action] = f;
      if (f.length !== 3) return bad('invalid_field', 'BADGE needs counter,staff,in|out');
      if (!ownCounter(counter)) return bad('not_own_topic', `counter ${counter}`);
      topic = formatTopic({ kind: 'badge', hall, counter: counter! });
      payload = JSON.stringify({ staff, action, ...stamp });
      retain = false;
      break;
    }
    case 'EQ': {
      const [counter, equipment, status, code, ...detail] = f;
      if (f.length < 3)
        return bad('invalid_field', 'EQ needs counter|-,equipment,ok|fault|off[,code[,detail]]');
      const hallLevel = counter === '-';
      if (hallLevel ? !scope.hallDevice : !ownCounter(counter))
        return bad('not_own_topic', `counter ${counter}`);
      topic = formatTopic({
        kind: 'equipment',
        hall,
        ...(hallLevel ? {} : { counter: counter! }),
        equipment: equipment!,
      });
      payload = JSON.stringify({
        status,
        ...(code ? { code } : {}),
        ...(detail.length ? { detail: detail.join(',') } : {}),
        ...stamp,
      });
      break;
    }
    case 'ENV': {
      const [sensor, pairs] = f;
      if (f.length !== 2 || !pairs) return bad('invalid_field', 'ENV needs sensor,key=value;…');
      if (!scope.hallDevice && !scope.sensors.has(sensor!)) return bad('not_own_topic', `sensor ${sensor}`);
      const readings: Record<string, number> = {};
      for (const pair of pairs.split(';')) {
        const [k, v] = pair.split('=');
        if (!k || !ENV_KEYS.has(k) || v === undefined || v === '' || !Number.isFinite(Number(v)))
          return bad('invalid_field', `ENV reading "${pair}"`);
        readings[k] = Number(v);
      }
      topic = formatTopic({ kind: 'env', hall, sensor: sensor! });
      payload = JSON.stringify({ ...readings, ...stamp });
      retain = false;
      break;
    }
    case 'HB':
      if (f.length !== 0) return bad('invalid_field', 'HB takes no fields');
      return { ok: true, type, message: statusMessage(hall, scope.device, true) };
    default:
      return bad('unknown_type', `type "${type}"`);
  }
  // The contract codec has the last word: what it would reject is never published.
  const check = decodeDeviceMessage(topic, payload, now, limits);
  if (!check.ok) return bad('invalid_field', `${check.error.field}: ${check.error.detail}`);
  return { ok: true, type, message: { topic, payload, qos: 1, retain } };
}

export function statusMessage(hall: string, device: string, online: boolean): OutgoingMessage {
  return {
    topic: formatTopic({ kind: 'device_status', hall, device }),
    payload: online ? 'online' : 'offline',
    qos: 1,
    retain: true,
  };
}
