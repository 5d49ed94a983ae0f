// S10: webhook and robot targets on private addresses are refused unless allow-listed, and a
// redirect is never followed (the target a redirect names receives nothing).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress, targetAllowed } from '../../../alerts/notify/targets.ts';
import type { Notifier } from '../../../alerts/notify/types.ts';
import { DeliveryError } from '../../../alerts/notify/types.ts';
import { createWebhookNotifier } from '../../../alerts/notify/webhook.ts';
import { createWecomNotifier } from '../../../alerts/notify/wecom.ts';
import { LOOPBACK, type RecordingServer, startRecordingServer, testConfig } from '../helpers.ts';
import { notificationOf } from './fixtures.ts';

const send = (n: Notifier) =>
  n.send([notificationOf(testConfig({ dataDir: '/tmp/unused' }))], AbortSignal.timeout(5_000));

describe('notification targets', () => {
  let inside: RecordingServer;
  let redirector: ReturnType<typeof createServer>;
  let redirectUrl = '';

  beforeAll(async () => {
    inside = await startRecordingServer();
    redirector = createServer((_req, res) => {
      res.writeHead(302, { location: `${inside.url}/stolen` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await inside.close();
    await new Promise<void>((r) => redirector.close(() => r()));
  });

  it('classifies loopback, private, link-local and metadata addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.5',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['8.8.8.8', '101.226.103.106', '172.32.0.1', '2400:3200::1'])
      expect(isPrivateAddress(ip), ip).toBe(false);
    expect(targetAllowed('10.20.1.9', '10.20.1.9', ['10.20.0.0/16'])).toBe(true);
    expect(targetAllowed('10.21.1.9', '10.21.1.9', ['10.20.0.0/16'])).toBe(false);
    expect(targetAllowed('robot.lan', '192.168.1.9', ['robot.lan'])).toBe(true);
  });

  it('refuses a loopback webhook without an allow-list entry and sends nothing', async () => {
    const before = inside.received.length;
    const hook = createWebhookNotifier({ id: 'hook', url: `${inside.url}/in` });
    await expect(send(hook)).rejects.toThrow(/private, loopback or link-local.*allowPrivateTargets/);
    await expect(send(hook)).rejects.toBeInstanceOf(DeliveryError);
    expect(inside.received.length).toBe(before);
    // The same target, allow-listed, works.
    await send(createWebhookNotifier({ id: 'hook', url: `${inside.url}/in`, ...LOOPBACK }));
    expect(inside.received.length).toBe(before + 1);
  });

  it('refuses a name that resolves to loopback and the cloud metadata address', async () => {
    const port = new URL(inside.url).port;
    await expect(
      send(createWebhookNotifier({ id: 'h', url: `http://localhost:${port}/in` })),
    ).rejects.toThrow(/localhost .*(127\.0\.0\.1|::1)/);
    await expect(
      send(createWecomNotifier({ id: 'w', url: 'http://169.254.169.254/latest/meta-data', format: 'text' })),
    ).rejects.toThrow(/169\.254\.169\.254/);
  });

  it('does not follow a redirect, even to an allowed target', async () => {
    const before = inside.received.length;
    await expect(send(createWebhookNotifier({ id: 'r', url: redirectUrl, ...LOOPBACK }))).rejects.toThrow(
      /HTTP 302: redirect to .*\/stolen not followed/,
    );
    expect(inside.received.length).toBe(before);
  });
});
