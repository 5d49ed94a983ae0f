// S12 config scan: plaintext listeners beyond loopback and anonymous access, as `npm start` sees them.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config.ts';
import { exposureOf, isLoopbackHost, refusedExposure } from '../../../core/config/exposure.ts';
import { parseConfig } from '../../../core/config/load.ts';
import { EXAMPLE_CONFIG } from '../../helpers/product.ts';

const hall = {
  id: 'h1',
  name: '大厅',
  sessions: { 'mon-fri': ['09:00-12:00'] },
  counters: [{ id: 'w01', name: '1号窗口', seats: ['s1'] }],
};
const config = (mqtt: object, api?: object) =>
  parseConfig({ mqtt, ...(api ? { api } : {}), halls: [hall] }, {});

describe('S12 exposure scan', () => {
  it('finds nothing in the example (production) config', () => {
    expect(exposureOf(loadConfig(EXAMPLE_CONFIG))).toEqual([]);
  });

  it('tells loopback from reachable hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'hallwatch.lan', '128.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('lists plaintext listeners beyond loopback, not TLS ones', () => {
    const c = config(
      {
        listen: { host: '0.0.0.0', port: 1883 },
        tls: { host: '0.0.0.0', port: 8883, cert: 'c', key: 'k' },
        websocket: { host: '192.168.1.10', port: 8083 },
      },
      { listen: { host: '::', port: 8080 } },
    );
    expect(exposureOf(c)).toEqual([
      { kind: 'plaintext_listener', listener: 'mqtt.listen', host: '0.0.0.0', port: 1883 },
      { kind: 'plaintext_listener', listener: 'mqtt.websocket', host: '192.168.1.10', port: 8083 },
      { kind: 'plaintext_listener', listener: 'api.listen', host: '::', port: 8080 },
    ]);
    expect(refusedExposure(exposureOf(c))).toEqual([]);
    // A process that runs neither the broker nor the API opens none of them.
    expect(exposureOf(c, { broker: false, api: false })).toEqual([]);
    expect(exposureOf(c, { broker: false, api: true }).map((f) => f.kind)).toEqual(['plaintext_listener']);
  });

  it('refuses anonymous access only when a broker listener is reachable (TLS included)', () => {
    const local = config({ listen: { host: '127.0.0.1', port: 1883 }, allowAnonymous: true });
    expect(exposureOf(local)).toEqual([{ kind: 'anonymous', reachable: [] }]);
    expect(refusedExposure(exposureOf(local))).toEqual([]);
    const tls = config({
      listen: { host: '127.0.0.1', port: 1883 },
      tls: { host: '0.0.0.0', port: 8883, cert: 'c', key: 'k' },
      allowAnonymous: true,
    });
    const refused = refusedExposure(exposureOf(tls));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ path: 'mqtt.allowAnonymous' });
    expect(refused[0]!.message).toMatch(/mqtt\.tls.*service role/);
    expect(refusedExposure(exposureOf(tls, { broker: false, api: true }))).toEqual([]);
  });
});
