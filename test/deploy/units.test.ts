// deploy/: the systemd units and the environment file example. Each unit is read as systemd reads
// it (sections of Key=value lines) and must carry the hardening and the command `npm start` runs;
// where systemd-analyze exists (Debian 12 here) `systemd-analyze verify` must pass them without a
// single warning (it exits 0 on a value it ignores, so any output fails). Every HALLWATCH_*
// variable the code reads must be in hallwatch.env.example.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const DEPLOY = join(ROOT, 'deploy');
const DATA_DIR = '/var/lib/hallwatch';

type Unit = Map<string, Map<string, string[]>>;

/** Sections → key → every value (systemd allows a key more than once). */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = new Map();
      unit.set(s[1]!, section);
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv || !section) throw new Error(`not a unit line: ${raw}`);
    section.set(kv[1]!, [...(section.get(kv[1]!) ?? []), kv[2]!]);
  }
  return unit;
}

const unit = (name: string) => parseUnit(readFileSync(join(DEPLOY, name), 'utf8'));
const one = (u: Unit, section: string, key: string) => u.get(section)?.get(key)?.at(-1);

describe('deploy/ systemd units', () => {
  for (const [name, only] of [
    ['hallwatch.service', undefined],
    ['hallwatch@.service', '%i'],
  ] as const)
    it(`${name}: npm start's command as user hallwatch, hardened, writes only ${DATA_DIR}`, () => {
      const u = unit(name);
      const exec = one(u, 'Service', 'ExecStart')!;
      expect(exec).toMatch(
        /^\/usr\/bin\/node --import tsx app\/start\.ts --config \/etc\/hallwatch\/hallwatch\.yaml/,
      );
      if (only) expect(exec).toContain(`--only ${only}`);
      else expect(exec).not.toContain('--only');
      expect(one(u, 'Service', 'User')).toBe('hallwatch');
      expect(one(u, 'Service', 'WorkingDirectory')).toBe('/opt/hallwatch');
      expect(one(u, 'Service', 'ProtectSystem')).toBe('strict');
      expect(one(u, 'Service', 'ReadWritePaths')).toBe(DATA_DIR);
      expect(one(u, 'Service', 'StateDirectory')).toBe('hallwatch');
      expect(one(u, 'Service', 'NoNewPrivileges')).toBe('yes');
      expect(one(u, 'Service', 'Restart')).toBe('on-failure');
      expect(one(u, 'Service', 'RestartPreventExitStatus')).toBe('2');
      expect(Number(one(u, 'Service', 'LimitNOFILE'))).toBeGreaterThanOrEqual(65536);
      expect(one(u, 'Service', 'CapabilityBoundingSet')).toBe('');
      expect(u.get('Service')?.get('EnvironmentFile')?.[0]).toBe('/etc/hallwatch/hallwatch.env');
      expect(one(u, 'Install', 'WantedBy')).toBe('multi-user.target');
    });

  it('npm start runs the same entry point the units run', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).toBe('tsx app/start.ts');
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  it.runIf(analyze.status === 0)(
    'systemd-analyze verify passes both units and the instances broker, ingest, alerts,api without a warning',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'hw-units-'));
      try {
        const files = ['hallwatch.service', 'hallwatch@broker.service', 'hallwatch@ingest.service'];
        // An instance name cannot hold a comma: `systemctl start 'hallwatch@alerts\x2capi'` (systemd-escape).
        files.push('hallwatch@alerts\\x2capi.service');
        for (const f of files)
          copyFileSync(join(DEPLOY, f.includes('@') ? 'hallwatch@.service' : f), join(dir, f));
        const r = spawnSync('systemd-analyze', ['verify', ...files.map((f) => join(dir, f))], {
          encoding: 'utf8',
          cwd: dir,
        });
        expect(`${r.stdout}${r.stderr}`).toBe('');
        expect(r.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('deploy/hallwatch.env.example', () => {
  const sourceFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return sourceFiles(p);
      return p.endsWith('.ts') ? [p] : [];
    });

  it('names every HALLWATCH_* variable the product reads, as KEY=value lines systemd accepts', () => {
    const used = new Set<string>();
    for (const wing of [
      'app',
      'runtime',
      'core',
      'broker',
      'ingest',
      'alerts',
      'api',
      'reports',
      'firmware-bridge',
    ])
      for (const f of sourceFiles(join(ROOT, wing)))
        for (const m of readFileSync(f, 'utf8').matchAll(/\bHALLWATCH_[A-Z_]+\b/g)) used.add(m[0]);
    expect(used.size).toBeGreaterThanOrEqual(4);
    const text = readFileSync(join(DEPLOY, 'hallwatch.env.example'), 'utf8');
    const named = new Set([...text.matchAll(/^#?(HALLWATCH_[A-Z_]+)=/gm)].map((m) => m[1]!));
    expect([...used].filter((v) => !named.has(v))).toEqual([]);
    for (const line of text.split('\n'))
      if (line && !line.startsWith('#')) expect(line, line).toMatch(/^[A-Z_][A-Z0-9_]*=\S*$/);
  });
});
