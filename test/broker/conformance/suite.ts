// One conformance suite, two brokers (issue 14, Deliver 3): HallWatch's broker as `npm start`
// runs it and Debian's Mosquitto with the equivalent password file and ACL run the same table of
// MQTT behaviours, each with three foreign clients — mqtt.js speaking 3.1.1, mqtt.js speaking 5,
// and Debian's mosquitto_pub/mosquitto_sub. Where the implementations differ on purpose, the
// broker says so in `BrokerUnderTest` and docs/broker.md explains it; everything else must match.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import mqtt, { type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

export interface BrokerUnderTest {
  name: string;
  host: string;
  port: number;
  password(username: string): string;
  /** Accepts MQTT 5 (HallWatch's aedes speaks 3.1 and 3.1.1 only and answers CONNACK 1). */
  mqtt5: boolean;
  /**
   * A subscription the ACL refuses: `0x80` in the SUBACK (HallWatch), or `granted` at the QoS asked
   * for and filtered at delivery (Mosquitto's acl_file).
   */
  refusedSuback: 0x80 | 'granted';
}

export const DEVICE = 'ctl-w01';
export const SERVICE = 'svc-hallwatch';
const SEAT = 'hall/cz-main/counter/w01/seat/s1';
const STATUS = `hall/cz-main/device/${DEVICE}/status`;
const CMD = `hall/cz-main/device/${DEVICE}/cmd/ping`;
/** Another counter's seats: the device may neither read nor write them. */
const FOREIGN = 'hall/cz-main/counter/w02/seat/s1';

/** Mosquitto's equivalent of HallWatch's ACL for the two accounts (docs/broker.md "ACL"). */
export const MOSQUITTO_ACL = `user ${SERVICE}
topic readwrite #

user ${DEVICE}
topic write hall/cz-main/counter/w01/#
topic write ${STATUS}
topic read hall/cz-main/device/${DEVICE}/cmd/#
`;

type Kind = 'mqtt.js 3.1.1' | 'mqtt.js 5' | 'mosquitto_pub/sub';
const KINDS: Kind[] = ['mqtt.js 3.1.1', 'mqtt.js 5', 'mosquitto_pub/sub'];

let counter = 0;
/** A fresh suffix: client ids (a device may use `ctl-w01:<suffix>`) and payload sequence numbers. */
const fresh = () => ++counter + (process.pid % 1000) * 1000;
const seat = (seq: number) => JSON.stringify({ occupied: seq % 2 === 0, ts: Date.now(), seq });
const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

type Connected = MqttClient & { connack: IConnackPacket };
type ConnectOptions = IClientOptions & {
  onMessage?: (topic: string, payload: string, retain: boolean) => void;
};

function connect(
  b: BrokerUnderTest,
  version: 4 | 5,
  username: string,
  o: ConnectOptions = {},
): Promise<Connected> {
  const { onMessage, ...opts } = o;
  return new Promise((resolve, reject) => {
    const c = mqtt.connect({
      host: b.host,
      port: b.port,
      protocol: 'mqtt',
      username,
      password: b.password(username),
      protocolVersion: version,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...opts,
    });
    // Before CONNACK: a persistent session's queue may arrive in the same read as the CONNACK.
    if (onMessage) c.on('message', (t, m, p) => onMessage(t, m.toString(), p.retain));
    c.once('connect', (connack) => resolve(Object.assign(c, { connack })));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
    c.once('close', () => reject(new Error('connection closed before CONNACK')));
  });
}

/** The observer every case uses: the service account over mqtt.js 3.1.1. */
async function watch(b: BrokerUnderTest, topic: string) {
  const got: { payload: string; retain: boolean; at: number }[] = [];
  const c = await connect(b, 4, SERVICE, {
    clientId: `watch-${fresh()}`,
    onMessage: (t, payload, retain) => {
      if (t === topic) got.push({ payload, retain, at: Date.now() });
    },
  });
  await c.subscribeAsync(topic, { qos: 1 });
  return { got, live: () => got.filter((m) => !m.retain), end: () => c.endAsync(true) };
}

const addr = (b: BrokerUnderTest, username: string) => [
  '-h',
  b.host,
  '-p',
  String(b.port),
  '-u',
  username,
  '-P',
  b.password(username),
];

/** mosquitto_pub or a short mosquitto_sub run to its end. */
async function cli(cmd: 'mosquitto_pub' | 'mosquitto_sub', args: string[]) {
  const r = await run(cmd, args, { timeout: 20_000 }).catch(
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  return { code: (r as { code?: number }).code ?? 0, stdout: r.stdout, stderr: r.stderr };
}

/** mosquitto_pub of the device's seat at QoS 1. */
const seatPub = (b: BrokerUnderTest, id: string, payload: string, extra: string[] = []) =>
  cli('mosquitto_pub', [...addr(b, DEVICE), '-i', id, '-q', '1', '-t', SEAT, '-m', payload, ...extra]);

/** mosquitto_sub of the service account with a persistent session (-c) on the seat topic at QoS 1. */
const persistentSub = (b: BrokerUnderTest, id: string, extra: string[]) =>
  cli('mosquitto_sub', [...addr(b, SERVICE), '-c', '-i', id, '-q', '1', '-t', SEAT, ...extra]);

/** A long-running mosquitto_sub (with -d), resolved once its SUBACK is printed. */
async function subProcess(args: string[]) {
  // stdbuf: line-buffered, or the SUBACK line waits in stdio's buffer until exit.
  const p: ChildProcess = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-d', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (out += d));
  await until('mosquitto_sub SUBACK', () => /Subscribed \(mid: \d+\)/.test(out) || p.exitCode !== null);
  return {
    proc: p,
    output: () => out,
    exited: () => new Promise<void>((r) => (p.exitCode !== null ? r() : p.once('exit', () => r()))),
    kill(signal: NodeJS.Signals) {
      if (p.exitCode === null && p.pid) process.kill(p.pid, signal);
    },
  };
}

/** mosquitto_sub as the device (on its command topic) with the last will `offline` on its status. */
const deviceWithWill = (b: BrokerUnderTest, extra: string[]) =>
  subProcess([
    ...addr(b, DEVICE),
    '-i',
    `${DEVICE}:${fresh()}`,
    '-t',
    CMD,
    ...extra,
    ...['--will-topic', STATUS, '--will-payload', 'offline', '--will-qos', '1'],
  ]);

export function conformanceSuite(broker: () => BrokerUnderTest): void {
  describe.each(KINDS)('%s', (kind) => {
    const version = kind === 'mqtt.js 5' ? 5 : 4;
    const js = kind !== 'mosquitto_pub/sub';
    const v5 = (o: ConnectOptions): ConnectOptions =>
      version === 5 && o.clean === false ? { ...o, properties: { sessionExpiryInterval: 300 } } : o;
    /** Runs a case, or, for MQTT 5 against a broker without it, asserts the CONNECT is refused. */
    const check = (name: string, body: (b: BrokerUnderTest) => Promise<void>, ms = 30_000) =>
      it(
        name,
        async () => {
          const b = broker();
          if (version === 5 && !b.mqtt5) {
            await expect(connect(b, 5, SERVICE)).rejects.toThrow(/protocol version|closed/i);
            return;
          }
          await body(b);
        },
        ms,
      );

    check('retained: a later subscriber gets the last retained value, flagged retained', async (b) => {
      const payload = seat(fresh());
      if (js) {
        const dev = await connect(b, version, DEVICE, { clientId: `${DEVICE}:${fresh()}` });
        await dev.publishAsync(SEAT, payload, { qos: 1, retain: true });
        await dev.endAsync();
        const got: { payload: string; retain: boolean }[] = [];
        const sub = await connect(b, version, SERVICE, {
          clientId: `late-${fresh()}`,
          onMessage: (t, p, retain) => t === SEAT && got.push({ payload: p, retain }),
        });
        await sub.subscribeAsync(SEAT, { qos: 1 });
        await until('the retained value', () => got.length > 0);
        await sub.endAsync();
        expect(got[0]).toEqual({ payload, retain: true });
      } else {
        const pub = await seatPub(b, `${DEVICE}:${fresh()}`, payload, ['-r']);
        expect(pub.code).toBe(0);
        const sub = await cli('mosquitto_sub', [
          ...addr(b, SERVICE),
          '--retained-only',
          '-C',
          '1',
          '-W',
          '10',
          '-q',
          '1',
          '-t',
          SEAT,
          '-F',
          '%r|%p',
        ]);
        expect(sub.stdout.trim()).toBe(`1|${payload}`);
      }
    });

    check('last will: published when the connection drops without DISCONNECT', async (b) => {
      const w = await watch(b, STATUS);
      const will = { topic: STATUS, payload: 'offline', qos: 1 as const, retain: false };
      if (js) {
        const dev = await connect(b, version, DEVICE, { clientId: `${DEVICE}:${fresh()}`, will });
        dev.stream.destroy(); // the socket dies: no DISCONNECT
      } else {
        const sub = await deviceWithWill(b, []);
        sub.kill('SIGKILL');
        await sub.exited();
      }
      await until('the will', () => w.live().some((m) => m.payload === 'offline'));
      await w.end();
    });

    check(
      'QoS 1: messages for an offline persistent session are delivered after it reconnects',
      async (b) => {
        const id = `persist-${fresh()}`;
        const payloads = [fresh(), fresh(), fresh()].map(seat);
        if (js) {
          const first = await connect(b, version, SERVICE, v5({ clientId: id, clean: false }));
          await first.subscribeAsync(SEAT, { qos: 1 });
          await first.endAsync();
        } else {
          const r = await persistentSub(b, id, ['-E']); // subscribe, then leave
          expect(r.code).toBe(0);
        }
        const dev = await connect(b, 4, DEVICE, { clientId: `${DEVICE}:${fresh()}` });
        for (const p of payloads) await dev.publishAsync(SEAT, p, { qos: 1 });
        await dev.endAsync();
        if (js) {
          const got: string[] = [];
          const back = await connect(
            b,
            version,
            SERVICE,
            v5({
              clientId: id,
              clean: false,
              onMessage: (t, p, retain) => t === SEAT && !retain && got.push(p),
            }),
          );
          expect(back.connack.sessionPresent).toBe(true);
          await until('3 queued messages', () => got.length >= 3);
          expect(got).toEqual(payloads);
          await back.endAsync();
        } else {
          const r = await persistentSub(b, id, ['-R', '-C', '3', '-W', '10', '-F', '%p']);
          expect(r.stdout.trim().split('\n')).toEqual(payloads);
        }
        // Leave no session behind.
        await (await connect(b, 4, SERVICE, { clientId: id, clean: true })).endAsync();
      },
    );

    check('session takeover: a second connection with the same client id replaces the first', async (b) => {
      const id = `${DEVICE}:${fresh()}`;
      // (MQTT 5 names the reason in a DISCONNECT, 0x8E; Mosquitto 2.0.11 closes the socket without one
      // reaching mqtt.js, so only the close is asserted.)
      const first = await connect(b, js ? version : 4, DEVICE, { clientId: id });
      const closed = new Promise<void>((r) => first.once('close', () => r()));
      const w = await watch(b, SEAT);
      const payload = seat(fresh());
      if (js) {
        const second = await connect(b, version, DEVICE, { clientId: id });
        await closed;
        await second.publishAsync(SEAT, payload, { qos: 1 });
        await second.endAsync();
      } else {
        const pub = await seatPub(b, id, payload);
        expect(pub.code).toBe(0);
        await closed;
      }
      await until('the new session publishing', () => w.live().some((m) => m.payload === payload));
      first.end(true);
      await w.end();
    });

    check(
      'keep-alive: a client silent for 1.5 × keep-alive is disconnected and its will published',
      async (b) => {
        const w = await watch(b, STATUS);
        const will = { topic: STATUS, payload: 'offline', qos: 1 as const, retain: false };
        let silent: number;
        let bounds: [number, number];
        let release: () => void;
        if (js) {
          const dev = await connect(b, version, DEVICE, {
            clientId: `${DEVICE}:${fresh()}`,
            keepalive: 2,
            will,
          });
          // mqtt.js stops pinging (and stops checking the broker): the client hangs, its socket stays open.
          (dev as unknown as { _destroyKeepaliveManager(): void })._destroyKeepaliveManager();
          silent = Date.now();
          bounds = [2_000, 8_000]; // 1.5 × 2 s from CONNECT (+ the broker's check interval)
          release = () => dev.end(true);
        } else {
          const sub = await deviceWithWill(b, ['-k', '5']);
          sub.kill('SIGSTOP'); // frozen: neither PINGREQ nor FIN
          silent = Date.now();
          bounds = [2_000, 15_000]; // 1.5 × 5 s (mosquitto_sub allows keep-alive ≥ 5 s) + check interval
          release = () => sub.kill('SIGKILL');
        }
        try {
          await until(
            'the will after the keep-alive timeout',
            () => w.live().some((m) => m.payload === 'offline'),
            15_000,
          );
        } finally {
          release();
        }
        const after = w.live().find((m) => m.payload === 'offline')!.at - silent;
        console.info(`${b.name} ${kind}: will ${after} ms after the client fell silent`);
        expect(after).toBeGreaterThanOrEqual(bounds[0]);
        expect(after).toBeLessThanOrEqual(bounds[1]);
        await w.end();
      },
    );

    check(
      'refused subscription: the SUBACK code, and nothing delivered from the refused topic',
      async (b) => {
        const sentinel = `ping-${fresh()}`;
        const refused = b.refusedSuback === 'granted' ? 1 : 0x80; // asked for QoS 1
        const svc = await connect(b, 4, SERVICE, { clientId: `pub-${fresh()}` });
        if (js) {
          const got: string[] = [];
          const dev = await connect(b, version, DEVICE, {
            clientId: `${DEVICE}:${fresh()}`,
            onMessage: (t) => got.push(t),
          });
          // mqtt.js rejects a SUBACK holding 0x80 ("Unspecified error") and keeps the packet.
          const granted = await dev.subscribeAsync([FOREIGN, CMD], { qos: 1 }).then(
            (g) => g.map((x) => x.qos),
            (e: { packet?: { granted: number[] } }) => {
              if (!e.packet) throw e;
              return e.packet.granted;
            },
          );
          expect(granted).toEqual([refused, 1]);
          await svc.publishAsync(FOREIGN, seat(fresh()), { qos: 1 });
          await svc.publishAsync(CMD, sentinel, { qos: 1 });
          await until('the sentinel', () => got.includes(CMD));
          expect(got).toEqual([CMD]); // one publisher, in order: the refused topic came first and was not delivered
          await dev.endAsync();
        } else {
          const sub = await subProcess([
            ...addr(b, DEVICE),
            '-i',
            `${DEVICE}:${fresh()}`,
            '-q',
            '1',
            '-t',
            FOREIGN,
            '-t',
            CMD,
            '-C',
            '1',
            '-F',
            'TOPIC=%t',
          ]);
          expect(sub.output()).toMatch(new RegExp(`Subscribed \\(mid: \\d+\\): ${refused}, 1`));
          await svc.publishAsync(FOREIGN, seat(fresh()), { qos: 1 });
          await svc.publishAsync(CMD, sentinel, { qos: 1 });
          await sub.exited();
          expect(sub.output().match(/TOPIC=\S+/g)).toEqual([`TOPIC=${CMD}`]);
        }
        await svc.endAsync();
      },
    );
  });
}
