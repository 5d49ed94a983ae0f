// TCP, TLS and MQTT-over-WebSocket listeners. Every connection goes through `accept`, so the
// connection cap and the packet-size guard apply the same way to all three transports.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { Config } from '../core/config/schema.ts';

export type Accept = (stream: Duplex, req?: IncomingMessage) => void;

export interface BoundAddress {
  host: string;
  port: number;
}

export interface Listeners {
  tcp?: BoundAddress;
  tls?: BoundAddress;
  ws?: BoundAddress & { path: string };
  close(): Promise<void>;
}

function listen(server: Server | HttpServer, host: string, port: number): Promise<BoundAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({ host, port: a.port });
    });
  });
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function openListeners(
  mqtt: Config['mqtt'],
  accept: Accept,
  onOversize?: (req: IncomingMessage) => void,
): Promise<Listeners> {
  const servers: (Server | HttpServer)[] = [];
  let wss: WebSocketServer | undefined;
  const out: Listeners = {
    close: async () => {
      if (wss) await new Promise<void>((resolve) => wss!.close(() => resolve()));
      await Promise.all(servers.map(closeServer));
    },
  };
  try {
    if (mqtt.listen) {
      const s = createNetServer((socket) => accept(socket));
      servers.push(s);
      out.tcp = await listen(s, mqtt.listen.host, mqtt.listen.port);
    }
    if (mqtt.tls) {
      const s = createTlsServer(
        {
          cert: readFileSync(mqtt.tls.cert),
          key: readFileSync(mqtt.tls.key),
          ...(mqtt.tls.ca ? { ca: readFileSync(mqtt.tls.ca) } : {}),
        },
        (socket) => accept(socket),
      );
      servers.push(s);
      out.tls = await listen(s, mqtt.tls.host, mqtt.tls.port);
    }
    if (mqtt.websocket) {
      const http = createHttpServer((_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('MQTT over WebSocket only / 仅支持 MQTT over WebSocket\n');
      });
      servers.push(http);
      // ws buffers a frame up to maxPayload before anyone sees it (its default is 100 MiB).
      wss = new WebSocketServer({
        server: http,
        path: mqtt.websocket.path,
        maxPayload: mqtt.limits.maxPacketBytes,
      });
      wss.on('connection', (ws, req) => {
        ws.on('error', (e: Error & { code?: string }) => {
          if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') onOversize?.(req);
        });
        accept(createWebSocketStream(ws), req);
      });
      const a = await listen(http, mqtt.websocket.host, mqtt.websocket.port);
      out.ws = { ...a, path: mqtt.websocket.path };
    }
  } catch (e) {
    await out.close();
    throw e;
  }
  return out;
}
