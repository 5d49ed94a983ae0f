// The HallWatch MQTT broker: aedes with authentication, topic ACLs, limits and persistence.
// Runs embedded in the all-in-one process or alone (`npm start -- --only broker`).
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { rateLimitedLog } from '../runtime/logger.ts';
import type { Service, ServiceContext, ServiceHealth } from '../runtime/service.ts';
import { mayReceive, maySubscribe, publishDenial } from './acl.ts';
import { Authenticator, type Principal } from './auth.ts';
import { guardParser, RateLimiter } from './limits.ts';
import { type BoundAddress, openListeners } from './listeners.ts';
import { createStorage } from './persistence.ts';
import { BrokerStats, type RejectReason } from './stats.ts';
import { LoginThrottle } from './throttle.ts';

export interface BrokerService extends Service {
  readonly name: 'broker';
  /** Bound addresses (a configured port 0 becomes the real port). */
  readonly addresses: { tcp?: BoundAddress; tls?: BoundAddress; ws?: BoundAddress & { path: string } };
  /** `mqtt://host:port` of the TCP listener, for services in this process. */
  readonly url: string | undefined;
  readonly stats: BrokerStats;
}

type AuthError = Error & { returnCode: number };
const BAD_ID = /[+#/\0]/;

function authError(message: string, returnCode: number): AuthError {
  return Object.assign(new Error(message), { returnCode });
}

export async function startBroker(ctx: ServiceContext): Promise<BrokerService> {
  const { config, clock } = ctx;
  const mqtt = config.mqtt;
  const logger = ctx.logger.child({ service: 'broker' });
  const warn = rateLimitedLog(logger);
  const stats = new BrokerStats();
  const auth = new Authenticator(config);
  const throttle = new LoginThrottle();
  const principals = new WeakMap<Client, Principal>();
  const limiters = new WeakMap<Client, RateLimiter>();
  const storage = createStorage(mqtt.persistence);

  const refuse = (reason: RejectReason, context: Record<string, unknown>, msg: string) => {
    stats.reject(reason);
    warn(`${reason}:${String(context.username ?? context.remote ?? '')}`, { reason, ...context }, msg);
  };

  const aedes = await Aedes.createBroker({
    ...storage.options,
    drainTimeout: 30_000,
    connectTimeout: 10_000,
    // Contract topics have at most 6 levels; deep topics only cost (GHSA-xxqp-5qx8-gj5q).
    maxTopicLevels: 16,
    authenticate(client, username, password, done) {
      const id = client.id;
      if (BAD_ID.test(id) || (username !== undefined && BAD_ID.test(username))) {
        refuse('bad_client_id', { clientId: id, username }, 'client id or username contains + # / or NUL');
        return done(authError('identifier rejected', 2), false);
      }
      const remote = String(
        (client.conn as Duplex & { remoteAddress?: string }).remoteAddress ??
          client.req?.socket.remoteAddress ??
          '',
      );
      const wait = username ? throttle.blockedFor(remote, username, Date.now()) : 0;
      if (wait > 0) {
        refuse(
          'throttled',
          { clientId: id, username, remote, waitMs: wait },
          'login throttled after repeated wrong passwords',
        );
        return done(authError('not authorized', 5), false);
      }
      const r = auth.check(username, password);
      if (r.ok && username) throttle.succeed(remote, username);
      if (!r.ok && r.reason === 'bad_password' && username) throttle.fail(remote, username, Date.now());
      if (!r.ok) {
        const reason =
          r.reason === 'anonymous'
            ? 'anonymous'
            : r.reason === 'unknown_user'
              ? 'unknown_user'
              : 'bad_password';
        refuse(reason, { clientId: id, username }, 'MQTT login refused');
        return done(authError('not authorized', 5), false);
      }
      const p = r.principal;
      // A device may only use its own client id, so it cannot take over another device's session.
      if (
        (p.role === 'counter' || p.role === 'hall-device') &&
        id !== p.username &&
        !id.startsWith(`${p.username}:`)
      ) {
        refuse(
          'bad_client_id',
          { clientId: id, username },
          'device client id must be its username (or username:suffix)',
        );
        return done(authError('identifier rejected', 2), false);
      }
      const will = (client as Client & { _will?: { topic: string } | null })._will;
      if (will && publishDenial(p, will.topic)) {
        refuse('will_denied', { clientId: id, username, topic: will.topic }, 'last will topic not allowed');
        return done(authError('not authorized', 5), false);
      }
      principals.set(client, p);
      if (p.role === 'counter' || p.role === 'hall-device')
        limiters.set(client, new RateLimiter(mqtt.limits.maxMessagesPerSecond, Date.now()));
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      if (!client) return done(null); // a dead broker's stored will, checked when it was stored
      const p = principals.get(client);
      const username = p?.username;
      const isWill = packet === (client as Client & { will?: unknown }).will;
      if (!p) return done(new Error('not authenticated'));
      const limiter = limiters.get(client);
      if (!isWill && limiter && !limiter.take(Date.now())) {
        refuse(
          'rate_limited',
          { clientId: client.id, username, limit: mqtt.limits.maxMessagesPerSecond },
          'client over its message rate: disconnected',
        );
        return done(new Error('message rate exceeded'));
      }
      const denial = publishDenial(p, packet.topic);
      if (denial) {
        refuse(
          'publish_denied',
          { clientId: client.id, username, topic: packet.topic, why: denial },
          'publish refused by ACL: disconnected',
        );
        return done(new Error(`publish denied: ${denial}`));
      }
      stats.messagesIn++;
      done(null);
    },
    authorizeSubscribe(client, sub, done) {
      const p = principals.get(client);
      if (p && maySubscribe(p, sub.topic)) return done(null, sub);
      refuse(
        'subscribe_denied',
        { clientId: client.id, username: p?.username, topic: sub.topic },
        'subscription refused by ACL',
      );
      done(null, null);
    },
    authorizeForward(client, packet) {
      const p = principals.get(client);
      if (!p || !mayReceive(p, packet.topic)) return null;
      stats.messagesOut++;
      return packet;
    },
  });

  aedes.on('clientReady', () => {
    stats.connections = aedes.connectedClients;
  });
  aedes.on('clientDisconnect', () => {
    stats.connections = aedes.connectedClients;
  });
  aedes.on('clientError', (client, err) =>
    logger.debug({ clientId: client.id, err: err.message }, 'client error'),
  );
  aedes.on('connectionError', (client, err) =>
    logger.debug({ clientId: client.id, err: err.message }, 'connection error'),
  );

  const sockets = new Set<Duplex>();
  const listeners = await openListeners(mqtt, (raw, req) => {
    const remote = (raw as Duplex & { remoteAddress?: string }).remoteAddress ?? req?.socket.remoteAddress;
    if (sockets.size >= mqtt.limits.maxConnections) {
      refuse(
        'max_connections',
        { remote, limit: mqtt.limits.maxConnections },
        'connection refused: broker full',
      );
      raw.destroy();
      return;
    }
    let client: Client | undefined;
    const tooLarge = (size: number) =>
      refuse(
        'packet_too_large',
        {
          remote,
          clientId: client?.id,
          username: client ? principals.get(client)?.username : undefined,
          size,
          limit: mqtt.limits.maxPacketBytes,
        },
        'packet over maxPacketBytes: disconnected',
      );
    sockets.add(raw);
    stats.connectionsTotal++;
    raw.on('close', () => sockets.delete(raw));
    client = aedes.handle(raw, req);
    // Hooking aedes' parser costs nothing per packet; a wrapping Duplex stream cost half the
    // throughput and stalled QoS 1 bursts (bench/broker.ts). test/broker checks the hook holds.
    if (!guardParser(client, mqtt.limits.maxPacketBytes, tooLarge))
      logger.error('aedes parser not hookable: maxPacketBytes is NOT enforced (aedes internals changed?)');
  }).catch(async (e) => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await storage.close();
    throw e;
  });

  const addresses = {
    ...(listeners.tcp ? { tcp: listeners.tcp } : {}),
    ...(listeners.tls ? { tls: listeners.tls } : {}),
    ...(listeners.ws ? { ws: listeners.ws } : {}),
  };
  const tcpHost = listeners.tcp && (listeners.tcp.host === '0.0.0.0' ? '127.0.0.1' : listeners.tcp.host);
  const url = listeners.tcp ? `mqtt://${tcpHost}:${listeners.tcp.port}` : undefined;
  logger.info({ ...addresses, persistence: storage.kind, limits: mqtt.limits }, 'MQTT broker listening');

  // The same counters as /api/health, in the log once a minute for operators without the API.
  const statsLog = setInterval(
    () => logger.info({ ...stats.snapshot(), sockets: sockets.size }, 'broker stats'),
    60_000,
  );
  statsLog.unref();

  let stopped = false;
  return {
    name: 'broker',
    addresses,
    url,
    stats,
    health(): ServiceHealth {
      return {
        status: stopped ? 'down' : 'ok',
        details: {
          ...stats.snapshot(),
          sockets: sockets.size,
          persistence: storage.kind,
          listeners: addresses,
          at: clock.now(),
        },
      };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(statsLog);
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await listeners.close();
      await storage.close();
      logger.info('MQTT broker stopped');
    },
  };
}
