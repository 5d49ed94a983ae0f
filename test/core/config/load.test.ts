import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config.ts';
import { configReference } from '../../../app/config-reference.ts';
import { buildDirectory, parseConfig, parseConfigText, rulesFor } from '../../../core/config/index.ts';
import { ConfigError } from '../../../core/errors.ts';

const here = new URL('.', import.meta.url).pathname;

function issuesOf(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(yaml, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

const HALL = `halls:
  - id: demo
    name: 示例
    sessions: { mon-fri: ["09:00-12:00"] }
    counters:
      - { id: w01, name: 1号窗口, seats: [s1] }
`;

describe('configuration', () => {
  it('accepts the minimal file of CONTRACT §4 as it stands', () => {
    const c = loadConfig(`${here}contract-minimal.yaml`);
    expect(c.timezone).toBe('Asia/Shanghai');
    expect(c.halls[0]!.counters.map((x) => x.id)).toEqual(['w07', 'w12']);
    expect(rulesFor(c, 'demo', 'w07').awayLimitMs).toBe(600_000);
  });

  it('accepts the shipped example hall: 24 counters, two-seat counters, a Saturday counter', () => {
    const c = loadConfig(`${here}../../../config/hallwatch.example.yaml`);
    const hall = c.halls[0]!;
    expect(hall.counters).toHaveLength(24);
    expect(hall.counters.filter((x) => x.seats.length === 2).length).toBeGreaterThanOrEqual(2);
    expect(hall.counters.some((x) => x.extraSessions?.sat)).toBe(true);
    expect(hall.equipment.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['queue', 'display', 'touchScreen', 'waterDispenser']),
    );
  });

  it('parses once: durations come out in milliseconds and every default is filled in by the schema', () => {
    const c = parseConfigText(HALL, {});
    expect(c.rules).toMatchObject({ awayLimit: 600_000, unsignedGrace: 120_000, heartbeatMisses: 3 });
    expect(c.ingest).toMatchObject({ flushInterval: 100, writeTimeout: 10_000, maxPastAge: 7 * 86_400_000 });
    expect(c.notifications.retry).toEqual({ initial: 1_000, max: 300_000, giveUpAfter: 86_400_000 });
    expect(c.api).toMatchObject({ listen: { host: '127.0.0.1', port: 8080 }, rateLimit: { window: 60_000 } });
    const hall = parseConfigText(`${HALL}rules: { awayLimit: 1h30m }\n`, {});
    expect(rulesFor(hall, 'demo', 'w01')).toMatchObject({ awayLimitMs: 5_400_000, unsignedGraceMs: 120_000 });
    // A parsed configuration written back out parses to itself (milliseconds are durations too).
    expect(parseConfig(JSON.parse(JSON.stringify(c)), {})).toEqual(c);
  });

  it('the generated reference (npm run config-reference) shows the rule defaults', () => {
    const ref = configReference() as { properties: Record<string, { properties: Record<string, unknown> }> };
    expect(ref.properties.rules!.properties.awayLimit).toMatchObject({ default: '10m' });
    expect(ref.properties.rules!.properties.heartbeatMisses).toMatchObject({ default: 3 });
    expect(ref.properties.ingest!.properties.flushInterval).toMatchObject({ default: '100ms' });
  });

  it('the 日报/月报 keys: defaults in the schema and the reference, references checked', () => {
    const c = parseConfigText(HALL, {});
    expect(c.notifications.reports).toEqual({
      daily: {
        enabled: true,
        after: 1_800_000,
        channels: [],
        recipients: ['role:supervisor'],
        content: ['interruptions', 'lateOpenings', 'paused', 'openFaults', 'sensorCoverage'],
      },
      monthly: { enabled: true, at: '09:00', channels: [], recipients: ['role:assessor'], by: 'month' },
      lateWithin: 259_200_000,
    });
    type Node = { properties: Record<string, Node> } & Record<string, unknown>;
    const reports = (configReference() as Node).properties.notifications!.properties.reports!;
    expect(reports.properties.daily!.properties.after).toMatchObject({ default: '30m' });
    expect(reports.properties.monthly!.properties.at).toMatchObject({ default: '09:00' });
    expect(reports.properties.lateWithin).toMatchObject({ default: '3d' });
    expect(
      issuesOf(
        `${HALL}notifications:\n  reports:\n    daily: { channels: [nope], content: [weather] }\n    monthly: { at: "9am" }\n`,
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^notifications\.reports\.daily\.content\[0\]: /),
        'notifications.reports.monthly.at: time must look like 09:00',
      ]),
    );
    expect(issuesOf(`${HALL}notifications:\n  reports:\n    daily: { channels: [nope] }\n`)).toEqual([
      'notifications.reports.daily.channels[0]: unknown channel "nope"',
    ]);
  });

  it('reports every error by path', () => {
    const issues = issuesOf(
      `${HALL}      - { id: W2, name: x, seats: [], colour: red }\nrules: { awayLimit: ten }\n`,
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'halls[0].counters[1].id: invalid counter id',
        expect.stringMatching(/^halls\[0\]\.counters\[1\]\.seats: /),
        'halls[0].counters[1].colour: unknown key (not understood; check spelling)',
        expect.stringMatching(/^rules\.awayLimit: not a duration/),
      ]),
    );
  });

  it('cross-checks references and duplicates', () => {
    const issues = issuesOf(
      `${HALL}      - { id: w01, name: dup, seats: [s1] }\nmqtt:\n  users:\n    - { username: c, passwordHash: "scrypt$x", role: counter, hall: demo, counter: w99 }\n`,
    );
    expect(issues).toContain('halls[0].counters[1].id: duplicate counter id "w01"');
    expect(issues).toContain('mqtt.users[0].counter: unknown counter "w99"');
  });

  it('takes secrets from the environment and names a missing variable', () => {
    const yaml = `${HALL}influx: { url: "http://127.0.0.1:8086", password: "\${INFLUX_PW}" }\n`;
    expect(parseConfigText(yaml, { INFLUX_PW: 's3cret' }).influx?.password).toBe('s3cret');
    expect(issuesOf(yaml)).toContain('influx.password: environment variable INFLUX_PW is not set');
  });

  it('knows which ids are configured', () => {
    const dir = buildDirectory(loadConfig(`${here}contract-minimal.yaml`));
    const base = { hall: 'demo', ts: 0, tsFromDevice: true, receivedAt: 0, topic: 't' };
    expect(dir.unknownIdOf({ ...base, kind: 'seat', counter: 'w07', seat: 's1', occupied: true })).toBeNull();
    expect(dir.unknownIdOf({ ...base, kind: 'seat', counter: 'w07', seat: 's2', occupied: true })).toEqual({
      field: 'seat',
      value: 's2',
    });
    expect(dir.unknownIdOf({ ...base, kind: 'equipment', equipment: 'queue', status: 'ok' })).toBeNull();
    expect(dir.countersOfDevice('demo', 'ctl-w07').map((c) => c.id)).toEqual(['w07']);
  });
});
