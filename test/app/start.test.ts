import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOnly } from '../../app/options.ts';

const root = new URL('../../', import.meta.url).pathname;

function start(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'app/start.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, HALLWATCH_CONFIG: '' },
  });
}

describe('npm start', () => {
  it('exits with code 2 and names every bad path of an invalid configuration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-start-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'halls:\n  - id: demo\n    name: x\n    sessions: { mon-fri: ["9-12"] }\n    counters: []\nrulez: {}\n',
    );
    const r = start(['--config', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('halls[0].sessions.mon-fri[0]: session must look like 09:00-12:00');
    expect(r.stderr).toContain('halls[0].counters: ');
    expect(r.stderr).toContain('rulez: unknown key');
  });

  it('exits with code 2 when the file is missing', () => {
    const r = start(['--config', '/nonexistent/hallwatch.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read /nonexistent/hallwatch.yaml');
  });

  it('exits with code 2 on an unknown service in --only', () => {
    const r = start(['--config', 'config/hallwatch.example.yaml', '--only', 'broker,mailer']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown service "mailer"');
  });

  it('starts services in dependency order whatever order --only names them', () => {
    expect(parseOnly(['--only', 'api,alerts,broker'])).toEqual(['broker', 'alerts', 'api']);
    expect(parseOnly([])).toEqual(['broker', 'ingest', 'alerts', 'api']);
    expect(() => parseOnly(['--only=api'])).toThrow(/alerts,api/);
  });
});
