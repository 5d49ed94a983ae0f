// Per-session bound on QoS 1/2 messages waiting for a client (offline, or sent but not yet
// acknowledged), like Mosquitto's max_queued_messages. When a session's queue is full the NEWEST
// message is not queued for it (the ones already waiting keep their order); every drop is counted
// and the caller logs it. Counts live in this process (per broker, also with Redis persistence).

interface OutgoingPersistence {
  outgoingEnqueue(sub: { clientId: string }, packet: object): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: object): Promise<unknown>;
}

export function boundQueues(
  persistence: unknown,
  /** Bound per session; a function picks it by client id (services get a larger one). */
  max: number | ((clientId: string) => number),
  onDrop: (clientId: string, queued: number) => void,
): { queued(clientId: string): number } {
  const p = persistence as OutgoingPersistence;
  const counts = new Map<string, number>();
  const fits = (clientId: string) => {
    const n = counts.get(clientId) ?? 0;
    if (n >= (typeof max === 'number' ? max : max(clientId))) {
      onDrop(clientId, n);
      return false;
    }
    counts.set(clientId, n + 1);
    return true;
  };
  const enqueue = p.outgoingEnqueue.bind(p);
  const combi = p.outgoingEnqueueCombi.bind(p);
  const clear = p.outgoingClearMessageId.bind(p);
  p.outgoingEnqueue = (sub, packet) => (fits(sub.clientId) ? enqueue(sub, packet) : Promise.resolve());
  p.outgoingEnqueueCombi = (subs, packet) => {
    const kept = subs.filter((s) => fits(s.clientId));
    return kept.length ? combi(kept, packet) : Promise.resolve();
  };
  p.outgoingClearMessageId = async (client, packet) => {
    const removed = await clear(client, packet);
    if (removed) {
      const n = (counts.get(client.id) ?? 1) - 1;
      if (n <= 0) counts.delete(client.id);
      else counts.set(client.id, n);
    }
    return removed;
  };
  return { queued: (clientId) => counts.get(clientId) ?? 0 };
}
