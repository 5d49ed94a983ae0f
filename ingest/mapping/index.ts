// Message (topic + payload) → the point to store, a duplicate, or a rejection with its reason.
// The only place that knows measurements; everything downstream moves opaque lines.
import type { Directory } from '../../core/config/index.ts';
import {
  alertLine,
  alertPointOf,
  alertSeriesOf,
  approvalLine,
  counterStateLine,
  deviceLine,
  intervalLine,
  lateArrivalLine,
} from '../../core/points/index.ts';
import {
  alertPayload,
  approvalRecord,
  counterStatePayload,
  type DecodeLimits,
  decodeDeviceMessage,
  parseTopic,
  type RejectReason,
  type TopicRef,
} from '../../core/protocol/index.ts';
import type { AlertIndex } from './alert-index.ts';
import { Dedupe } from './dedupe.ts';
import { intervalPayload, lateArrivalPayload } from './derived.ts';

/** Why a message or point was not stored; counted per reason in health. */
export type IngestRejectReason = RejectReason | 'influx_rejected';

export type MapResult =
  | { kind: 'point'; line: string }
  | { kind: 'duplicate' }
  /** Understood, nothing to store (e.g. the resolve of an alert opened before the index knew it). */
  | { kind: 'none'; note: string }
  | { kind: 'rejected'; reason: IngestRejectReason; field: string; detail: string };

export interface MapperOptions {
  limits: DecodeLimits;
  /** When set, ids the configuration does not know are rejected (config.ingest.rejectUnknownIds). */
  directory?: Directory;
  alerts: AlertIndex;
}

const SERVICE_KINDS: ReadonlySet<string> = new Set([
  'counter_state',
  'counter_interval',
  'late_arrival',
  'alert',
  'approval',
]);
type ServiceTopic = Extract<
  TopicRef,
  { kind: 'counter_state' | 'counter_interval' | 'late_arrival' | 'alert' | 'approval' }
>;
const isServiceTopic = (r: TopicRef): r is ServiceTopic => SERVICE_KINDS.has(r.kind);

export type Mapper = (topic: string, payload: Buffer, receivedAt: number) => MapResult;

export function createMapper(o: MapperOptions): Mapper {
  const dedupe = new Dedupe();
  const reject = (reason: IngestRejectReason, field: string, detail: string): MapResult => ({
    kind: 'rejected',
    reason,
    field,
    detail,
  });

  function service(topic: string, payload: Buffer, receivedAt: number): MapResult {
    const ref = parseTopic(topic);
    if (!isServiceTopic(ref)) return reject('bad_topic', 'topic', 'not a service topic');
    if (o.directory && !o.directory.hall(ref.hall))
      return reject('unknown_id', 'hall', `unknown hall "${ref.hall}"`);
    if (ref.kind === 'alert') {
      if (payload.length === 0) {
        const s = o.alerts.get(ref.alertId);
        if (!s) return { kind: 'none', note: 'alert_resolve_unknown' };
        o.alerts.delete(ref.alertId);
        return {
          kind: 'point',
          line: alertLine({ ...s, id: ref.alertId, status: 'resolved', resolvedAt: receivedAt }),
        };
      }
    }
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch {
      return reject('not_json', 'payload', 'payload is not JSON');
    }
    if (ref.kind === 'approval') {
      const r = approvalRecord.safeParse(value);
      if (!r.success)
        return reject(
          'invalid_field',
          r.error.issues[0]!.path.join('.') || 'payload',
          r.error.issues[0]!.message,
        );
      if (r.data.id !== ref.approvalId || r.data.hall !== ref.hall)
        return reject('invalid_field', 'id', 'approval id/hall differ from the topic');
      return { kind: 'point', line: approvalLine(r.data) };
    }
    if (ref.kind === 'alert') {
      const r = alertPayload.safeParse(value);
      if (!r.success)
        return reject(
          'invalid_field',
          r.error.issues[0]!.path.join('.') || 'payload',
          r.error.issues[0]!.message,
        );
      const a = r.data;
      if (a.id !== ref.alertId || a.hall !== ref.hall)
        return reject('invalid_field', 'id', 'alert id/hall differ from the topic');
      if (a.status === 'resolved') o.alerts.delete(a.id);
      else o.alerts.set(a.id, alertSeriesOf(a));
      return { kind: 'point', line: alertLine(alertPointOf(a)) };
    }
    if (o.directory && !o.directory.counter(ref.hall, ref.counter))
      return reject('unknown_id', 'counter', `unknown counter "${ref.counter}"`);
    if (ref.kind === 'counter_state') {
      const r = counterStatePayload.safeParse(value);
      if (!r.success)
        return reject(
          'invalid_field',
          r.error.issues[0]!.path.join('.') || 'payload',
          r.error.issues[0]!.message,
        );
      return { kind: 'point', line: counterStateLine(ref.hall, ref.counter, r.data) };
    }
    if (ref.kind === 'late_arrival') {
      const r = lateArrivalPayload.safeParse(value);
      if (!r.success)
        return reject(
          'invalid_field',
          r.error.issues[0]!.path.join('.') || 'payload',
          r.error.issues[0]!.message,
        );
      if (r.data.hall !== ref.hall || r.data.counter !== ref.counter)
        return reject('invalid_field', 'counter', 'late arrival hall/counter differ from the topic');
      return { kind: 'point', line: lateArrivalLine(r.data) };
    }
    const r = intervalPayload.safeParse(value);
    if (!r.success)
      return reject(
        'invalid_field',
        r.error.issues[0]!.path.join('.') || 'payload',
        r.error.issues[0]!.message,
      );
    if (r.data.hall !== ref.hall || r.data.counter !== ref.counter)
      return reject('invalid_field', 'counter', 'interval hall/counter differ from the topic');
    if (r.data.end < r.data.start) return reject('out_of_range', 'end', 'interval ends before it starts');
    return { kind: 'point', line: intervalLine(r.data) };
  }

  return (topic, payload, receivedAt) => {
    const d = decodeDeviceMessage(topic, payload, receivedAt, o.limits);
    if (!d.ok) {
      if (d.error.reason === 'not_a_device_topic') return service(topic, payload, receivedAt);
      return reject(d.error.reason, d.error.field, d.error.detail);
    }
    const e = d.event;
    if (o.directory) {
      const unknown = o.directory.unknownIdOf(e);
      if (unknown) return reject('unknown_id', unknown.field, `unknown ${unknown.field} "${unknown.value}"`);
    }
    if (e.tsFromDevice && dedupe.isDuplicate(topic, e.seq, e.ts)) return { kind: 'duplicate' };
    return { kind: 'point', line: deviceLine(e) };
  };
}
