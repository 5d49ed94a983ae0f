// A small HTTP proxy in front of a real influxd that injects one fault at a time: 401/403 (token
// revoked), 413 (body too large), 429/503 with Retry-After, 500 for certain lines (a poison point),
// 400 for every line (a refusing proxy). Everything it does not refuse reaches influxd unchanged,
// so what a test reads back from influxd is what really got through.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Decides per request: an answer to send instead of influxd's, or undefined to pass it through. */
export type Fault = (req: { method: string; path: string; body: string }) => FaultAnswer | undefined;

export interface ProxyRequest {
  at: number;
  method: string;
  path: string;
  lines: number;
  status: number;
  injected: boolean;
}

export interface FaultProxy {
  url: string;
  /** Every request so far, in arrival order. */
  requests: ProxyRequest[];
  setFault(f: Fault | undefined): void;
  /** Where passed-through requests go (a proxy may be started before its influxd). */
  setTarget(url: string): void;
  close(): Promise<void>;
}

export async function startFaultProxy(targetUrl?: string): Promise<FaultProxy> {
  let target = new URL(targetUrl ?? 'http://127.0.0.1:1');
  let fault: Fault | undefined;
  const requests: ProxyRequest[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const lines = method === 'POST' && text ? text.split('\n').length : 0;
      const answer = fault?.({ method, path, body: text });
      if (answer) {
        requests.push({ at: Date.now(), method, path, lines, status: answer.status, injected: true });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
        return;
      }
      const up = http.request(
        {
          host: target.hostname,
          port: target.port,
          path,
          method,
          agent,
          headers: { ...req.headers, host: target.host, 'content-length': body.length },
        },
        (r) => {
          requests.push({ at: Date.now(), method, path, lines, status: r.statusCode ?? 0, injected: false });
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', (e) => {
        requests.push({ at: Date.now(), method, path, lines, status: 502, injected: false });
        res.writeHead(502);
        res.end(e.message);
      });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault(f) {
      fault = f;
    },
    setTarget(url) {
      target = new URL(url);
    },
    close: () =>
      new Promise((r) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** InfluxDB 1.x's answer for a body that cannot be parsed, for a proxy refusing everything. */
export const refuseEveryLine: Fault = (req) =>
  req.path.startsWith('/write')
    ? { status: 400, body: '{"error":"unable to parse: refused by the proxy under test"}' }
    : undefined;
