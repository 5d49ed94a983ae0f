// Topic ACLs by role (docs/broker.md): devices publish only their own contract topics and read
// only their own command topics; services and admins may do everything but write `$` topics.
import { parseTopic, TopicError, type TopicRef } from '../core/protocol/topics.ts';
import type { Principal } from './auth.ts';

/** Why a publish is refused, or null when it is allowed. */
export function publishDenial(p: Principal, topic: string): string | null {
  if (topic.startsWith('$')) return 'reserved_topic';
  if (p.role === 'service' || p.role === 'admin') return null;
  let ref: TopicRef;
  try {
    ref = parseTopic(topic);
  } catch (e) {
    if (e instanceof TopicError) return 'not_a_device_topic';
    throw e;
  }
  if (ref.hall !== p.hall) return 'other_hall';
  switch (ref.kind) {
    case 'device_status':
      return ref.device === p.device ? null : 'other_device';
    case 'counter_state':
    case 'counter_interval':
    case 'late_arrival':
    case 'alert':
    case 'approval':
      return 'service_topic';
    case 'env':
      return p.role === 'hall-device' || p.sensors.has(ref.sensor) ? null : 'other_sensor';
    case 'equipment':
      if (ref.counter === undefined) return p.role === 'hall-device' ? null : 'hall_topic';
      return p.role === 'counter' && p.counters.has(ref.counter) ? null : 'other_counter';
    case 'seat':
    case 'sign':
    case 'badge':
      return p.role === 'counter' && p.counters.has(ref.counter) ? null : 'other_counter';
    case 'queue':
      // R29: the hall's queue system (a hall device) counts for every counter; a counter's own
      // controller may relay its caller display's count.
      if (p.role === 'hall-device') return null;
      return p.role === 'counter' && p.counters.has(ref.counter) ? null : 'other_counter';
  }
}

/** The command subtree a device may read: `hall/{h}/device/{id}/cmd/#`. */
export function commandPrefix(p: Principal): string | null {
  return p.hall && p.device ? `hall/${p.hall}/device/${p.device}/cmd` : null;
}

export function maySubscribe(p: Principal, filter: string): boolean {
  if (p.role === 'service' || p.role === 'admin') return true;
  const prefix = commandPrefix(p);
  return prefix !== null && (filter === prefix || filter.startsWith(`${prefix}/`));
}

/** Delivery-time check (also covers retained messages and restored sessions). */
export function mayReceive(p: Principal, topic: string): boolean {
  if (p.role === 'service' || p.role === 'admin') return true;
  const prefix = commandPrefix(p);
  return prefix !== null && (topic === prefix || topic.startsWith(`${prefix}/`));
}

/**
 * The same rules as `publishDenial` / `maySubscribe`, written out as topic filters for a broker
 * that only knows filters (Mosquitto's acl_file, docs/broker.md "Mosquitto"): what `p` may publish
 * and what it may subscribe to. `null` means everything (services and admins). Filters do not
 * check id syntax; HallWatch's ingest still drops a topic whose ids are malformed.
 */
export function aclFilters(p: Principal): { publish: string[]; subscribe: string[] } | null {
  if (p.role === 'service' || p.role === 'admin') return null;
  const h = `hall/${p.hall ?? '-'}`;
  const publish: string[] = [];
  if (p.hall && p.device) publish.push(`${h}/device/${p.device}/status`);
  if (p.hall && p.role === 'hall-device')
    publish.push(`${h}/env/+`, `${h}/equipment/+`, `${h}/counter/+/queue`);
  if (p.hall && p.role === 'counter') {
    for (const c of [...p.counters].sort())
      for (const leaf of ['seat/+', 'sign', 'badge', 'queue', 'equipment/+'])
        publish.push(`${h}/counter/${c}/${leaf}`);
    for (const s of [...p.sensors].sort()) publish.push(`${h}/env/${s}`);
  }
  const prefix = commandPrefix(p);
  return { publish, subscribe: prefix ? [`${prefix}/#`] : [] };
}
