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
