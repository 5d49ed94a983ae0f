// GET /api/stream: Server-Sent Events (`state`, `alert`, `equipment`, `env`) with numbered ids,
// a heartbeat comment so proxies and the board notice a dead line, and Last-Event-ID resume.
// EventSource cannot send headers, so this one route also takes ?token= (see docs/api.md).
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { assertHall, canSeeHall } from '../auth.ts';
import { auth, type RouteDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { frame, type StreamEvent } from '../event-hub.ts';
import { errors, idParam } from '../schemas.ts';

/** A client that cannot keep up (1 MiB unsent) is dropped; it reconnects and resumes. */
const MAX_BUFFERED = 1 << 20;

export async function streamRoutes(
  app: FastifyInstance,
  d: RouteDeps,
): Promise<{ closeAll: () => void; count: () => number }> {
  const clients = new Set<ServerResponse>();

  app.get<{ Querystring: { hall?: string; token?: string; lastEventId?: string } }>(
    '/api/stream',
    {
      preHandler: auth(d, 'any', true),
      schema: {
        tags: ['stream'],
        summary: 'Server-Sent Events: state, alert, equipment and env events as they happen',
        description:
          'Each event has an id; reconnect with the Last-Event-ID header (EventSource does this itself) or ' +
          '?lastEventId= to receive what was missed. A `reset` event means the id is no longer known: reload ' +
          'the snapshot (GET /api/halls/{hall}/counters, /api/alerts). A comment line is sent every 15 s. ' +
          'Browsers cannot set headers on EventSource, so ?token= is accepted here (and only here).',
        security: [{ bearer: [] }, { queryToken: [] }],
        querystring: {
          type: 'object',
          properties: {
            hall: idParam('only events of this hall'),
            token: {
              type: 'string',
              maxLength: 512,
              description: 'for EventSource, which cannot send headers',
            },
            lastEventId: { type: 'string', maxLength: 64, description: 'resume after this event id' },
          },
          additionalProperties: false,
        },
        response: {
          200: { description: 'text/event-stream', type: 'string' },
          ...errors(400, 401, 403, 503),
        },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const hall = req.query.hall;
      if (hall) assertHall(p, hall);
      if (clients.size >= d.maxStreams)
        throw new ApiError(503, 'too_many_streams', '实时连接数已达上限,请稍后重试', 'too many open streams');
      const wants = (e: StreamEvent) => (hall ? e.hall === hall : canSeeHall(p, e.hall));

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      clients.add(res);

      const lastId = (req.headers['last-event-id'] as string | undefined) ?? req.query.lastEventId;
      let resumed = false;
      if (lastId) {
        const replay = d.hub.since(lastId);
        if (replay.kind === 'reset') res.write(`event: reset\ndata: {"reason":"${replay.reason}"}\n\n`);
        else {
          resumed = true;
          for (const e of replay.events) if (wants(e)) res.write(frame(e));
        }
      }
      res.write(
        `event: ready\ndata: ${JSON.stringify({ lastEventId: d.hub.lastId, resumed, serverTime: d.clock.now() })}\n\n`,
      );

      const close = () => {
        clearInterval(beat);
        off();
        clients.delete(res);
        if (!res.writableEnded) res.end();
      };
      const off = d.hub.subscribe((e) => {
        if (!wants(e)) return;
        res.write(frame(e));
        if (res.writableLength > MAX_BUFFERED) {
          req.log.warn({ user: p.name }, 'slow SSE client dropped');
          close();
        }
      });
      const beat = setInterval(() => res.write(`: heartbeat ${d.clock.now()}\n\n`), d.heartbeatMs);
      res.on('close', close);
      res.on('error', close);
    },
  );

  return {
    // Streams never end by themselves: end them so app.close() can finish.
    closeAll: () => {
      for (const res of clients) res.end();
      clients.clear();
    },
    count: () => clients.size,
  };
}
