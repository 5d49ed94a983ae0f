// Real parts for the alerts tests: a bare aedes broker on a free port, HTTP servers and an SMTP
// server that record what they receive (stand-ins for WeCom/DingTalk/Feishu/webhooks/mail relays).

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { parseConfig } from '../../core/config/load.ts';
import type { Config, ConfigInput } from '../../core/config/schema.ts';

export const silentLogger = () => pino({ level: process.env.TEST_LOG ?? 'silent' });

export interface TestBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startTestBroker(): Promise<TestBroker> {
  const broker = await Aedes.createBroker();
  const server = createNetServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((r) => {
        server.close();
        broker.close(() => r());
      }),
  };
}

export interface Recorded {
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON of several documented shapes, read by assertions
  body: any;
  at: number;
}

export interface RecordingServer {
  url: string;
  received: Recorded[];
  /** What to answer; default 200 with `ok`. */
  respond: (r: Recorded) => { status: number; body: unknown };
  close(): Promise<void>;
}

export async function startRecordingServer(
  respond: (r: Recorded) => { status: number; body: unknown } = () => ({ status: 200, body: { ok: true } }),
): Promise<RecordingServer> {
  const rec: RecordingServer = { url: '', received: [], respond, close: async () => {} };
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {}
      const r: Recorded = { url: req.url ?? '', headers: req.headers, raw, body, at: Date.now() };
      const out = rec.respond(r);
      if (out.status < 300) rec.received.push(r);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rec.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return rec;
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

export async function startSmtpRecorder(): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise((r) => server.close(() => r())) };
}

export function tempDir(prefix = 'hw-alerts-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A one-hall configuration open around the clock (calendar `none`), so rules run at any real
 * time of day; limits are seconds so the tests run fast.
 */
export function testConfig(over: Partial<ConfigInput> & { dataDir: string }): Config {
  const base: ConfigInput = {
    timezone: 'Asia/Shanghai',
    rules: {
      awayLimit: '3s',
      unsignedGrace: '2s',
      gapGrace: '2s',
      openingGrace: '0s',
      readinessLead: '0s',
      faultGrace: '0s',
      offGrace: '2s',
    },
    staff: [
      { id: 'E1023', name: '张三', phone: '13800000001' },
      { id: 'E2051', name: '李四', phone: '13800000002' },
    ],
    halls: [
      {
        id: 'cz-main',
        name: '市政务服务中心',
        calendar: 'none',
        sessions: { 'mon-sun': ['00:00-24:00'] },
        equipment: [{ id: 'queue', kind: 'queue', name: '排队叫号机' }],
        counters: [
          {
            id: 'w07',
            name: '7号窗口 不动产登记',
            seats: ['s1'],
            roster: { a: 'E1023', b: 'E2051' },
            equipment: [
              { id: 'pc', kind: 'pc' },
              { id: 'printer', kind: 'printer', name: '打印机' },
            ],
          },
          { id: 'w08', name: '8号窗口 社保', seats: ['s1'] },
        ],
      },
    ],
    ...over,
  };
  return parseConfig(base, {});
}

export async function connectClient(url: string, clientId?: string): Promise<MqttClient> {
  const c = mqtt.connect(url, { ...(clientId ? { clientId } : {}), reconnectPeriod: 200 });
  await new Promise<void>((res, rej) => {
    c.once('connect', () => res());
    c.once('error', rej);
  });
  return c;
}

export async function waitFor<T>(
  fn: () => T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The stand-in robots and webhooks of these tests listen on loopback, which production refuses unless allow-listed. */
export const LOOPBACK = { allowTargets: ['127.0.0.1'] } as const;
