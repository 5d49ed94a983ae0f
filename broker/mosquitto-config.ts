// Files that put Eclipse Mosquitto 2.0 in front of HallWatch in place of the embedded broker
// (`npm run broker-config -- --mosquitto DIR`, docs/broker.md "Mosquitto"): a password_file in
// Mosquitto's own PBKDF2-SHA512 format, an acl_file written from the same ACL as broker/acl.ts,
// and a mosquitto.conf. Pure apart from the salt source: the CLI (app/broker-config.ts) writes them.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Config } from '../core/config/schema.ts';
import { verifySecret } from '../runtime/secrets.ts';
import { aclFilters } from './acl.ts';
import { type Principal, principalOf } from './auth.ts';

/** mosquitto_passwd's `$7$`: PBKDF2-SHA512, 101 iterations, 12-byte salt, 64-byte hash (Mosquitto 2.0). */
const PW_SHA512_PBKDF2 = 7;
const ITERATIONS = 101;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

/** One password_file line, `user:$7$101$<salt b64>$<hash b64>`, as `mosquitto_passwd -b` writes it. */
export function mosquittoPasswordLine(
  username: string,
  password: string,
  salt: Buffer = randomBytes(SALT_BYTES),
): string {
  const hash = pbkdf2Sync(password, salt, ITERATIONS, HASH_BYTES, 'sha512');
  return `${username}:$${PW_SHA512_PBKDF2}$${ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export class BrokerConfigError extends Error {}

/** A login Mosquitto must know: a configured user (or `mqtt.service`) with its plain password. */
export interface MosquittoUser {
  principal: Principal;
  password: string;
}

/**
 * Pairs every login of the config with its plain password from `secrets` (username → password).
 * HallWatch keeps only scrypt hashes, so the plain passwords come from the operator; each one is
 * checked against the configured hash, so Mosquitto can never accept a password the embedded
 * broker would refuse. `mqtt.service` carries its own password. Missing or wrong ones are named.
 */
export function mosquittoUsers(config: Config, secrets: Record<string, string>): MosquittoUser[] {
  const users: MosquittoUser[] = [];
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const u of config.mqtt.users) {
    checkUsername(u.username);
    const password = secrets[u.username];
    if (password === undefined) missing.push(u.username);
    else if (!verifySecret(password, u.passwordHash)) wrong.push(u.username);
    else users.push({ principal: principalOf(config, u), password });
  }
  const svc = config.mqtt.service;
  if (svc && !config.mqtt.users.some((u) => u.username === svc.username)) {
    checkUsername(svc.username);
    users.push({
      principal: { username: svc.username, role: 'service', counters: new Set(), sensors: new Set() },
      password: svc.password,
    });
  }
  if (missing.length || wrong.length)
    throw new BrokerConfigError(
      [
        missing.length ? `no password given for ${missing.join(', ')}` : '',
        wrong.length ? `password does not match the configured passwordHash for ${wrong.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  return users;
}

// Mosquitto's files are line- and space-separated: a username with ':' or whitespace cannot be written.
function checkUsername(username: string): void {
  if (/[:\s#]/.test(username))
    throw new BrokerConfigError(
      `username "${username}" cannot be written to Mosquitto's files (no ':', '#' or spaces)`,
    );
}

/** acl_file: one `user` block per login, services read and write everything (not `$` topics). */
export function mosquittoAcl(users: readonly MosquittoUser[]): string {
  const out = ['# HallWatch ACL (npm run broker-config): the rules of broker/acl.ts per login.', ''];
  for (const { principal } of users) {
    out.push(`user ${principal.username}`);
    const f = aclFilters(principal);
    if (f === null) out.push('topic readwrite #');
    else {
      for (const t of f.publish) out.push(`topic write ${t}`);
      for (const t of f.subscribe) out.push(`topic read ${t}`);
    }
    out.push('');
  }
  return out.join('\n');
}

export interface MosquittoFiles {
  passwd: string;
  acl: string;
  'mosquitto.conf': string;
}

/** Everything Mosquitto needs, for files placed in `dir` (absolute paths go into the conf). */
export function mosquittoFiles(
  config: Config,
  users: readonly MosquittoUser[],
  dir: string,
  salt: () => Buffer = () => randomBytes(SALT_BYTES),
): MosquittoFiles {
  const listen = config.mqtt.listen ?? { host: '0.0.0.0', port: 1883 };
  const limits = config.mqtt.limits;
  const conf = [
    '# HallWatch devices in front of Mosquitto 2.0 (npm run broker-config, docs/broker.md).',
    '# The services connect with mqtt.url and a role-service login from the password file.',
    'per_listener_settings false',
    `listener ${listen.port} ${listen.host}`,
    'allow_anonymous false',
    `password_file ${dir}/passwd`,
    `acl_file ${dir}/acl`,
    'persistence true',
    `persistence_location ${dir}/data/`,
    'autosave_interval 60',
    `max_packet_size ${limits.maxPacketBytes}`,
    `max_queued_messages ${limits.maxQueuedPerServiceSession}`,
    `max_inflight_messages 100`,
    '',
  ].join('\n');
  return {
    passwd: `${users.map((u) => mosquittoPasswordLine(u.principal.username, u.password, salt())).join('\n')}\n`,
    acl: mosquittoAcl(users),
    'mosquitto.conf': conf,
  };
}
