// `npm start` refuses the example configuration's demo secrets (they are printed in the README
// and only meant for `npm run demo`). Checked without a password hash per user, so a hall with
// hundreds of devices does not wait at start: a hash is a demo one when it is the example file's
// own string; tokens (unsalted sha256) and plain passwords are compared with the demo values.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Config } from '../core/config/index.ts';
import { hashToken } from '../runtime/secrets.ts';

export const EXAMPLE_CONFIG = resolve(import.meta.dirname, '../config/hallwatch.example.yaml');

/** A demo password is `demo-<username>`; a demo token is `demo-<role>`. */
const demoPasswordOf = (username: string) => `demo-${username}`;
const DEMO_TOKENS = ['supervisor', 'facility', 'assessor', 'admin'].map((role) => `demo-${role}`);

/** Where a demo secret sits in the config, and what it is, for the refusal message. */
export interface DemoSecret {
  path: string;
  /** The demo secret itself (it is public: README). */
  secret: string;
}

/** The password and token hashes written in the example file (each the hash of a demo secret). */
export function exampleHashes(file = EXAMPLE_CONFIG): Set<string> {
  if (!existsSync(file)) return new Set();
  const raw = parse(readFileSync(file, 'utf8')) as {
    mqtt?: { users?: { passwordHash?: string }[] };
    api?: { tokens?: { tokenHash?: string }[] };
  };
  return new Set(
    [
      ...(raw.mqtt?.users ?? []).map((u) => u.passwordHash),
      ...(raw.api?.tokens ?? []).map((t) => t.tokenHash),
    ].filter((h): h is string => typeof h === 'string'),
  );
}

export function findDemoSecrets(config: Config, known: Set<string> = exampleHashes()): DemoSecret[] {
  const found: DemoSecret[] = [];
  config.mqtt.users.forEach((u, i) => {
    if (known.has(u.passwordHash))
      found.push({ path: `mqtt.users[${i}] (${u.username})`, secret: demoPasswordOf(u.username) });
  });
  const svc = config.mqtt.service;
  if (svc && svc.password === demoPasswordOf(svc.username))
    found.push({ path: `mqtt.service (${svc.username})`, secret: svc.password });
  const demoTokenHashes = new Map(DEMO_TOKENS.map((t) => [hashToken(t), t]));
  (config.api?.tokens ?? []).forEach((t, i) => {
    const secret =
      demoTokenHashes.get(t.tokenHash) ?? (known.has(t.tokenHash) ? `demo-${t.role}` : undefined);
    if (secret) found.push({ path: `api.tokens[${i}] (${t.name})`, secret });
  });
  (config.bridges ?? []).forEach((b, i) => {
    const username = b.username ?? b.controller;
    if (b.password === demoPasswordOf(username))
      found.push({ path: `bridges[${i}] (${b.controller})`, secret: b.password });
  });
  return found;
}

/** Makes a random API token with nothing but Node (openssl rand -hex 24 does the same). */
export const TOKEN_COMMAND = `node -p "require('crypto').randomBytes(24).toString('hex')"`;

/** The refusal, Chinese first, with the commands that make real secrets. */
export function demoSecretsMessage(found: DemoSecret[], file: string): string {
  const shown = found.slice(0, 8).map((f) => `  ${f.path}: ${f.secret}`);
  if (found.length > shown.length)
    shown.push(`  … 另有 ${found.length - shown.length} 处 / ${found.length - shown.length} more`);
  return [
    `拒绝启动：${file} 中仍有示例配置的演示密钥（共 ${found.length} 处），演示密钥只能用于 npm run demo。`,
    ...shown,
    '请换成真实密钥：',
    "  设备与服务的 MQTT 密码：npm run hash-password -- '<新密码>'  → 结果填入 mqtt.users[].passwordHash",
    `  接口令牌：先生成随机令牌  ${TOKEN_COMMAND}`,
    "            再计算哈希    npm run hash-password -- --token '<令牌>'  → 结果填入 api.tokens[].tokenHash，令牌本身交给使用人",
    `  明文密码（mqtt.service.password、bridges[].password）请改为真实密码，或写成 \${环境变量}。`,
    '',
    `Refusing to start: ${file} still holds ${found.length} demo secret(s) of the example configuration`,
    '(public in the README, for `npm run demo` only). Make real ones:',
    "  MQTT passwords: npm run hash-password -- '<new password>'  → mqtt.users[].passwordHash",
    `  API tokens:     ${TOKEN_COMMAND}, then npm run hash-password -- --token '<token>'  → api.tokens[].tokenHash`,
    `  plain passwords (mqtt.service.password, bridges[].password): a real one, or \${ENV_VAR}.`,
  ].join('\n');
}
