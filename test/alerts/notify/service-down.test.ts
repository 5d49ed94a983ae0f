// The admins' notice for a service that reports itself down on hallwatch/status/{service}
// (the ingest during an InfluxDB refusal storm, docs/ingest.md).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceDownNotice } from '../../../alerts/notify/render.ts';
import { loadConfig } from '../../../app/config.ts';

const config = loadConfig(join(import.meta.dirname, '../../../config/hallwatch.example.yaml'), {});
const status = (o: object) => Buffer.from(JSON.stringify(o));
const at = Date.UTC(2026, 11, 2, 6, 0);

describe('service down notice', () => {
  it('turns a down status into one Chinese notice keyed by service, reason and start', () => {
    const down = {
      service: 'ingest',
      status: 'down',
      reason: 'influx_refusing',
      since: at - 5000,
      detail: 'HTTP 400',
    };
    const n = serviceDownNotice(config, status(down), at)!;
    expect(n).toMatchObject({ kind: 'notice', title: '【系统故障】数据写入服务' });
    expect(n.lines.join('\n')).toMatch(/InfluxDB 拒收全部数据点/);
    expect(n.lines.join('\n')).toMatch(/详情：HTTP 400/);
    // The retained status delivered again (a restart) gives the same key: never notified twice.
    expect(serviceDownNotice(config, status(down), at + 60_000)!.key).toBe(n.key);
    expect(serviceDownNotice(config, status({ ...down, since: at + 1 }), at)!.key).not.toBe(n.key);
  });

  it('ignores ok statuses and payloads that are not a status', () => {
    expect(serviceDownNotice(config, status({ service: 'ingest', status: 'ok', since: at }), at)).toBeNull();
    expect(serviceDownNotice(config, Buffer.from('not json'), at)).toBeNull();
    expect(serviceDownNotice(config, status({ status: 'down' }), at)).toBeNull();
  });
});
