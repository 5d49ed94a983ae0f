// Command-line options shared by the composition roots.
import type { ServiceName } from '../runtime/service.ts';

export const ALL_SERVICES: ServiceName[] = ['broker', 'ingest', 'alerts', 'api'];

export class UsageError extends Error {}

/** `--only broker,ingest` → the services to start, in dependency order. */
export function parseOnly(argv: string[]): ServiceName[] {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) return [...ALL_SERVICES];
  const arg = argv[i]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  if (!value) throw new UsageError('--only needs a list, e.g. --only broker,ingest');
  const names = value.split(',').map((s) => s.trim());
  for (const n of names)
    if (!ALL_SERVICES.includes(n as ServiceName))
      throw new UsageError(`unknown service "${n}" in --only (choose from ${ALL_SERVICES.join(', ')})`);
  if (names.includes('api') && !names.includes('alerts'))
    throw new UsageError('the api is served from the alerts service: use --only alerts,api');
  return ALL_SERVICES.filter((s) => names.includes(s));
}

/** The value of `--name VALUE` or `--name=VALUE` in this process's arguments. */
export function argValue(name: string, argv = process.argv.slice(2)): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** Prints the message and the usage to stderr and exits (2: a usage error). */
export function exitWithUsage(usage: string, message: string, code = 2): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(code);
}
