// `mqtt.denySubscribe`: topic filters nobody may subscribe to (SUBACK 0x80) and whose topics are
// never delivered, also not through a wider subscription such as `#` (Mosquitto's `topic deny`).

/**
 * True when every topic `filter` can match is also matched by `deny` (a filter equal to or
 * narrower than the deny entry). A plain topic name is a filter without wildcards.
 */
export function covers(deny: string, filter: string): boolean {
  const d = deny.split('/');
  const f = filter.split('/');
  for (let i = 0; i < d.length; i++) {
    const dl = d[i]!;
    if (dl === '#') return !(i === 0 && f[0]?.startsWith('$') && !deny.startsWith('$'));
    const fl = f[i];
    if (fl === undefined) return false;
    if (dl === '+') {
      if (fl === '#' || (i === 0 && fl.startsWith('$'))) return false;
      continue;
    }
    if (dl !== fl) return false;
  }
  return d.length === f.length;
}

export class DenyList {
  constructor(private readonly filters: readonly string[]) {}

  /** The deny entry that refuses this subscription filter, or null. */
  subscription(filter: string): string | null {
    return this.filters.find((d) => covers(d, filter)) ?? null;
  }

  /** True when a message on `topic` must not be delivered. */
  blocks(topic: string): boolean {
    return this.filters.length > 0 && this.filters.some((d) => covers(d, topic));
  }
}
