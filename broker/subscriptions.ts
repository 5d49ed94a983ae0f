// aedes stores the subscriptions of a SUBSCRIBE packet once per topic in it, each time with the
// whole list (lib/handlers/subscribe.js, storeSubscriptions), all at once. Persistences that
// broadcast new subscriptions to their peers (aedes-persistence-redis) wait for their own
// broadcast under a key made of the client id and the FIRST topic: N calls share one key, each
// replaces the previous waiter, one resolves and N-1 never do — no SUBACK for any SUBSCRIBE with
// two or more topics (the alerts service hung at start; aedes#602 has the same symptom with
// MongoDB). One packet's list is stored once here; every caller gets that one result.

interface SubscriptionStore {
  addSubscriptions(client: { id: string }, subs: object[]): Promise<unknown>;
}

export function storeEachSubscribeOnce(persistence: unknown): void {
  const p = persistence as SubscriptionStore;
  const add = p.addSubscriptions.bind(p);
  // Keyed by the packet's own array: the same list object means the same SUBSCRIBE packet.
  const inFlight = new WeakMap<object[], Promise<unknown>>();
  p.addSubscriptions = (client, subs) => {
    const running = inFlight.get(subs);
    if (running) return running;
    const stored = add(client, subs).finally(() => inFlight.delete(subs));
    inFlight.set(subs, stored);
    return stored;
  };
}
