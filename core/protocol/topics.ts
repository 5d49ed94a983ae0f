// Topics of CONTRACT §2 (devices → broker) and §3 (services → consumers).
import { COUNTER_ID, DEVICE_ID, EQUIPMENT_ID, HALL_ID, SEAT_ID, SENSOR_ID } from '../ids.ts';

export type TopicRef =
  | { kind: 'seat'; hall: string; counter: string; seat: string }
  | { kind: 'sign'; hall: string; counter: string }
  | { kind: 'badge'; hall: string; counter: string }
  | { kind: 'queue'; hall: string; counter: string }
  | { kind: 'equipment'; hall: string; counter?: string; equipment: string }
  | { kind: 'env'; hall: string; sensor: string }
  | { kind: 'device_status'; hall: string; device: string }
  | { kind: 'counter_state'; hall: string; counter: string }
  | { kind: 'counter_interval'; hall: string; counter: string }
  | { kind: 'late_arrival'; hall: string; counter: string }
  | { kind: 'alert'; hall: string; alertId: string }
  | { kind: 'approval'; hall: string; approvalId: string };

export type DeviceTopicKind = 'seat' | 'sign' | 'badge' | 'queue' | 'equipment' | 'env' | 'device_status';

export class TopicError extends Error {
  constructor(
    readonly topic: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${topic}: ${field}: ${reason}`);
  }
}

const ALERT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function id(topic: string, field: string, value: string | undefined, pattern: RegExp): string {
  if (value === undefined || !pattern.test(value))
    throw new TopicError(topic, field, `invalid ${field} id "${value ?? ''}"`);
  return value;
}

/** Parses a contract topic; throws TopicError naming the offending level. */
export function parseTopic(topic: string): TopicRef {
  const p = topic.split('/');
  if (p[0] !== 'hall' || p.length < 4) throw new TopicError(topic, 'topic', 'not a HallWatch topic');
  const hall = id(topic, 'hall', p[1], HALL_ID);
  if (p[2] === 'counter') {
    const counter = id(topic, 'counter', p[3], COUNTER_ID);
    if (p[4] === 'seat' && p.length === 6)
      return { kind: 'seat', hall, counter, seat: id(topic, 'seat', p[5], SEAT_ID) };
    if (p[4] === 'sign' && p.length === 5) return { kind: 'sign', hall, counter };
    if (p[4] === 'badge' && p.length === 5) return { kind: 'badge', hall, counter };
    if (p[4] === 'queue' && p.length === 5) return { kind: 'queue', hall, counter };
    if (p[4] === 'state' && p.length === 5) return { kind: 'counter_state', hall, counter };
    if (p[4] === 'interval' && p.length === 5) return { kind: 'counter_interval', hall, counter };
    if (p[4] === 'late_arrival' && p.length === 5) return { kind: 'late_arrival', hall, counter };
    if (p[4] === 'equipment' && p.length === 6)
      return { kind: 'equipment', hall, counter, equipment: id(topic, 'equipment', p[5], EQUIPMENT_ID) };
  } else if (p.length === 4) {
    if (p[2] === 'equipment')
      return { kind: 'equipment', hall, equipment: id(topic, 'equipment', p[3], EQUIPMENT_ID) };
    if (p[2] === 'env') return { kind: 'env', hall, sensor: id(topic, 'sensor', p[3], SENSOR_ID) };
    if (p[2] === 'alerts') return { kind: 'alert', hall, alertId: id(topic, 'alertId', p[3], ALERT_ID) };
    if (p[2] === 'approvals')
      return { kind: 'approval', hall, approvalId: id(topic, 'approvalId', p[3], ALERT_ID) };
  } else if (p[2] === 'device' && p[4] === 'status' && p.length === 5) {
    return { kind: 'device_status', hall, device: id(topic, 'device', p[3], DEVICE_ID) };
  }
  throw new TopicError(topic, 'topic', 'unknown topic shape');
}

export function formatTopic(ref: TopicRef): string {
  const h = `hall/${ref.hall}`;
  switch (ref.kind) {
    case 'seat':
      return `${h}/counter/${ref.counter}/seat/${ref.seat}`;
    case 'sign':
      return `${h}/counter/${ref.counter}/sign`;
    case 'badge':
      return `${h}/counter/${ref.counter}/badge`;
    case 'queue':
      return `${h}/counter/${ref.counter}/queue`;
    case 'equipment':
      return ref.counter
        ? `${h}/counter/${ref.counter}/equipment/${ref.equipment}`
        : `${h}/equipment/${ref.equipment}`;
    case 'env':
      return `${h}/env/${ref.sensor}`;
    case 'device_status':
      return `${h}/device/${ref.device}/status`;
    case 'counter_state':
      return `${h}/counter/${ref.counter}/state`;
    case 'counter_interval':
      return `${h}/counter/${ref.counter}/interval`;
    case 'late_arrival':
      return `${h}/counter/${ref.counter}/late_arrival`;
    case 'alert':
      return `${h}/alerts/${ref.alertId}`;
    case 'approval':
      return `${h}/approvals/${ref.approvalId}`;
  }
}

/** Subscription filters covering every device topic of CONTRACT §2. */
export const DEVICE_TOPIC_FILTERS = [
  'hall/+/counter/+/seat/+',
  'hall/+/counter/+/sign',
  'hall/+/counter/+/badge',
  'hall/+/counter/+/queue', // R29 extension (CONTRACT §7, docs/data-model.md)
  'hall/+/counter/+/equipment/+',
  'hall/+/equipment/+',
  'hall/+/env/+',
  'hall/+/device/+/status',
] as const;

/** `filters` narrowed to some halls (`hall/+/…` → `hall/{h}/…` for each); all halls when absent. */
export function forHalls(filters: readonly string[], halls: readonly string[] | undefined): string[] {
  if (!halls) return [...filters];
  return halls.flatMap((h) => filters.map((f) => f.replace(/^hall\/\+\//, `hall/${h}/`)));
}

/**
 * `filters` in groups for one SUBSCRIBE each, every packet under `maxBytes`: a partition owning
 * many halls has hundreds of filters, and the broker disconnects a client whose packet is over
 * mqtt.limits.maxPacketBytes (default 16 KB; 2 KB leaves room under any sane setting).
 */
export function subscribeBatches(filters: readonly string[], maxBytes = 2048): string[][] {
  const out: string[][] = [];
  let batch: string[] = [];
  let size = 0;
  for (const f of filters) {
    const bytes = Buffer.byteLength(f) + 3; // length prefix + options byte
    if (batch.length && size + bytes > maxBytes) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(f);
    size += bytes;
  }
  if (batch.length) out.push(batch);
  return out;
}

/** Filters for the derived topics of CONTRACT §3, plus the interval extension (docs/architecture.md). */
export const SERVICE_TOPIC_FILTERS = [
  'hall/+/counter/+/state',
  'hall/+/counter/+/interval',
  'hall/+/counter/+/late_arrival', // R23 extension (CHANGELOG.md)
  'hall/+/alerts/+',
  'hall/+/approvals/+',
] as const;

/**
 * Retained health of a service, `{"service", "status": "ok"|"down", "reason"?, "since", "detail"?}`
 * (an extension, CHANGELOG): the ingest sets `down` / `influx_refusing` while InfluxDB refuses
 * every point; monitoring and the board read it (docs/ingest.md).
 */
export const serviceStatusTopic = (service: string) => `hallwatch/status/${service}`;
export const SERVICE_STATUS_FILTER = 'hallwatch/status/+';
