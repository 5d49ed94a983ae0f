// TLS and MQTT-over-WebSocket listeners, and Debian's mosquitto clients as foreign clients.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerService } from '../../broker/index.ts';
import { brokerFor, collect, connect, hallConfig, pw, until } from './helpers.ts';

const run = promisify(execFile);

describe('TLS, WebSocket and foreign clients', () => {
  let dir: string;
  let broker: BrokerService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hw-broker-tls-'));
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    broker = await brokerFor(
      hallConfig({
        tls: { host: '127.0.0.1', port: 0, cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') },
        websocket: { host: '127.0.0.1', port: 0, path: '/mqtt' },
      }),
    );
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts mqtt.js over TLS with the self-signed CA and delivers to a TCP subscriber', async () => {
    const svc = await connect(broker.url!, 'svc-test');
    const got = await collect(svc, 'hall/demo/counter/w07/sign');
    const ctl = await connect(`mqtts://127.0.0.1:${broker.addresses.tls!.port}`, 'ctl-w07', {
      ca: readFileSync(join(dir, 'cert.pem')),
    });
    await ctl.publishAsync('hall/demo/counter/w07/sign', '{"sign":"away"}', { qos: 1, retain: true });
    await until(() => got.length === 1, 3000, 'TLS publish');
    await ctl.endAsync();
    await svc.endAsync();
  });

  it('refuses a TLS client that does not trust the certificate', async () => {
    await expect(connect(`mqtts://127.0.0.1:${broker.addresses.tls!.port}`, 'ctl-w07')).rejects.toThrow();
  });

  it('accepts mqtt.js over WebSocket', async () => {
    const ws = broker.addresses.ws!;
    const ctl = await connect(`ws://127.0.0.1:${ws.port}${ws.path}`, 'ctl-w12');
    const svc = await connect(broker.url!, 'svc-test', { clientId: 'svc-ws' });
    const got = await collect(svc, 'hall/demo/counter/w12/seat/+');
    await ctl.publishAsync('hall/demo/counter/w12/seat/s2', '{"occupied":true}', { qos: 1 });
    await until(() => got.some((m) => m.topic.endsWith('/s2') && !m.retain), 3000, 'WS publish');
    await ctl.endAsync();
    await svc.endAsync();
  });

  it('works with mosquitto_pub and mosquitto_sub, over TCP and TLS', async () => {
    const port = String(broker.addresses.tcp!.port);
    const sub = spawn('mosquitto_sub', [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-u',
      'svc-test',
      '-P',
      pw('svc-test'),
      '-i',
      'svc-mosq',
      '-t',
      'hall/demo/counter/w07/badge',
      '-q',
      '1',
      '-v',
      '-C',
      '2',
      '-W',
      '15',
    ]);
    let out = '';
    sub.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => sub.on('exit', r));
    await until(() => (broker.health().details.connections as number) >= 1, 3000, 'mosquitto_sub connected');
    await run('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-u',
      'ctl-w07',
      '-P',
      pw('ctl-w07'),
      '-i',
      'ctl-w07',
      '-t',
      'hall/demo/counter/w07/badge',
      '-q',
      '1',
      '-m',
      '{"staff":"E1023","action":"in"}',
    ]);
    await run('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(broker.addresses.tls!.port),
      '--cafile',
      join(dir, 'cert.pem'),
      '-u',
      'ctl-w07',
      '-P',
      pw('ctl-w07'),
      '-i',
      'ctl-w07:tls',
      '-t',
      'hall/demo/counter/w07/badge',
      '-q',
      '1',
      '-m',
      '{"staff":"E1023","action":"out"}',
    ]);
    expect(await exited).toBe(0);
    expect(out.trim().split('\n')).toEqual([
      'hall/demo/counter/w07/badge {"staff":"E1023","action":"in"}',
      'hall/demo/counter/w07/badge {"staff":"E1023","action":"out"}',
    ]);
  });

  it('refuses mosquitto_pub with a wrong password and mosquitto_sub on #', async () => {
    const port = String(broker.addresses.tcp!.port);
    const bad = await run('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-u',
      'ctl-w07',
      '-P',
      'guess',
      '-i',
      'ctl-w07',
      '-t',
      'hall/demo/counter/w07/sign',
      '-m',
      '{}',
    ]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad?.code).not.toBe(0);
    expect(bad?.stderr).toMatch(/not authori[sz]ed/i);
    // mosquitto_sub reports the refused grant and quits when every subscription was denied.
    const denied = await run('mosquitto_sub', [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-u',
      'ctl-w07',
      '-P',
      pw('ctl-w07'),
      '-i',
      'ctl-w07',
      '-t',
      '#',
      '-W',
      '5',
    ]);
    expect(denied.stderr).toMatch(/All subscription requests were denied/);
  });
});
