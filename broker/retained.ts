// Retained messages are held in memory (or Redis) for every later subscriber, so a device may
// retain only under ids the config knows and within a budget of messages and bytes.
import type { Config } from '../core/config/schema.ts';
import type { TopicRef } from '../core/protocol/topics.ts';

/** The seat, equipment and sensor ids of every hall, for "is this a configured id?" checks. */
export class KnownIds {
  private readonly ids = new Set<string>();

  constructor(config: Config) {
    for (const h of config.halls) {
      for (const e of h.equipment) this.ids.add(`${h.id}/equipment/${e.id}`);
      for (const s of h.sensors) this.ids.add(`${h.id}/env/${s.id}`);
      for (const c of h.counters) {
        for (const s of c.seats) this.ids.add(`${h.id}/${c.id}/seat/${s}`);
        for (const e of c.equipment) this.ids.add(`${h.id}/${c.id}/equipment/${e.id}`);
      }
    }
  }

  /** Why a device topic names an id the config does not know, or null. */
  unknown(ref: TopicRef): string | null {
    switch (ref.kind) {
      case 'seat':
        return this.ids.has(`${ref.hall}/${ref.counter}/seat/${ref.seat}`) ? null : 'unknown_seat';
      case 'equipment': {
        const key = ref.counter
          ? `${ref.hall}/${ref.counter}/equipment/${ref.equipment}`
          : `${ref.hall}/equipment/${ref.equipment}`;
        return this.ids.has(key) ? null : 'unknown_equipment';
      }
      case 'env':
        return this.ids.has(`${ref.hall}/env/${ref.sensor}`) ? null : 'unknown_sensor';
      default:
        return null; // counters, halls and the device itself are checked by the ACL
    }
  }
}

/**
 * Retained messages and bytes per device credential. An empty payload clears a topic and frees
 * its share; a retained publish that would pass either limit is refused.
 */
export class RetainedBudget {
  private readonly held = new Map<string, Map<string, number>>();

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {}

  /** Records the retained publish and returns null, or returns why it does not fit. */
  take(owner: string, topic: string, bytes: number): string | null {
    const topics = this.held.get(owner) ?? new Map<string, number>();
    const before = topics.get(topic);
    if (bytes === 0) {
      topics.delete(topic);
      if (topics.size === 0) this.held.delete(owner);
      return null;
    }
    let total = 0;
    for (const b of topics.values()) total += b;
    total += bytes - (before ?? 0);
    if (before === undefined && topics.size >= this.maxCount) return 'retained_count';
    if (total > this.maxBytes) return 'retained_bytes';
    topics.set(topic, bytes);
    this.held.set(owner, topics);
    return null;
  }
}
