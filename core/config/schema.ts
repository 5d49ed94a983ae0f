// The configuration schema of CONTRACT §4. This file is the configuration reference:
// every key and every default is here; a key that is not understood is an error (strict objects).
// Parsing happens once, at the edge: durations come out as milliseconds, defaults filled in.
import { z } from 'zod';
import { isDuration, parseDuration } from '../duration.ts';
import { COUNTER_ID, DEVICE_ID, EQUIPMENT_ID, HALL_ID, SEAT_ID, SENSOR_ID, STAFF_ID } from '../ids.ts';
import { ALERT_TYPES } from '../protocol/payloads.ts';

/**
 * A duration in the YAML ("10m", "30s", "1h30m", "0s", or a whole number of milliseconds);
 * milliseconds after parsing. Numbers are accepted so a parsed configuration parses again to itself
 * (tests and tools write one back out).
 */
const duration = z.union([
  z
    .string()
    .refine(isDuration, { message: 'not a duration (use e.g. 10m, 30s, 1h30m, 0s)' })
    .transform(parseDuration),
  z.number().int().min(0),
]);
const idOf = (re: RegExp, what: string) => z.string().regex(re, `invalid ${what} id`);
const hostPort = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535),
});
const timeRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'session must look like 09:00-12:00')
  .refine((s) => s.slice(0, 5) < s.slice(6), { message: 'session end must be after its start' });
const DAY = '(mon|tue|wed|thu|fri|sat|sun)';
/** Weekly template: keys are a day (`sat`) or a day range (`mon-fri`); values are session lists. */
const weekly = z.record(
  z.string().regex(new RegExp(`^${DAY}(-${DAY})?$`), 'weekday key must be like mon, sat or mon-fri'),
  z.array(timeRange),
);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');

/** Rule limits (DOMAIN §2). Every one is a duration so a test can run any rule in seconds. */
const ruleLimits = {
  awayLimit: duration,
  unsignedGrace: duration,
  gapGrace: duration,
  openingGrace: duration,
  readinessLead: duration,
  faultGrace: duration,
  offGrace: duration,
  heartbeatMisses: z.number().int().min(1).max(100),
  /** R27: one duration for every metric, or per metric (`{ noise: 10m, co2: 60m }`); default 10m, CO2 60m. */
  envSustain: z.union([
    duration,
    z.strictObject({
      lux: duration.optional(),
      temperature: duration.optional(),
      humidity: duration.optional(),
      co2: duration.optional(),
      noise: duration.optional(),
    }),
  ]),
  envClearSustain: duration,
  pausedMeansAway: z.boolean(),
  /** R21: 暂停服务 board up in session (no approved closure) longer than this → service_paused. */
  pausedLimit: duration,
  /** R22: nobody on post this long after a session start → unattended (reason not_opened). */
  noShowLimit: duration,
};
/** A hall's or counter's rules: any limit, overriding the top-level `rules`. */
export const rulesSchema = z.strictObject(ruleLimits).partial();
/** Top-level `rules`: every limit with its DOMAIN §2 / §2b default. */
export const defaultRulesSchema = z
  .strictObject({
    awayLimit: ruleLimits.awayLimit.prefault('10m'),
    unsignedGrace: ruleLimits.unsignedGrace.prefault('2m'),
    gapGrace: ruleLimits.gapGrace.prefault('1m'),
    openingGrace: ruleLimits.openingGrace.prefault('0s'),
    readinessLead: ruleLimits.readinessLead.prefault('15m'),
    faultGrace: ruleLimits.faultGrace.prefault('0s'),
    offGrace: ruleLimits.offGrace.prefault('5m'),
    heartbeatMisses: ruleLimits.heartbeatMisses.default(3),
    envSustain: ruleLimits.envSustain.prefault({
      lux: '10m',
      temperature: '10m',
      humidity: '10m',
      co2: '60m',
      noise: '10m',
    }),
    envClearSustain: ruleLimits.envClearSustain.prefault('5m'),
    pausedMeansAway: ruleLimits.pausedMeansAway.default(false),
    pausedLimit: ruleLimits.pausedLimit.prefault('30m'),
    noShowLimit: ruleLimits.noShowLimit.prefault('10m'),
  })
  .prefault({});
export type RulesInput = z.input<typeof rulesSchema>;
export type RuleLimits = z.output<typeof defaultRulesSchema>;

const band = z.strictObject({ min: z.number().optional(), max: z.number().optional() });
/** Environment bands (DOMAIN §3); temperature/humidity may differ by season. */
export const thresholdsSchema = z.strictObject({
  lux: band.optional(),
  temperature: band.extend({ summer: band.optional(), winter: band.optional() }).strict().optional(),
  humidity: band.extend({ summer: band.optional(), winter: band.optional() }).strict().optional(),
  co2: band.optional(),
  noise: band.optional(),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

const equipmentKind = z.enum([
  'pc',
  'printer',
  'tablet',
  'docCamera',
  'queue',
  'display',
  'touchScreen',
  'waterDispenser',
  'lift',
  'ratingDevice',
  'other',
]);
const equipmentSchema = z.strictObject({
  id: idOf(EQUIPMENT_ID, 'equipment'),
  kind: equipmentKind,
  name: z.string().optional(),
  /** Silence for `heartbeatMisses` intervals counts as offline. */
  heartbeat: duration.optional(),
});

const rosterSchema = z.union([
  z.strictObject({ a: idOf(STAFF_ID, 'staff'), b: idOf(STAFF_ID, 'staff').optional() }),
  z.strictObject({ staff: z.array(idOf(STAFF_ID, 'staff')).min(1) }),
]);

const counterSchema = z.strictObject({
  id: idOf(COUNTER_ID, 'counter'),
  name: z.string(),
  /** Department that staffs the counter (派驻部门). */
  agency: z.string().optional(),
  /** Device id whose status / last will covers this counter's sensors. */
  controller: idOf(DEVICE_ID, 'device').optional(),
  /** Heartbeat interval of the controller; silence for `heartbeatMisses` intervals → offline. */
  heartbeat: duration.optional(),
  seats: z.array(idOf(SEAT_ID, 'seat')).min(1),
  roster: rosterSchema.optional(),
  /**
   * R23: staff the counter keeps on post (default 1, ≤ seats). Fewer than min(minStaff, available)
   * on post for gapGrace in session → `understaffed` (warning).
   */
  minStaff: z.number().int().min(1).optional(),
  /** Replaces the hall's weekly template for this counter (e.g. an extra Saturday session). */
  sessions: weekly.optional(),
  /** Adds to the hall's weekly template (e.g. `sat: ["09:00-12:00"]`). */
  extraSessions: weekly.optional(),
  rules: rulesSchema.optional(),
  equipment: z.array(equipmentSchema).default([]),
  /** Physical place on the board's grid. */
  position: z.strictObject({ row: z.number().int().min(0), col: z.number().int().min(0) }).optional(),
});

const sensorSchema = z.strictObject({
  id: idOf(SENSOR_ID, 'sensor'),
  name: z.string().optional(),
  /** The counter the sensor sits at, if any (messages name it). */
  counter: idOf(COUNTER_ID, 'counter').optional(),
  heartbeat: duration.optional(),
});

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/**
 * A calendar override (R1, R25): one date (`date`), a range (`from`–`to`: working days only unless
 * `days` says otherwise) or a weekly exception (`every: mon`, e.g. the Monday morning meeting).
 */
const overrideSchema = z
  .strictObject({
    date: isoDate.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Weekly exception: every such weekday that is a working day. */
    every: weekday.optional(),
    /**
     * Range only: the weekdays it applies to (`all` = every date, holidays included). Without it a
     * range applies to working days only: statutory holidays, in-lieu days off and weekends stay closed.
     * A weekday list still leaves statutory holidays and in-lieu days off closed.
     */
    days: z.union([z.literal('all'), z.array(weekday).min(1)]).optional(),
    /** Sessions that day; `[]` closes. Omitted with `leave` means the ordinary template. */
    sessions: z.array(timeRange).optional(),
    /** Closes the day (same as `sessions: []`). */
    closed: z.literal(true).optional(),
    /** Limits the override to these counters; all counters when absent. */
    counters: z.array(idOf(COUNTER_ID, 'counter')).optional(),
    /** Approved leave (R20): the staff member is away that day and `cover` sits in. */
    leave: z
      .strictObject({ staff: idOf(STAFF_ID, 'staff'), cover: idOf(STAFF_ID, 'staff').optional() })
      .optional(),
    reason: z.string().optional(),
    /** What the exception is for (shown in docs and messages), e.g. 早会. */
    note: z.string().optional(),
    /** When the override was announced (R2: < 2 working days before → warning). */
    announcedAt: isoDate.optional(),
  })
  .refine(
    (o) =>
      [o.date !== undefined, o.from !== undefined || o.to !== undefined, o.every !== undefined].filter(
        Boolean,
      ).length === 1 && (o.from === undefined) === (o.to === undefined),
    { message: 'give either date, or from and to, or every' },
  )
  .refine((o) => o.sessions !== undefined || o.closed !== undefined || o.leave !== undefined, {
    message: 'give sessions, closed: true or leave',
  })
  .refine((o) => !(o.sessions !== undefined && o.closed !== undefined), {
    message: 'give sessions or closed, not both',
  })
  .refine((o) => o.days === undefined || o.from !== undefined, { message: 'days is for from/to ranges' })
  .refine((o) => o.every === undefined || o.leave === undefined, {
    message: 'leave needs a date or a range',
  });

const hallSchema = z.strictObject({
  id: idOf(HALL_ID, 'hall'),
  name: z.string(),
  /** `cn`: statutory holidays closed, adjusted working days (调休) open; `none`: weekly template only. */
  calendar: z.enum(['cn', 'none']).default('cn'),
  sessions: weekly,
  overrides: z.array(overrideSchema).default([]),
  /** R26: days before 1 January from which a year without holiday data raises calendar_unverified (top-level value when absent). */
  calendarWarnDays: z.number().int().min(0).max(366).optional(),
  thresholds: thresholdsSchema.default({}),
  rules: rulesSchema.optional(),
  equipment: z.array(equipmentSchema).default([]),
  sensors: z.array(sensorSchema).default([]),
  /** Hall-level devices (e.g. a hall controller) that publish status with a last will. */
  devices: z
    .array(z.strictObject({ id: idOf(DEVICE_ID, 'device'), heartbeat: duration.optional() }))
    .default([]),
  counters: z.array(counterSchema).min(1),
});

const mqttUserSchema = z.strictObject({
  username: z.string().min(1),
  passwordHash: z.string().regex(/^(scrypt|pbkdf2)\$/, 'must be a hash from `npm run hash-password`'),
  /** counter: one counter controller; hall-device: hall equipment/env; service: ingest/alerts; admin: everything. */
  role: z.enum(['counter', 'hall-device', 'service', 'admin']),
  hall: idOf(HALL_ID, 'hall').optional(),
  counter: idOf(COUNTER_ID, 'counter').optional(),
  /** Device id for the status topic; defaults to the counter's controller or the username. */
  device: idOf(DEVICE_ID, 'device').optional(),
});

const mqttSchema = z.strictObject({
  listen: hostPort.optional(),
  tls: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int(),
      cert: z.string(),
      key: z.string(),
      ca: z.string().optional(),
    })
    .optional(),
  websocket: hostPort
    .extend({ path: z.string().default('/mqtt') })
    .strict()
    .optional(),
  /** Broker the services connect to; defaults to the embedded listener. */
  url: z.string().optional(),
  /**
   * Optional (kept for existing installations): the login of services in a process without the
   * broker (`--only ingest`; password may be ${ENV}). Without it they use HALLWATCH_MQTT_USERNAME /
   * HALLWATCH_MQTT_PASSWORD; services next to the embedded broker need neither (internal principal).
   */
  service: z.strictObject({ username: z.string(), password: z.string() }).optional(),
  users: z.array(mqttUserSchema).default([]),
  /** Allow clients without credentials (development only). */
  allowAnonymous: z.boolean().default(false),
  /**
   * Broker limits (docs/broker.md "Limits"): each refusal is counted by reason in /api/health
   * (`broker.rejects`) and logged.
   */
  limits: z
    .strictObject({
      /** Largest MQTT packet (and WebSocket frame); a bigger one closes the connection. */
      maxPacketBytes: z.number().int().min(256).default(16_384),
      maxMessagesPerSecond: z.number().int().min(1).default(200),
      /** Open sockets in all; more are closed at once (`max_connections`). */
      maxConnections: z.number().int().min(1).default(5_000),
      /** Open sockets from one source address, logged in or not (`max_per_address`). */
      maxConnectionsPerAddress: z.number().int().min(1).default(200),
      /** Live sessions (distinct client ids) per device credential (`max_per_device`, CONNACK 3). */
      maxConnectionsPerDevice: z.number().int().min(1).default(4),
      /** A socket that has not sent CONNECT within this time is closed (`connect_timeout`). */
      connectTimeout: duration.prefault('10s'),
      /** A client that stops reading (its socket does not drain) for this long is disconnected (`drain_timeout`). */
      drainTimeout: duration.prefault('30s'),
      /** Retained messages one device credential may hold (`retained_limit`). */
      maxRetainedPerDevice: z.number().int().min(1).default(64),
      /** Bytes of retained payloads one device credential may hold (`retained_limit`). */
      maxRetainedBytesPerDevice: z.number().int().min(256).default(65_536),
      /** QoS 1/2 messages queued for one session (offline or unacknowledged); newer ones are dropped (`queue_full`). */
      maxQueuedPerSession: z.number().int().min(1).default(1_000),
      /**
       * The same for the services' sessions (ingest, alerts: role service, or a client id starting
       * hallwatch-): what the ingest has not taken yet while it restarts, every message PUBACKed.
       */
      maxQueuedPerServiceSession: z.number().int().min(1).default(500_000),
      /** A device continuously over maxMessagesPerSecond is slowed; only after this long is it disconnected. */
      throttleDisconnectAfter: duration.prefault('1h'),
      /** Password checks waiting for the crypto thread pool; more logins are refused (`login_busy`, CONNACK 3). */
      maxPendingLogins: z.number().int().min(1).default(64),
      /** Wrong logins per (address, username) before each further try waits (1 s doubling). */
      loginFreeFailures: z.number().int().min(0).default(5),
      /** Longest wait imposed on repeated wrong logins (`throttled`). */
      loginMaxDelay: duration.prefault('60s'),
      /** A denied publish is acknowledged and dropped (`drop`, as Mosquitto does) or closes the connection. */
      deniedPublish: z.enum(['drop', 'disconnect']).default('drop'),
    })
    .prefault({}),
  /** Topic filters nobody may subscribe to and nothing matching is delivered (SUBACK 0x80), e.g. `test/nosubscribe`. */
  denySubscribe: z.array(z.string().min(1)).default([]),
  /**
   * file (default): sessions, retained messages and every QoS 1/2 message journaled under `dir`
   * (default DATADIR/broker) before its PUBACK; one broker process per dir. redis: shared by
   * several brokers, QoS 1/2 messages still journaled locally before PUBACK. memory: nothing
   * survives a restart (tests, benchmarks). docs/broker.md "Durability".
   */
  persistence: z
    .strictObject({
      kind: z.enum(['file', 'memory', 'redis']).default('file'),
      dir: z.string().optional(),
      /** fdatasync before PUBACK (power-loss safe); false still survives kill -9. */
      fsync: z.boolean().default(true),
      redisUrl: z.string().optional(),
    })
    .prefault({}),
});

const influxSchema = z.strictObject({
  url: z.string().url(),
  api: z.enum(['v1', 'v2']).default('v1'),
  database: z.string().default('hallwatch'),
  retentionPolicy: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  token: z.string().optional(),
  org: z.string().optional(),
  bucket: z.string().optional(),
  /** v1: duration of `retentionPolicy` when ingest creates it (e.g. 400d); INF when absent. */
  retentionDuration: duration.optional(),
});

const ingestSchema = z.strictObject({
  batchSize: z.number().int().min(1).default(5_000),
  flushInterval: duration.prefault('100ms'),
  maxInFlight: z.number().int().min(1).default(2),
  maxPayloadBytes: z.number().int().min(64).default(4_096),
  maxFutureSkew: duration.prefault('1m'),
  maxPastAge: duration.prefault('7d'),
  spoolMaxBytes: z.number().int().min(1_000_000).default(1_073_741_824),
  /** Shared-subscription group (`$share/{group}/…`) so several ingest processes split the load. */
  shareGroup: z.string().optional(),
  /** Reject messages whose hall/counter/seat/equipment/sensor is not configured. */
  rejectUnknownIds: z.boolean().default(true),
  /** MQTT client id of the persistent session; must stay the same across restarts of one process. */
  clientId: z.string().min(1).max(64).optional(),
  /** fsync each spool append before the broker is acknowledged (power-loss safe; kill -9 needs no fsync). */
  spoolFsync: z.boolean().default(true),
  /** Size at which the spool starts a new segment file. */
  spoolSegmentBytes: z.number().int().min(65_536).default(16_777_216),
  /** One write request to InfluxDB longer than this counts as failed (the batch goes to the spool). */
  writeTimeout: duration.prefault('10s'),
  /** Sealed batches waiting for a write slot before consumption from the broker pauses. */
  maxQueuedBatches: z.number().int().min(1).default(4),
  /** The dead-letter file is rotated (one previous file kept) when it passes this size. */
  deadLetterMaxBytes: z.number().int().min(10_000).default(104_857_600),
  /**
   * Attempts of a spooled batch that fails with a retryable error (5xx, timeout) before the drain
   * splits it to find a point InfluxDB keeps refusing; such a point is dead-lettered
   * (`influx_retry_exhausted`) once other writes succeed around it.
   */
  retryLimit: z.number().int().min(1).default(5),
  /**
   * This many lines refused for good in a row, none stored in between: InfluxDB (or a proxy) is
   * broken, not the data. Batches are then kept (spooled), not dead-lettered; health is down.
   */
  refuseStormLines: z.number().int().min(1).default(100),
});

const apiTokenSchema = z.strictObject({
  name: z.string(),
  tokenHash: z.string().regex(/^(sha256|scrypt|pbkdf2)\$/, 'must be a hash from `npm run hash-password`'),
  role: z.enum(['supervisor', 'facility', 'assessor', 'admin']),
  halls: z.array(idOf(HALL_ID, 'hall')).optional(),
});

const apiSchema = z.strictObject({
  listen: hostPort.prefault({ port: 8080 }),
  tokens: z.array(apiTokenSchema).default([]),
  cors: z.strictObject({ origins: z.array(z.string()) }).optional(),
  /** Requests per window for each verified token; requests without a valid token share one budget per address. */
  rateLimit: z
    .strictObject({ max: z.number().int().min(1), window: duration })
    .prefault({ max: 600, window: '1m' }),
  /** Failed authentications per source address per window; beyond it 429 `auth_throttled` until the window ends. */
  authFailures: z
    .strictObject({ max: z.number().int().min(1), window: duration })
    .prefault({ max: 20, window: '1m' }),
  /**
   * EMQX in front (docs/broker.md "EMQX"): POST /api/broker/emqx/authn and /authz answer EMQX 5's
   * HTTP authenticator and authoriser with the embedded broker's decisions. Off unless set.
   */
  brokerAuth: z
    .strictObject({
      /** Hash of the shared secret EMQX sends in `x-hallwatch-broker-secret` (`npm run hash-password -- --token SECRET`). */
      secretHash: z
        .string()
        .regex(/^sha256\$[0-9a-f]{64}$/, 'must be a hash from `npm run hash-password -- --token`'),
      /** Requests per window from callers with the secret (every login and topic check of the cluster). */
      rateLimit: z
        .strictObject({ max: z.number().int().min(1), window: duration })
        .prefault({ max: 60_000, window: '1m' }),
    })
    .optional(),
});

/** 127.x.x.x, ::1 or localhost: reachable from this machine only. */
export const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host);
/** Prometheus metrics; the API serves them at /metrics with an admin token (docs/api.md). */
const metricsSchema = z.strictObject({
  /**
   * A listener of this process serving only /metrics without a token, for processes without the
   * API (`--only broker`, `--only ingest`). Loopback only: scrape through a local agent or proxy.
   * HALLWATCH_METRICS_LISTEN=host:port sets it per process (systemd's hallwatch@.service).
   */
  listen: hostPort
    .refine((l) => isLoopback(l.host), {
      message: 'metrics.listen serves without a token: host must be loopback (127.0.0.1 or ::1)',
      path: ['host'],
    })
    .optional(),
});

// ---- notifications (owned by the alerts wing; docs/alerts.md explains routing and policy) ----
const channelBase = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** Legacy spacing between two sends to this channel, in ms (prefer ratePerMinute). */
  minIntervalMs: z.number().int().optional(),
  /** Most messages per minute to this channel; robots default to their platform's limit (WeCom/DingTalk 20, Feishu 100). */
  ratePerMinute: z.number().int().min(1).optional(),
  /** Most messages per second (Feishu: 5 by default). */
  ratePerSecond: z.number().int().min(1).optional(),
  /** How long to hold the channel after the platform answers "too fast" (DingTalk 10m, WeCom 1m, Feishu 10s). */
  rateBlock: duration.optional(),
  /** Most alerts folded into one digest message (robots and e-mail); 1 disables digests. */
  maxBatch: z.number().int().min(1).max(50).optional(),
  /** Wait this long after the first pending notification to fold later ones into one digest. */
  digestWindow: duration.optional(),
  /** Per-request timeout. */
  timeout: duration.prefault('10s'),
};
/** Group robots: markdown (default) or plain text messages. */
const robotFormat = z.enum(['markdown', 'text']).default('markdown');
const channelSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...channelBase,
    type: z.literal('webhook'),
    url: z.string().url(),
    /** HMAC-SHA256 key for the X-HallWatch-Signature header. */
    secret: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({ ...channelBase, type: z.literal('wecom'), url: z.string().url(), format: robotFormat }),
  z.strictObject({
    ...channelBase,
    type: z.literal('dingtalk'),
    url: z.string().url(),
    /** 加签 secret (starts with SEC); without it the robot must use keywords or an IP allow-list. */
    secret: z.string().optional(),
    format: robotFormat,
  }),
  z.strictObject({
    ...channelBase,
    type: z.literal('feishu'),
    url: z.string().url(),
    /** 签名校验 secret. */
    secret: z.string().optional(),
  }),
  z.strictObject({
    ...channelBase,
    type: z.literal('email'),
    smtp: z.strictObject({
      host: z.string(),
      port: z.number().int(),
      secure: z.boolean().default(false),
      user: z.string().optional(),
      password: z.string().optional(),
      /** Accept a self-signed relay certificate (internal government mail relays). */
      rejectUnauthorized: z.boolean().default(true),
    }),
    from: z.string(),
    to: z.array(z.string()).min(1),
  }),
  z.strictObject({
    ...channelBase,
    type: z.literal('mqtt'),
    topic: z.string().default('hallwatch/notifications'),
  }),
]);

/** A person notifications name or @mention; routes refer to recipients by id or by role. */
const recipientSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string(),
  /** director: hall director (escalations); supervisor: floor supervisor; facility: equipment staff; assessor: receives the 月报. */
  role: z.enum(['director', 'supervisor', 'facility', 'counterLead', 'staff', 'assessor', 'other']),
  /** Halls this person covers; all when absent. */
  halls: z.array(idOf(HALL_ID, 'hall')).optional(),
  /** For DingTalk/WeCom @mentions by phone. */
  mobile: z.string().optional(),
  email: z.string().optional(),
  wecomUserId: z.string().optional(),
  dingtalkUserId: z.string().optional(),
  feishuUserId: z.string().optional(),
});

const routeSchema = z.strictObject({
  /** Channel ids this route sends to. */
  channels: z.array(z.string()).min(1),
  halls: z.array(idOf(HALL_ID, 'hall')).optional(),
  types: z.array(z.enum(ALERT_TYPES)).optional(),
  minSeverity: z.enum(['info', 'warning', 'critical']).default('info'),
  /** Recipients named in the message (@mentions in group robots, extra To: in e-mail): ids or `role:<role>`. */
  recipients: z.array(z.string()).default([]),
  /** Also @mention the counter's rostered staff (A and B roles) when the alert names them. */
  mentionStaff: z.boolean().default(false),
  /** Send even outside service hours (quiet hours apply to presence alerts only). */
  ignoreQuietHours: z.boolean().default(false),
});

/** Sections of the 日报, in the order they are listed. */
export const DAILY_REPORT_SECTIONS = [
  'interruptions',
  'lateOpenings',
  'paused',
  'openFaults',
  'sensorCoverage',
] as const;
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must look like 09:00');

/** Reports that come to people (docs/alerts.md "Reports"): numbers from the same reports functions the API calls. */
const scheduledReportsSchema = z.strictObject({
  /** 日报: per hall, after the last session of each service day; none on a closed day. */
  daily: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** How long after the day's last session ends (late points written, intervals closed). */
      after: duration.prefault('30m'),
      /** Channel ids; empty = the channels of every route that names supervisors (role:supervisor or a supervisor's id) for the hall. */
      channels: z.array(z.string()).default([]),
      /** Whom the report names (ids or `role:<role>`). */
      recipients: z.array(z.string()).default(['role:supervisor']),
      /** Halls that get one; all when absent. */
      halls: z.array(idOf(HALL_ID, 'hall')).optional(),
      /** Sections and their order. */
      content: z.array(z.enum(DAILY_REPORT_SECTIONS)).default([...DAILY_REPORT_SECTIONS]),
    })
    .prefault({}),
  /** 月报: per hall, on its first working day of each month (first date with hall-wide sessions), last month's 考核 workbook (XLSX) attached. */
  monthly: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Local time on that day. */
      at: timeOfDay.default('09:00'),
      /** Channel ids; empty = every e-mail channel (the workbook travels by e-mail only). */
      channels: z.array(z.string()).default([]),
      /** Whom the report names; e-mail channels add their addresses to To: (ids or `role:<role>`). */
      recipients: z.array(z.string()).default(['role:assessor']),
      halls: z.array(idOf(HALL_ID, 'hall')).optional(),
      /** Rows of the workbook: per day, ISO week or the whole month. */
      by: z.enum(['day', 'week', 'month']).default('month'),
    })
    .prefault({}),
  /** A report that fell due while the service was down goes out at the next start if it is no older than this. */
  lateWithin: duration.prefault('3d'),
});

const notificationsSchema = z.strictObject({
  channels: z.array(channelSchema).default([]),
  routes: z.array(routeSchema).default([]),
  recipients: z.array(recipientSchema).default([]),
  /** Unacknowledged this long → escalate to the escalation route. */
  escalateAfter: duration.optional(),
  escalateTo: z.array(z.string()).default([]),
  /** Recipients the escalation names (ids or `role:<role>`, e.g. role:director). */
  escalateRecipients: z.array(z.string()).default(['role:director']),
  /** Repeat an open, unacknowledged alert's notification this often. */
  repeatEvery: duration.optional(),
  notifyResolved: z.boolean().default(true),
  /** Presence alerts (unattended, staffing_gap, late_opening, not_ready, device_offline) stay quiet outside service hours. */
  quietOutsideServiceHours: z.boolean().default(true),
  /** Outbox retries: first delay, doubling up to max; a notification older than giveUpAfter is dead-lettered. */
  retry: z
    .strictObject({
      initial: duration.prefault('1s'),
      max: duration.prefault('5m'),
      giveUpAfter: duration.prefault('24h'),
    })
    .prefault({}),
  /** Link to the board, appended to messages. */
  boardUrl: z.string().optional(),
  /** Where a channel that refuses for good (bad signature, keyword missing, robot removed) is reported. */
  adminChannels: z.array(z.string()).default([]),
  /** Whom that report names (ids or `role:<role>`). */
  adminRecipients: z.array(z.string()).default([]),
  /**
   * Webhook and robot targets on private, loopback or link-local addresses are refused unless
   * listed here (an address, a CIDR such as 10.20.0.0/16, or a host name). Redirects are never followed.
   */
  allowPrivateTargets: z.array(z.string()).default([]),
  /** 日报 and 月报 (they need `influx`: the numbers are read where the API reads them). */
  reports: scheduledReportsSchema.prefault({}),
});

/** One Modbus RTU register read (FC03 holding / FC04 input); value = raw × scale + offset. */
const modbusRegisterSchema = z.strictObject({
  /** What the value is: an env metric, or `presence` (non-zero = someone there). */
  metric: z.enum(['lux', 'temperature', 'humidity', 'co2', 'noise', 'presence']),
  fc: z.union([z.literal(3), z.literal(4)]).default(3),
  address: z.number().int().min(0).max(65535),
  type: z.enum(['int16', 'uint16', 'uint32', 'int32', 'float32']).default('uint16'),
  /** Word order of 32-bit values: `be` = high word first (most transmitters). */
  wordOrder: z.enum(['be', 'le']).default('be'),
  scale: z.number().default(1),
  offset: z.number().default(0),
});

/** One RS-485 slave polled by the firmware bridge; publishes as an env sensor or as a seat. */
const modbusDeviceSchema = z
  .strictObject({
    unitId: z.number().int().min(0).max(255),
    name: z.string().optional(),
    /** Env sensor id (hall/{h}/env/{sensor}) for env metrics. */
    sensor: idOf(SENSOR_ID, 'sensor').optional(),
    /** Counter and seat (hall/{h}/counter/{c}/seat/{s}) for a presence sensor. */
    counter: idOf(COUNTER_ID, 'counter').optional(),
    seat: idOf(SEAT_ID, 'seat').optional(),
    /** A seat reads empty only after presence stayed off this long (mmWave dropouts). */
    offDelay: duration.optional(),
    registers: z.array(modbusRegisterSchema).min(1),
  })
  .refine((d) => d.sensor !== undefined || (d.counter !== undefined && d.seat !== undefined), {
    message: 'give sensor (env) or counter and seat (presence)',
  });

/** A firmware bridge (npm run bridge): one controller's serial line and optional Modbus RTU bus. */
const bridgeSchema = z.strictObject({
  /** Controller device id; also the MQTT username unless `username` is given. */
  controller: idOf(DEVICE_ID, 'device'),
  hall: idOf(HALL_ID, 'hall').optional(),
  username: z.string().optional(),
  /** Password for the broker (use ${ENV}); the CLI --password overrides it. */
  password: z.string().optional(),
  serial: z.strictObject({ port: z.string(), baud: z.number().int().default(115_200) }).optional(),
  modbus: z
    .strictObject({
      port: z.string(),
      baud: z.number().int().default(9_600),
      parity: z.enum(['none', 'even', 'odd']).default('none'),
      interval: duration.prefault('10s'),
      timeout: duration.prefault('500ms'),
      devices: z.array(modbusDeviceSchema).min(1),
    })
    .optional(),
});

/**
 * An instant of a leave or closure (CONTRACT §7, minute precision): epoch ms, or ISO 8601 — with an
 * offset (2026-03-09T14:00+08:00), or local in `timezone` (2026-03-09T14:00, or 2026-03-09 = midnight).
 */
const approvalInstant = z.union([
  z
    .number()
    .int()
    .refine((v) => v % 60_000 === 0, { message: 'must be whole minutes' }),
  z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:00(\.0+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
      'must be ISO 8601 in whole minutes, e.g. 2026-03-09T14:00 (local) or 2026-03-09T14:00+08:00',
    ),
]);
const approvalBase = {
  /** Stable id (the API's); defaults to `config-leave-<n>` / `config-closure-<n>`. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'id: 1-64 of [A-Za-z0-9_.:-]')
    .optional(),
  hall: idOf(HALL_ID, 'hall'),
  from: approvalInstant,
  to: approvalInstant,
  reason: z.string().max(200).default(''),
  approvedBy: z.string().min(1).max(64),
};
/** R24: a person's approved leave (请假); the counter stays watched, B is expected on an A/B counter. */
const leaveSchema = z.strictObject({ ...approvalBase, staff: idOf(STAFF_ID, 'staff') });
/** R24: an approved closure of a counter, or of the hall without `counter`; removed from scheduled time. */
const closureSchema = z.strictObject({ ...approvalBase, counter: idOf(COUNTER_ID, 'counter').optional() });

const staffSchema = z.strictObject({
  id: idOf(STAFF_ID, 'staff'),
  name: z.string(),
  phone: z.string().optional(),
});

export const configSchema = z.strictObject({
  timezone: z.string().default('Asia/Shanghai'),
  dataDir: z.string().default('./data'),
  log: z
    .strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info') })
    .prefault({}),
  mqtt: mqttSchema.prefault({}),
  influx: influxSchema.optional(),
  ingest: ingestSchema.prefault({}),
  api: apiSchema.prefault({}),
  metrics: metricsSchema.prefault({}),
  rules: defaultRulesSchema,
  /** R26: days before 1 January from which a year without official holiday data raises calendar_unverified. */
  calendarWarnDays: z.number().int().min(0).max(366).default(30),
  /** Months (1–12) that use the summer / winter temperature and humidity bands. */
  seasons: z
    .strictObject({
      summerMonths: z.array(z.number().int().min(1).max(12)),
      winterMonths: z.array(z.number().int().min(1).max(12)),
    })
    .default({ summerMonths: [6, 7, 8, 9], winterMonths: [11, 12, 1, 2, 3] }),
  staff: z.array(staffSchema).default([]),
  notifications: notificationsSchema.prefault({}),
  /** Firmware bridges (serial line protocol + Modbus RTU), read by `npm run bridge`. */
  bridges: z.array(bridgeSchema).optional(),
  /** R24 approved leave known in advance (the API adds more at run time). */
  leave: z.array(leaveSchema).default([]),
  /** R24 approved closures known in advance (the API adds more at run time). */
  closures: z.array(closureSchema).default([]),
  /**
   * Scale-out (docs/scaling.md): named groups of halls, one alerts/ingest process each
   * (`npm start -- --only alerts --partition NAME`). Every hall in exactly one group.
   */
  partitions: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/), z.array(idOf(HALL_ID, 'hall')).min(1))
    .optional(),
  halls: z.array(hallSchema).min(1),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type HallConfig = Config['halls'][number];
export type CounterConfig = HallConfig['counters'][number];
export type EquipmentConfig = CounterConfig['equipment'][number];
export type SensorConfig = HallConfig['sensors'][number];
export type OverrideConfig = HallConfig['overrides'][number];
export type LeaveConfig = Config['leave'][number];
export type ClosureConfig = Config['closures'][number];
export type IngestConfig = z.output<typeof ingestSchema>;
export type ApiConfig = z.output<typeof apiSchema>;
export type InfluxConfig = z.output<typeof influxSchema>;
export type NotificationsConfig = z.output<typeof notificationsSchema>;
export type ChannelConfig = NotificationsConfig['channels'][number];
export type ScheduledReportsConfig = NotificationsConfig['reports'];
export type BridgeConfig = z.output<typeof bridgeSchema>;
export type ModbusDeviceConfig = z.output<typeof modbusDeviceSchema>;
export type ModbusRegisterConfig = z.output<typeof modbusRegisterSchema>;
