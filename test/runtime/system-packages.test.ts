// The setup step `npm test`, `npm run demo` and .ci/run share, on a faked PATH (nothing is
// uninstalled from this machine): what is missing, the exact command, and the root path through a
// stand-in apt-get that records what it was asked.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureSystemPackages,
  installCommand,
  missingPackages,
  type SystemPackage,
  SystemPackagesMissingError,
  TEST_PACKAGES,
} from '../../runtime/system-packages.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeBin(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hw-path-'));
  dirs.push(dir);
  for (const n of names) script(dir, n, '#!/bin/sh\nexit 0\n');
  return dir;
}

function script(dir: string, name: string, body: string): void {
  writeFileSync(join(dir, name), body);
  chmodSync(join(dir, name), 0o755);
}

const TOOLS: SystemPackage[] = [
  { pkg: 'redis-server', provides: 'redis-server', service: 'redis-server' },
  { pkg: 'mosquitto-clients', provides: 'mosquitto_pub' },
  { pkg: 'mosquitto-clients', provides: 'mosquitto_sub' },
  { pkg: 'socat', provides: 'socat' },
];

describe('system packages', () => {
  it('this machine has everything the suite needs (the globalSetup passed)', () => {
    expect(missingPackages(TEST_PACKAGES)).toEqual([]);
  });

  it('names the missing Debian packages once each, for the PATH it is given', () => {
    const bin = fakeBin(['socat', 'mosquitto_pub']);
    expect(missingPackages(TOOLS, bin)).toEqual(['redis-server', 'mosquitto-clients']);
    expect(
      missingPackages(TOOLS, fakeBin(['socat', 'mosquitto_pub', 'mosquitto_sub', 'redis-server'])),
    ).toEqual([]);
  });

  it('a non-root user gets one line with the exact command', () => {
    const bin = fakeBin(['socat']);
    let error: unknown;
    try {
      ensureSystemPackages(TOOLS, { path: bin, canInstall: false, say: () => {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SystemPackagesMissingError);
    const e = error as SystemPackagesMissingError;
    expect(e.command).toBe(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends redis-server mosquitto-clients',
    );
    expect(e.message).toContain(e.command);
    expect(e.message.split('\n')).toHaveLength(1);
    expect(installCommand(['socat'])).toBe(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends socat',
    );
  });

  it('as root: apt-get update once, install the missing packages, stop the services Debian started', () => {
    const bin = fakeBin(['socat']);
    const log = join(bin, 'calls.log');
    // A stand-in apt-get that "installs" by creating the executables, and a stand-in service.
    script(
      bin,
      'apt-get',
      `#!/bin/sh\necho "apt-get $*" >> ${log}\nif [ "$1" = install ]; then for t in redis-server mosquitto_pub mosquitto_sub; do printf '#!/bin/sh\\n' > ${bin}/$t; /bin/chmod +x ${bin}/$t; done; fi\n`,
    );
    script(bin, 'service', `#!/bin/sh\necho "service $*" >> ${log}\n`);
    const said: string[] = [];
    ensureSystemPackages(TOOLS, { path: bin, canInstall: true, say: (l) => said.push(l) });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'apt-get update -q',
      'apt-get install -y -q --no-install-recommends redis-server mosquitto-clients',
      'service redis-server stop',
    ]);
    expect(said.join('\n')).toContain('redis-server mosquitto-clients');
    expect(missingPackages(TOOLS, bin)).toEqual([]);
  });

  it('as root: a failed apt-get ends with the command to run by hand', () => {
    const bin = fakeBin([]);
    script(bin, 'apt-get', '#!/bin/sh\nexit 100\n');
    expect(() => ensureSystemPackages(TOOLS, { path: bin, canInstall: true, say: () => {} })).toThrow(
      /apt-get install -y --no-install-recommends redis-server mosquitto-clients socat/,
    );
  });
});
