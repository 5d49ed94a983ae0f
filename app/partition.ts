// Scale-out by hall (docs/scaling.md): `--halls a,b`, `--partition NAME` (a group of the config's
// `partitions`) or `--partition i/n` (hall-hash) picks the halls this process's ingest and alerts
// own. They subscribe to hall/{h}/… of those halls only, keep their own MQTT session and files,
// and see a configuration holding only those halls; the broker keeps the whole configuration.
import type { Config } from '../core/config/schema.ts';
import type { Partition } from '../runtime/service.ts';
import { UsageError } from './options.ts';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const arg = argv[i]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  if (!value || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

/**
 * `--api-port N`: the API of this process listens on N instead of api.listen.port, so each alerts
 * partition can serve its halls' API on one machine from the one shared configuration.
 */
export function withApiPort(argv: string[], config: Config): Config {
  const v = flag(argv, '--api-port');
  if (v === undefined) return config;
  const port = Number(v);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--api-port ${v}: not a port number (0–65535)`);
  return { ...config, api: { ...config.api, listen: { ...config.api.listen, port } } };
}

/** FNV-1a of the hall id: the same hall lands in the same partition on every machine. */
export function hallHash(hall: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < hall.length; i++) {
    h ^= hall.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The halls of hash partition `index` of `of`, in configuration order. */
export function hashPartition(config: Config, index: number, of: number): string[] {
  return config.halls.map((h) => h.id).filter((h) => hallHash(h) % of === index);
}

/** The partition named on the command line, or undefined (this process owns every hall). */
export function parsePartition(argv: string[], config: Config): Partition | undefined {
  const hallsArg = flag(argv, '--halls');
  const partArg = flag(argv, '--partition');
  if (hallsArg && partArg) throw new UsageError('give either --halls or --partition, not both');
  const known = config.halls.map((h) => h.id);
  const make = (key: string, halls: string[]): Partition => ({ key, halls, lead: halls.includes(known[0]!) });
  if (hallsArg) {
    const halls = [...new Set(hallsArg.split(',').map((s) => s.trim()))];
    const unknown = halls.filter((h) => !known.includes(h));
    if (unknown.length)
      throw new UsageError(
        `unknown hall${unknown.length > 1 ? 's' : ''} ${unknown.map((h) => `"${h}"`).join(', ')} in --halls (configured: ${known.join(', ')})`,
      );
    const groups = Object.entries(config.partitions ?? {});
    if (groups.length) {
      const same = groups.find(([, g]) => g.length === halls.length && g.every((h) => halls.includes(h)));
      if (!same)
        throw new UsageError(
          `--halls ${halls.join(',')} is not one of the configured partitions (${groups.map(([n, g]) => `${n}: ${g.join(',')}`).join('; ')}): use --partition NAME`,
        );
      return make(same[0], same[1]);
    }
    // The key names sessions and files: the halls in configuration order (the same for any order
    // on the command line), a hash of them when that gets long.
    const own = known.filter((h) => halls.includes(h));
    const joined = own.join('+');
    return make(joined.length <= 48 ? joined : `halls-${hallHash(joined).toString(16)}`, own);
  }
  if (!partArg) return undefined;
  const hash = /^(\d+)\/(\d+)$/.exec(partArg);
  if (hash) {
    const index = Number(hash[1]);
    const of = Number(hash[2]);
    if (of < 1 || index >= of)
      throw new UsageError(
        `--partition ${partArg}: the index must be below the count (0/${of} … ${of - 1}/${of})`,
      );
    const halls = hashPartition(config, index, of);
    if (!halls.length) throw new UsageError(`--partition ${partArg} holds no configured hall`);
    return make(`${index}-of-${of}`, halls);
  }
  const group = config.partitions?.[partArg];
  if (!group)
    throw new UsageError(
      `unknown partition "${partArg}" (configured: ${Object.keys(config.partitions ?? {}).join(', ') || 'none; add a partitions section or use i/n'})`,
    );
  return make(partArg, group);
}

/** The configuration as the services of a partition see it: only its halls (and their approvals). */
export function scopeConfig(config: Config, p: Partition | undefined): Config {
  if (!p) return config;
  const mine = (hall: string) => p.halls.includes(hall);
  return {
    ...config,
    halls: config.halls.filter((h) => mine(h.id)),
    leave: config.leave.filter((l) => mine(l.hall)),
    closures: config.closures.filter((c) => mine(c.hall)),
  };
}
