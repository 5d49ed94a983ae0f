// The Debian packages HallWatch starts as children (influxd for the demo; the test suite also
// needs redis, mosquitto, socat, chromium and victoria-metrics). One check-and-install step shared
// by `npm run demo`, `npm test` (vitest globalSetup) and .ci/run: apt-get when root, otherwise
// one line with the exact command to run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemPackage {
  /** Debian package name. */
  pkg: string;
  /** An executable the package puts on PATH, or a file it installs (absolute path). */
  provides: string;
  /** System service Debian starts on install; stopped, since HallWatch runs its own children. */
  service?: string;
}

export const INFLUXDB: SystemPackage = { pkg: 'influxdb', provides: 'influxd', service: 'influxdb' };

/** What `npm test` needs. */
export const TEST_PACKAGES: readonly SystemPackage[] = [
  INFLUXDB,
  { pkg: 'redis-server', provides: 'redis-server', service: 'redis-server' },
  // Debian puts the broker in /usr/sbin, which is not on a user's PATH.
  { pkg: 'mosquitto', provides: '/usr/sbin/mosquitto', service: 'mosquitto' },
  { pkg: 'mosquitto-clients', provides: 'mosquitto_pub' },
  { pkg: 'mosquitto-clients', provides: 'mosquitto_sub' },
  { pkg: 'socat', provides: 'socat' },
  { pkg: 'chromium', provides: 'chromium' },
  { pkg: 'victoria-metrics', provides: 'victoria-metrics', service: 'victoria-metrics' },
  // A CJK font so the board screenshots are readable.
  { pkg: 'fonts-wqy-microhei', provides: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc' },
];

export class SystemPackagesMissingError extends Error {
  constructor(
    readonly packages: string[],
    readonly command: string,
  ) {
    super(`缺少系统软件包 / missing system packages: ${packages.join(' ')}. Run:  ${command}`);
    this.name = 'SystemPackagesMissingError';
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function present(p: SystemPackage, path: string): boolean {
  if (p.provides.startsWith('/')) {
    try {
      accessSync(p.provides, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }
  return path.split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, p.provides)));
}

/** The Debian packages (deduplicated, in order) whose files are not there for this PATH. */
export function missingPackages(wanted: readonly SystemPackage[], path = process.env.PATH ?? ''): string[] {
  return [...new Set(wanted.filter((p) => !present(p, path)).map((p) => p.pkg))];
}

/** The one command a non-root user runs. */
export function installCommand(packages: readonly string[]): string {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

export interface EnsureOptions {
  say?: (line: string) => void;
  path?: string;
  /** Defaults to whether this process runs as root. */
  canInstall?: boolean;
}

/**
 * Installs what is missing with apt-get (update once) when root, stops the services Debian starts on
 * install, and throws SystemPackagesMissingError with the exact command otherwise.
 */
export function ensureSystemPackages(wanted: readonly SystemPackage[], options: EnsureOptions = {}): void {
  const say = options.say ?? ((line: string) => console.log(line));
  const missing = missingPackages(wanted, options.path);
  if (missing.length === 0) return;
  const command = installCommand(missing);
  if (!(options.canInstall ?? process.getuid?.() === 0))
    throw new SystemPackagesMissingError(missing, command);
  say(`正在安装 / installing: apt-get install ${missing.join(' ')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', PATH: options.path ?? process.env.PATH };
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', '--no-install-recommends', ...missing],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new SystemPackagesMissingError(missing, command);
  }
  // Debian starts these on install; HallWatch and the tests run their own children on free ports.
  for (const p of wanted) {
    if (p.service && missing.includes(p.pkg))
      spawnSync('service', [p.service, 'stop'], { stdio: 'ignore', env });
  }
  const still = missingPackages(wanted, options.path);
  if (still.length > 0) throw new SystemPackagesMissingError(still, installCommand(still));
}
