// Issue 16 (3b): Eclipse Mosquitto 2.0 (Debian's /usr/sbin/mosquitto) as the device-facing broker,
// with the files `npm run broker-config -- --mosquitto DIR` writes. Its password lines are the ones
// mosquitto_passwd writes; its ACL says what broker/acl.ts says; a device logs in with its HallWatch
// password, publishes its own topics, is refused another counter's topic and `#`; and the product's
// services (alerts + api, no broker) run through it: seat message → alert → /api/alerts.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { aclFilters, publishDenial } from '../../broker/acl.ts';
import { principalOf } from '../../broker/auth.ts';
import { mosquittoPasswordLine, mosquittoUsers } from '../../broker/mosquitto-config.ts';
import { configSchema } from '../../core/config/schema.ts';
import { freePort } from '../../runtime/ports.ts';
import { hashPassword } from '../../runtime/secrets.ts';
import { connectOnce } from '../helpers/mqtt.ts';
import {
  EXAMPLE_CONFIG,
  hallsInServiceNow,
  productEnvs,
  productPassword,
  productToken,
} from '../helpers/product.ts';

const ROOT = join(import.meta.dirname, '../..');
const dirs: string[] = [];
const envs = productEnvs();
let mosquitto: ChildProcess | undefined;
afterAll(async () => {
  if (mosquitto?.pid && mosquitto.exitCode === null) {
    const exited = new Promise((r) => mosquitto!.once('exit', r));
    process.kill(mosquitto.pid, 'SIGKILL');
    await exited;
  }
  await envs.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'hw-mosquitto-'));
  dirs.push(d);
  return d;
};

/** MQTT topic filter match (`+` one level, `#` the rest), as Mosquitto applies acl_file topics. */
function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

describe('the generated files', () => {
  it('writes the password line mosquitto_passwd writes (PBKDF2-SHA512, $7$101$)', () => {
    const file = join(tempDir(), 'passwd');
    writeFileSync(file, '');
    execFileSync('/usr/bin/mosquitto_passwd', ['-b', file, 'ctl-w01', 'pässwörd 1']);
    const theirs = readFileSync(file, 'utf8').trim();
    const salt = Buffer.from(theirs.split('$')[3]!, 'base64');
    expect(theirs).toMatch(/^ctl-w01:\$7\$101\$/);
    expect(mosquittoPasswordLine('ctl-w01', 'pässwörd 1', salt)).toBe(theirs);
    expect(mosquittoPasswordLine('ctl-w01', 'pässwörd 2', salt)).not.toBe(theirs);
  });

  it('gives every login of the example config the publish and subscribe rights of broker/acl.ts', () => {
    const config = configSchema.parse(parse(readFileSync(EXAMPLE_CONFIG, 'utf8')));
    const topics: string[] = [];
    for (const h of [...config.halls.map((x) => x.id), 'other-hall']) {
      const hall = config.halls.find((x) => x.id === h);
      const counters = [...(hall?.counters.map((c) => c.id) ?? []), 'w99'];
      for (const c of counters)
        for (const leaf of ['seat/s1', 'sign', 'badge', 'queue', 'equipment/printer', 'state', 'interval'])
          topics.push(`hall/${h}/counter/${c}/${leaf}`);
      for (const s of [...(hall?.sensors.map((x) => x.id) ?? []), 'env-x']) topics.push(`hall/${h}/env/${s}`);
      for (const u of config.mqtt.users) topics.push(`hall/${h}/device/${u.device ?? u.username}/status`);
      topics.push(`hall/${h}/equipment/ac-1`, `hall/${h}/alerts/a1`, 'hallwatch/status/ingest');
    }
    let allowed = 0;
    for (const u of config.mqtt.users) {
      const p = principalOf(config, u);
      const f = aclFilters(p);
      for (const t of topics) {
        const want = publishDenial(p, t) === null;
        const got = f === null || f.publish.some((x) => matches(x, t));
        expect({ user: u.username, topic: t, allowed: got }).toEqual({
          user: u.username,
          topic: t,
          allowed: want,
        });
        if (want) allowed++;
      }
    }
    expect(allowed).toBeGreaterThan(config.mqtt.users.length); // not a test of nothing
  });

  it('takes plain passwords only when they match the configured hashes, naming the ones missing or wrong', () => {
    const config = configSchema.parse({
      ...parse(readFileSync(EXAMPLE_CONFIG, 'utf8')),
      mqtt: {
        users: [
          {
            username: 'ctl-w01',
            passwordHash: hashPassword('one'),
            role: 'counter',
            hall: 'cz-main',
            counter: 'w01',
          },
          {
            username: 'ctl-w02',
            passwordHash: hashPassword('two'),
            role: 'counter',
            hall: 'cz-main',
            counter: 'w02',
          },
        ],
      },
    });
    expect(
      mosquittoUsers(config, { 'ctl-w01': 'one', 'ctl-w02': 'two' }).map((u) => u.principal.username),
    ).toEqual(['ctl-w01', 'ctl-w02']);
    expect(() => mosquittoUsers(config, { 'ctl-w01': 'one' })).toThrow(/no password given for ctl-w02/);
    expect(() => mosquittoUsers(config, { 'ctl-w01': 'uno', 'ctl-w02': 'two' })).toThrow(
      /does not match the configured passwordHash for ctl-w01/,
    );
  });
});

describe('Mosquitto in front of the services', () => {
  it('a device logs in with its HallWatch password and is held to its topics; seat → alert → API through Mosquitto', {
    timeout: 180_000,
  }, async () => {
    const port = await freePort();
    const env = await envs.make({
      overrides: {
        mqtt: { listen: { host: '127.0.0.1', port }, url: `mqtt://127.0.0.1:${port}` },
        halls: hallsInServiceNow(),
        rules: { unsignedGrace: '1s', awayLimit: '1s', gapGrace: '1s' },
      },
    });
    // The operator's secrets file: the plain password of every login (HallWatch keeps hashes only).
    const users = (env.config.mqtt as { users: { username: string }[] }).users;
    const secrets = join(tempDir(), 'secrets.json');
    writeFileSync(
      secrets,
      JSON.stringify(Object.fromEntries(users.map((u) => [u.username, productPassword(u.username)]))),
    );
    const dir = tempDir();
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'app/broker-config.ts',
        '--config',
        env.configFile,
        '--mosquitto',
        dir,
        '--secrets',
        secrets,
      ],
      { cwd: ROOT },
    );
    expect(readFileSync(join(dir, 'acl'), 'utf8')).toContain(
      'user ctl-w01\ntopic write hall/cz-main/device/ctl-w01/status',
    );
    // Running as root, Mosquitto would switch to the mosquitto user, who cannot read a 0600 file of root's.
    const conf = join(dir, 'test.conf');
    writeFileSync(
      conf,
      `${readFileSync(join(dir, 'mosquitto.conf'), 'utf8')}user root\nlog_dest stderr\nlog_type all\n`,
    );
    let log = '';
    const m = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    mosquitto = m;
    m.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    m.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor(
      'mosquitto running',
      () => /mosquitto version [\d.]+ running/.test(log),
      () => log,
    );

    // Wrong password, then the device's own.
    await expect(
      connectOnce(env.mqttUrl, { username: 'ctl-w01', password: 'wrong', clientId: 'x' }),
    ).rejects.toThrow();
    const watcher = await connectOnce(env.mqttUrl, {
      username: 'svc-hallwatch',
      password: productPassword('svc-hallwatch'),
      clientId: 'watcher',
    });
    const seen: string[] = [];
    watcher.on('message', (t) => seen.push(t));
    await watcher.subscribeAsync('hall/cz-main/#', { qos: 1 });
    const device = await connectOnce(env.mqttUrl, {
      username: 'ctl-w01',
      password: productPassword('ctl-w01'),
      clientId: 'ctl-w01',
    });
    // Mosquitto 2.0 grants the SUBACK of `#` (HallWatch's own broker answers 0x80) but delivers
    // only what the device's read rules allow: here, its own command topic and nothing else.
    const got: string[] = [];
    device.on('message', (t) => got.push(t));
    await device.subscribeAsync('#', { qos: 1 });
    await watcher.publishAsync('hall/cz-main/device/ctl-w02/cmd/reboot', '{}', { qos: 1 });
    await watcher.publishAsync('hall/cz-main/counter/w02/state', '{}', { qos: 1 });
    await watcher.publishAsync('hall/cz-main/device/ctl-w01/cmd/reboot', '{}', { qos: 1 });
    await waitFor(
      'own command delivered',
      () => got.length > 0,
      () => got.join(),
    );
    expect(got).toEqual(['hall/cz-main/device/ctl-w01/cmd/reboot']);
    const ts = Date.now();
    await device.publishAsync(
      'hall/cz-main/counter/w02/seat/s1',
      JSON.stringify({ occupied: true, ts, seq: 1 }),
      { qos: 1 },
    );
    await device.publishAsync(
      'hall/cz-main/counter/w01/sign',
      JSON.stringify({ status: 'open', ts, seq: 1 }),
      { qos: 1 },
    );
    await waitFor(
      'own sign topic delivered',
      () => seen.includes('hall/cz-main/counter/w01/sign'),
      () => seen.join(),
    );
    expect(seen).not.toContain('hall/cz-main/counter/w02/seat/s1'); // published before, so it would be here
    expect(log).toMatch(/Denied PUBLISH from ctl-w01 .*hall\/cz-main\/counter\/w02\/seat\/s1/);

    // The services, without the broker, connect to Mosquitto through mqtt.url with svc-hallwatch.
    await env.start({ only: ['alerts', 'api'], readyTimeoutMs: 120_000 });
    const ingest = await env.start({ only: ['ingest'], readyTimeoutMs: 120_000 });
    await ingest.waitForLog((l) => l.msg === 'ingest subscribed', 60_000, 'ingest subscribed');
    const alerts = async () => {
      const res = await fetch(`${env.apiUrl}/api/alerts?hall=cz-main`, {
        headers: { authorization: `Bearer ${productToken('supervisor')}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as
        | { items?: { counter?: string; type: string }[] }
        | { counter?: string; type: string }[];
      return (Array.isArray(body) ? body : (body.items ?? [])).filter((a) => a.counter === 'w03');
    };
    expect(await alerts()).toEqual([]);
    const w03 = await connectOnce(env.mqttUrl, {
      username: 'ctl-w03',
      password: productPassword('ctl-w03'),
      clientId: 'ctl-w03',
    });
    const t1 = Date.now();
    await w03.publishAsync(
      'hall/cz-main/counter/w03/seat/s1',
      JSON.stringify({ occupied: true, ts: t1, seq: 1 }),
      { qos: 1 },
    );
    await w03.publishAsync(
      'hall/cz-main/counter/w03/seat/s1',
      JSON.stringify({ occupied: false, ts: t1 + 1, seq: 2 }),
      { qos: 1 },
    );
    let open: { type: string }[] = [];
    await waitFor(
      'an alert for w03 in /api/alerts',
      async () => {
        open = await alerts();
        return open.length > 0;
      },
      () => JSON.stringify(open),
      60_000,
    );
    expect(open.map((a) => a.type)).toEqual(
      expect.arrayContaining([expect.stringMatching(/unattended|staffing_gap/)]),
    );
    // … and the ingest stored both seat messages (and nothing of the refused w02 one).
    let times: unknown[] = [];
    await waitFor(
      'both seat points in InfluxDB',
      async () => {
        const r = await env.influxd!.query('SELECT * FROM seat', env.database).catch(() => undefined);
        times = (r?.results[0]?.series?.[0]?.values ?? []).map((v: unknown[]) => v[0]);
        return times.length >= 2;
      },
      () => JSON.stringify(times),
      60_000,
    );
    expect(times).toEqual([t1, t1 + 1]);
    await Promise.all([device.endAsync(), watcher.endAsync(), w03.endAsync()]);
  });
});

async function waitFor(
  what: string,
  ok: () => boolean | Promise<boolean>,
  show: () => string,
  timeoutMs = 20_000,
) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${what} within ${timeoutMs} ms: ${show().slice(-2000)}`);
}
