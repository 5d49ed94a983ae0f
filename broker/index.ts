// The HallWatch MQTT broker: aedes with authentication, topic ACLs, limits and persistence.
// Runs embedded in the all-in-one process or alone (`npm start -- --only broker`).
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { parseTopic, TopicError } from '../core/protocol/topics.ts';
import { rateLimitedLog } from '../runtime/logger.ts';
import type { Service, ServiceContext, ServiceHealth } from '../runtime/service.ts';
import { mayReceive, maySubscribe, publishDenial } from './acl.ts';
import { Authenticator, ownsClientId, type Principal } from './auth.ts';
import { holdDeliveriesUntilConnack } from './connack.ts';
import { ConnectionCounts } from './connections.ts';
import { DenyList } from './deny.ts';
import { guardParser, RateLimiter } from './limits.ts';
import { type BoundAddress, openListeners } from './listeners.ts';
import { brokerMetrics } from './metrics.ts';
import { createStorage } from './persistence.ts';
import { boundQueues } from './queues.ts';
import { KnownIds, RetainedBudget } from './retained.ts';
import { BrokerStats, type RejectReason } from './stats.ts';
import { storeEachSubscribeOnce } from './subscriptions.ts';
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

const DEVICE_ROLES = new Set(['counter', 'hall-device']);

function remoteOf(conn: Duplex, req?: { socket: { remoteAddress?: string } }): string {
  return String(
    (conn as Duplex & { remoteAddress?: string }).remoteAddress ?? req?.socket.remoteAddress ?? '',
  );
}

export async function startBroker(ctx: ServiceContext): Promise<BrokerService> {
  const { config, clock } = ctx;
  const mqtt = config.mqtt;
  const logger = ctx.logger.child({ service: 'broker' });
  const warn = rateLimitedLog(logger);
  const stats = new BrokerStats();
  const limits = mqtt.limits;
  // The services of this process log in as its internal principal (runtime/service.ts).
  const own = ctx.mqtt;
  const auth = new Authenticator(
    config,
    own.internal && own.username && own.password
      ? { username: own.username, password: own.password }
      : undefined,
  );
  const throttle = new LoginThrottle(limits.loginFreeFailures, limits.loginMaxDelay);
  const principals = new WeakMap<Client, Principal>();
  const limiters = new WeakMap<Client, RateLimiter>();
  const counts = new ConnectionCounts();
  const known = new KnownIds(config);
  const retained = new RetainedBudget(limits.maxRetainedPerDevice, limits.maxRetainedBytesPerDevice);
  const deny = new DenyList(mqtt.denySubscribe);
  /** Clients that sent an empty client id (aedes replaces it before `authenticate`). */
  const emptyIds = new WeakSet<Client>();
  /** Denied publishes that are acknowledged but go nowhere (`deniedPublish: drop`). */
  const dropped = new WeakSet<object>();
  /** Client ids that logged in as a service (their sessions get maxQueuedPerServiceSession). */
  const serviceIds = new Set<string>();
  const storage = await createStorage(
    mqtt.persistence,
    config.dataDir,
    (c) => logger.error(c, 'broker journal has a torn or corrupt tail: the records before it were replayed'),
    Math.max(limits.maxQueuedPerSession, limits.maxQueuedPerServiceSession),
  );
  const inbound = storage.inbound;
  const createBroker = (o: Parameters<typeof Aedes.createBroker>[0]) =>
    Aedes.createBroker(o).catch(async (e: unknown) => {
      await storage.close();
      throw e;
    });
  const throttleDisconnectMs = limits.throttleDisconnectAfter;
  /** Per connecting client: releases its held deliveries once aedes has written its CONNACK. */
  const connackWaiters = new WeakMap<Client, () => void>();

  const refuse = (reason: RejectReason, context: Record<string, unknown>, msg: string) => {
    stats.reject(reason);
    warn(`${reason}:${String(context.username ?? context.remote ?? '')}`, { reason, ...context }, msg);
  };

  const aedes = await createBroker({
    ...storage.options,
    drainTimeout: limits.drainTimeout,
    connectTimeout: limits.connectTimeout,
    // Contract topics have at most 6 levels; deep topics only cost (GHSA-xxqp-5qx8-gj5q).
    maxTopicLevels: 16,
    preConnect(client, packet, done) {
      if (packet.clientId === '') emptyIds.add(client);
      holdDeliveriesUntilConnack(client, (f) => connackWaiters.set(client, f));
      done(null, true);
    },
    authenticate(client, username, password, done) {
      login(client, username, password).then(
        (err) => done(err, err === null),
        (err: unknown) => {
          logger.error({ err, clientId: client.id }, 'login check failed');
          done(authError('server unavailable', 3), false);
        },
      );
    },
    authorizePublish(client, packet, done) {
      if (!client) return done(null); // a dead broker's stored will, checked when it was stored
      const p = principals.get(client);
      const username = p?.username;
      const isWill = packet === (client as Client & { will?: unknown }).will;
      if (!p) return done(new Error('not authenticated'));
      const limiter = isWill ? undefined : limiters.get(client);
      const accept = () => {
        const denial = publishDenial(p, packet.topic) ?? (isWill ? null : deviceDenial(p, packet));
        if (denial) {
          const reason = denial.startsWith('retained_')
            ? 'retained_limit'
            : denial.startsWith('unknown_')
              ? 'unknown_id'
              : 'publish_denied';
          const drop = limits.deniedPublish === 'drop' && !isWill;
          refuse(
            reason,
            { clientId: client.id, username, topic: packet.topic, why: denial },
            drop ? 'publish refused: acknowledged and dropped' : 'publish refused: disconnected',
          );
          if (!drop) return done(new Error(`publish denied: ${denial}`));
          dropped.add(packet);
          return done(null);
        }
        stats.messagesIn++;
        // aedes sends the PUBACK right after this callback: journal first (durable/inbound.ts).
        if (!inbound || packet.qos === 0) return done(null);
        inbound.accept(packet).then(
          () => done(null),
          (err: Error) => {
            stats.journalErrors++;
            warn('journal', { err: err.message }, 'broker journal write failed: message not acknowledged');
            done(err);
          },
        );
      };
      if (!limiter) return accept();
      const now = Date.now();
      const wait = limiter.delay(now);
      if (wait === 0) {
        const streak = limiter.settle(now);
        if (streak)
          logger.info(
            { clientId: client.id, username, throttledMs: streak.ms, delayed: streak.delayed },
            'device back under its message rate',
          );
        return accept();
      }
      stats.throttled++;
      if (limiter.delayed === 1)
        warn(
          `throttled:${username}`,
          { clientId: client.id, username, limit: limits.maxMessagesPerSecond },
          'device over its message rate: slowed down (backpressure), not disconnected',
        );
      if (now - limiter.overSince! > throttleDisconnectMs) {
        refuse(
          'rate_limited',
          {
            clientId: client.id,
            username,
            limit: limits.maxMessagesPerSecond,
            overForMs: now - limiter.overSince!,
          },
          'device over its message rate for longer than throttleDisconnectAfter: disconnected',
        );
        return done(new Error('message rate exceeded'));
      }
      setTimeout(accept, wait);
    },
    published(packet, _client, done) {
      inbound?.published(packet);
      done();
    },
    authorizeSubscribe(client, sub, done) {
      const p = principals.get(client);
      const denied = deny.subscription(sub.topic);
      if (p && !denied && maySubscribe(p, sub.topic)) return done(null, sub);
      refuse(
        'subscribe_denied',
        { clientId: client.id, username: p?.username, topic: sub.topic, ...(denied ? { deny: denied } : {}) },
        'subscription refused (SUBACK 0x80)',
      );
      done(null, null);
    },
    authorizeForward(client, packet) {
      const p = principals.get(client);
      if (!p || !mayReceive(p, packet.topic) || deny.blocks(packet.topic)) return null;
      stats.messagesOut++;
      return packet;
    },
  });

  // A dropped publish was acknowledged by aedes (PUBACK/PUBREC) and ends here, delivered to nobody.
  type Publish = (packet: object, client: Client | null, done?: (e?: Error) => void) => void;
  const inner = aedes as unknown as { publish: Publish; persistence: unknown };
  const publish = inner.publish.bind(aedes);
  inner.publish = (packet, client, done) => {
    if (dropped.has(packet)) return (done ?? (() => {}))();
    return publish(packet, client, done);
  };

  storeEachSubscribeOnce(inner.persistence);

  // The ingest's queue holds what it has not stored yet, every message PUBACKed: a larger bound.
  const queueBound = (clientId: string) =>
    serviceIds.has(clientId) || clientId.startsWith('hallwatch-')
      ? limits.maxQueuedPerServiceSession
      : limits.maxQueuedPerSession;
  boundQueues(inner.persistence, queueBound, (clientId, queued) =>
    refuse(
      'queue_full',
      { clientId, queued, limit: queueBound(clientId) },
      'session queue full: newest message dropped for it',
    ),
  );

  /** Device-only checks after the ACL: retained messages only for configured ids and within budget. */
  function deviceDenial(
    p: Principal,
    packet: { topic: string; retain: boolean; payload: Buffer | string },
  ): string | null {
    if (!DEVICE_ROLES.has(p.role) || !packet.retain) return null;
    let ref: ReturnType<typeof parseTopic>;
    try {
      ref = parseTopic(packet.topic);
    } catch (e) {
      if (e instanceof TopicError) return 'not_a_device_topic';
      throw e;
    }
    return known.unknown(ref) ?? retained.take(p.username, packet.topic, Buffer.byteLength(packet.payload));
  }

  /** The CONNECT checks in order; null when the client may connect. */
  async function login(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<AuthError | null> {
    const id = client.id;
    if (BAD_ID.test(id) || (username !== undefined && BAD_ID.test(username))) {
      refuse('bad_client_id', { clientId: id, username }, 'client id or username contains + # / or NUL');
      return authError('identifier rejected', 2);
    }
    if (emptyIds.has(client) && !client.clean) {
      refuse('bad_client_id', { username }, 'empty client id needs a clean session (MQTT-3.1.3-8)');
      return authError('identifier rejected', 2);
    }
    const remote = remoteOf(client.conn, client.req);
    const who = username ?? '';
    const wait = throttle.blockedFor(remote, who, Date.now());
    if (wait > 0) {
      refuse(
        'throttled',
        { clientId: id, username, remote, waitMs: wait },
        'login throttled after repeated failures',
      );
      return authError('not authorized', 5);
    }
    const r = await auth.check(username, password);
    if (!r.ok) {
      if (r.reason === 'login_busy') {
        refuse(
          'login_busy',
          { clientId: id, username, remote },
          'too many logins waiting for a password check',
        );
        return authError('server unavailable', 3);
      }
      throttle.fail(remote, who, Date.now());
      const reason =
        r.reason === 'anonymous'
          ? 'anonymous'
          : r.reason === 'unknown_user'
            ? 'unknown_user'
            : 'bad_password';
      refuse(reason, { clientId: id, username, remote }, 'MQTT login refused');
      return authError('not authorized', 5);
    }
    throttle.succeed(remote, who);
    const p = r.principal;
    const device = DEVICE_ROLES.has(p.role);
    if (!ownsClientId(p, id)) {
      refuse(
        'bad_client_id',
        { clientId: id, username },
        'device client id must be its username (or username:suffix)',
      );
      return authError('identifier rejected', 2);
    }
    const will = (client as Client & { _will?: { topic: string } | null })._will;
    if (will && publishDenial(p, will.topic)) {
      refuse('will_denied', { clientId: id, username, topic: will.topic }, 'last will topic not allowed');
      return authError('not authorized', 5);
    }
    if (device) {
      if (!counts.openSession(p.username, id, limits.maxConnectionsPerDevice)) {
        refuse(
          'max_per_device',
          { clientId: id, username, remote, limit: limits.maxConnectionsPerDevice },
          'device credential has too many sessions',
        );
        return authError('server unavailable', 3);
      }
      client.conn.once('close', () => counts.closeSession(p.username, id));
      limiters.set(client, new RateLimiter(limits.maxMessagesPerSecond, Date.now()));
    }
    principals.set(client, p);
    if (p.role === 'service') serviceIds.add(id);
    return null;
  }

  // Messages acknowledged before a crash but not yet handed to aedes' store: publish them again
  // before any client connects, so the restored sessions (the ingest's) get them queued.
  const again = inbound?.unpublished() ?? [];
  for (const packet of again) {
    await new Promise<void>((resolve) => aedes.publish(packet, () => resolve()));
    stats.republished++;
  }
  if (again.length)
    logger.warn({ messages: again.length }, 'published again what was acknowledged before a crash');

  aedes.on('connackSent', (_packet, client) => {
    connackWaiters.get(client)?.();
    connackWaiters.delete(client);
  });
  aedes.on('clientReady', () => {
    stats.connections = aedes.connectedClients;
  });
  aedes.on('clientDisconnect', () => {
    stats.connections = aedes.connectedClients;
  });
  /** Clients dropped for drainTimeout: aedes reports the drop once per write that was waiting. */
  const undrained = new WeakSet<Client>();
  aedes.on('clientError', (client, err) => {
    // aedes destroys a client whose socket has not drained within drainTimeout (it stopped reading).
    if (err.message === 'drain timeout') {
      if (undrained.has(client)) return;
      undrained.add(client);
      refuse(
        'drain_timeout',
        { clientId: client.id, username: principals.get(client)?.username, limit: limits.drainTimeout },
        'client stopped reading: disconnected after drainTimeout',
      );
    } else logger.debug({ clientId: client.id, err: err.message }, 'client error');
  });
  aedes.on('connectionError', (client, err) => {
    if (/connect did not arrive in time/.test(err.message))
      refuse(
        'connect_timeout',
        { remote: remoteOf(client.conn, client.req), limit: limits.connectTimeout },
        'no CONNECT in time: closed',
      );
    else logger.debug({ clientId: client.id, err: err.message }, 'connection error');
  });

  const sockets = new Set<Duplex>();
  const listeners = await openListeners(
    mqtt,
    (raw, req) => {
      const remote = remoteOf(raw, req);
      if (sockets.size >= limits.maxConnections) {
        refuse(
          'max_connections',
          { remote, limit: limits.maxConnections },
          'connection refused: broker full',
        );
        raw.destroy();
        return;
      }
      if (!counts.openSocket(remote, limits.maxConnectionsPerAddress)) {
        refuse(
          'max_per_address',
          { remote, limit: limits.maxConnectionsPerAddress },
          'connection refused: too many from this address',
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
      raw.on('close', () => {
        sockets.delete(raw);
        counts.closeSocket(remote);
      });
      client = aedes.handle(raw, req);
      // Hooking aedes' parser costs nothing per packet; a wrapping Duplex stream cost half the
      // throughput and stalled QoS 1 bursts (bench/broker.ts). test/broker checks the hook holds.
      if (!guardParser(client, mqtt.limits.maxPacketBytes, tooLarge))
        logger.error('aedes parser not hookable: maxPacketBytes is NOT enforced (aedes internals changed?)');
    },
    (req) =>
      refuse(
        'packet_too_large',
        { remote: req.socket.remoteAddress, limit: limits.maxPacketBytes, transport: 'websocket' },
        'WebSocket frame over maxPacketBytes: disconnected',
      ),
  ).catch(async (e) => {
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
    metrics: brokerMetrics(stats, () => sockets.size),
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
