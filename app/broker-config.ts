// npm run broker-config -- --mosquitto DIR --secrets FILE [--config FILE]
// Writes DIR/passwd, DIR/acl and DIR/mosquitto.conf so Eclipse Mosquitto 2.0 can be the
// device-facing broker (docs/broker.md "Mosquitto"). FILE holds `username: password` for every
// mqtt.users login (YAML or JSON): HallWatch stores only scrypt hashes, so the plain passwords come
// from the operator; each is checked against its passwordHash and never printed.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { BrokerConfigError, mosquittoFiles, mosquittoUsers } from '../broker/mosquitto-config.ts';
import { ConfigError } from '../core/errors.ts';
import { configPath, loadConfig } from './config.ts';
import { argValue, exitWithUsage } from './options.ts';

const USAGE =
  '用法 / usage: npm run broker-config -- --mosquitto DIR --secrets FILE [--config FILE]\n' +
  '  FILE: YAML or JSON, one `username: password` per mqtt.users login';

const arg = (name: string) => argValue(name);

function fail(message: string, code = 2): never {
  return exitWithUsage(USAGE, message, code);
}

function readSecrets(file: string): Record<string, string> {
  const data: unknown = parse(readFileSync(file, 'utf8'));
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    fail(`${file}: expected a map of username → password`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') fail(`${file}: the password of ${k} must be a string`);
    out[k] = v;
  }
  return out;
}

function main() {
  const dirArg = arg('mosquitto');
  const secretsFile = arg('secrets');
  if (!dirArg) fail('--mosquitto DIR is required');
  if (!secretsFile) fail('--secrets FILE is required (HallWatch keeps only password hashes)');
  const dir = resolve(dirArg);
  try {
    const config = loadConfig(configPath(process.argv.slice(2)));
    const users = mosquittoUsers(config, readSecrets(secretsFile));
    const files = mosquittoFiles(config, users, dir);
    mkdirSync(join(dir, 'data'), { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, name);
      writeFileSync(path, text, { mode: 0o600 });
      chmodSync(path, 0o600);
    }
    process.stdout.write(
      `wrote ${dir}/{passwd,acl,mosquitto.conf} for ${users.length} logins\n` +
        `run: mosquitto -c ${dir}/mosquitto.conf; set mqtt.url to this broker\n`,
    );
  } catch (e) {
    if (e instanceof ConfigError || e instanceof BrokerConfigError) fail(e.message, 1);
    throw e;
  }
}

main();
