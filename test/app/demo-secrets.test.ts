// `npm start` refuses the example's demo secrets (public in the README; `npm run demo` only), with a
// Chinese-first message saying how to make real ones; the same file with real secrets starts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../app/config.ts';
import { EXAMPLE_CONFIG, findDemoSecrets, TOKEN_COMMAND } from '../../app/demo-secrets.ts';
import { parseConfig } from '../../core/config/index.ts';
import { hashPassword, hashToken } from '../../runtime/secrets.ts';
import { type Json, withProductSecrets } from '../helpers/product.ts';

const root = new URL('../../', import.meta.url).pathname;
const example = () => parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Json;

describe('demo secrets', () => {
  it('finds every demo password, token and bridge password of the example config', () => {
    const found = findDemoSecrets(loadConfig(EXAMPLE_CONFIG));
    expect(found.filter((f) => f.path.startsWith('mqtt.users['))).toHaveLength(26);
    expect(found).toContainEqual({ path: 'mqtt.users[0] (ctl-w01)', secret: 'demo-ctl-w01' });
    expect(found).toContainEqual({ path: 'mqtt.users[25] (svc-hallwatch)', secret: 'demo-svc-hallwatch' });
    expect(found.filter((f) => f.path.startsWith('api.tokens['))).toEqual([
      { path: 'api.tokens[0] (张主任)', secret: 'demo-supervisor' },
      { path: 'api.tokens[1] (设备科李工)', secret: 'demo-facility' },
      { path: 'api.tokens[2] (考核办王科长)', secret: 'demo-assessor' },
      { path: 'api.tokens[3] (系统管理员)', secret: 'demo-admin' },
    ]);
    expect(found).toContainEqual({ path: 'bridges[0] (ctl-w07)', secret: 'demo-ctl-w07' });
  });

  it('finds a demo token hashed anew and the old mqtt.service demo password; real secrets pass', () => {
    const real = withProductSecrets(example());
    expect(findDemoSecrets(parseConfig(real, {}, 'real.yaml'))).toEqual([]);
    const mixed = {
      ...real,
      mqtt: {
        ...(real.mqtt as Json),
        service: { username: 'svc-hallwatch', password: 'demo-svc-hallwatch' },
      },
      api: {
        ...(real.api as Json),
        tokens: [{ name: '管理员', tokenHash: hashToken('demo-admin'), role: 'admin' }],
      },
    };
    expect(findDemoSecrets(parseConfig(mixed, {}, 'mixed.yaml')).map((f) => f.path)).toEqual([
      'mqtt.service (svc-hallwatch)',
      'api.tokens[0] (管理员)',
    ]);
    // A password of the user's own making is not a demo secret, whatever it looks like.
    const own = {
      ...real,
      mqtt: {
        ...(real.mqtt as Json),
        users: [{ username: 'ctl-w01', passwordHash: hashPassword('ctl-w01-2026'), role: 'service' }],
      },
    };
    expect(findDemoSecrets(parseConfig(own, {}, 'own.yaml'))).toEqual([]);
  });

  it('npm start with the example config exits 2, Chinese first, naming the commands for real secrets', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'app/start.ts', '--config', EXAMPLE_CONFIG], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HALLWATCH_CONFIG: '' },
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^拒绝启动：.*hallwatch\.example\.yaml 中仍有示例配置的演示密钥（共 31 处）/);
    expect(r.stderr).toContain('mqtt.users[0] (ctl-w01): demo-ctl-w01');
    expect(r.stderr).toContain("npm run hash-password -- '<新密码>'");
    expect(r.stderr).toContain(TOKEN_COMMAND);
    expect(r.stderr).toContain("npm run hash-password -- --token '<令牌>'");
    expect(r.stderr.indexOf('Refusing to start')).toBeGreaterThan(r.stderr.indexOf('请换成真实密钥'));
    expect(r.stdout).not.toContain('"msg":"started"');
  });

  it('the printed token command makes a 48-hex token', () => {
    const r = spawnSync('sh', ['-c', TOKEN_COMMAND], { encoding: 'utf8' });
    expect(r.stdout.trim()).toMatch(/^[0-9a-f]{48}$/);
  });
});
