// The alerts service: the rule engine live on MQTT, the SQLite alert store, the notification
// outbox, the policy (routing, escalation, repeat, silences, quiet hours), and approved leave and
// closures fed to the engine as inputs.
import { join } from 'node:path';
import { createCalendar } from '../core/calendar/index.ts';
import type { EngineAlert, RuleEngine } from '../core/engine/types.ts';
import { encodeAlert, encodeCounterState, type OutgoingMessage } from '../core/protocol/encode.ts';
import {
  DEVICE_TOPIC_FILTERS,
  forHalls,
  SERVICE_STATUS_FILTER,
  subscribeBatches,
} from '../core/protocol/topics.ts';
import type { ServiceContext } from '../runtime/service.ts';
import { Approvals, configApprovals } from './approvals.ts';
import { defaultEngineFactory, type EngineFactory } from './engine-factory.ts';
import { AlertLifecycle } from './lifecycle.ts';
import { connectLink } from './live/mqtt-link.ts';
import { EngineRunner } from './live/runner.ts';
import { LiveViews } from './live/views.ts';
import { AlertsMetrics } from './metrics.ts';
import { Dispatcher } from './notify/dispatcher.ts';
import { createNotifier } from './notify/index.ts';
import { channelErrorNotice, serviceDownNotice } from './notify/render.ts';
import { checkNotificationRefs } from './policy/routing.ts';
import { ReportScheduler, type ReportSource } from './reports/index.ts';
import { openStore } from './store/index.ts';
import type { AlertRecord, AlertsEvent, AlertsService } from './types.ts';
import { checkAttribution, checkSilence } from './validate.ts';

export type { AlertsService } from './types.ts';

export interface AlertsOptions {
  createEngine?: EngineFactory;
  /** MQTT client id of the persistent session (default hallwatch-alerts). */
  clientId?: string;
  /** Engine tick period (default 1 s). */
  tickMs?: number;
  /** After subscribing, wait this long for retained and queued messages before the first tick. */
  settleMs?: number;
  /** SQLite file (default <dataDir>/alerts.sqlite). */
  dbFile?: string;
  /** Group commit window of the store (default 5 ms; 0 = each change commits alone). */
  groupCommitMs?: number;
  /** What the 日报/月报 read (default: createReports on config.influx, as the API does). */
  reports?: ReportSource & { close?: () => Promise<void> };
  /** How often the report schedule looks at the clock (default 30 s). */
  reportPollMs?: number;
}

export type AlertsServiceInternal = AlertsService & {
  runner: EngineRunner;
  lifecycle: AlertLifecycle;
  reports?: ReportScheduler;
};

/** The reports the API would create: one code path for the numbers people read. */
async function createOwnReports(ctx: ServiceContext, calendar: ReturnType<typeof createCalendar>) {
  const { createReports } = await import('../reports/index.ts');
  return createReports({ config: ctx.config, calendar, logger: ctx.logger.child({ wing: 'reports' }) });
}

export async function startAlerts(
  ctx: ServiceContext,
  opts: AlertsOptions = {},
): Promise<AlertsServiceInternal> {
  const { config, logger, clock } = ctx;
  checkNotificationRefs(config);
  const now = () => clock.now();
  // A partition (docs/scaling.md) sees only its halls (ctx.config is scoped) and keeps its own
  // store and MQTT session; only the lead partition turns service-down status into notices.
  const part = ctx.partition;
  const store = openStore(
    opts.dbFile ?? join(config.dataDir, part ? `alerts-${part.key}.sqlite` : 'alerts.sqlite'),
    {
      groupCommitMs: opts.groupCommitMs ?? 5,
      onError: (err, what) => logger.error({ err }, what),
    },
  );
  const calendarWarnings: string[] = [];
  const calendar = createCalendar(config, {
    onWarning: (w) => {
      if (!calendarWarnings.includes(w.code)) calendarWarnings.push(w.code);
      logger.warn({ code: w.code, year: w.year, hall: w.hall, date: w.date }, w.message);
    },
  });

  const factory = opts.createEngine ?? (await defaultEngineFactory());
  const snapshot = store.loadSnapshot();
  let engine: RuleEngine;
  try {
    engine = factory({ config, calendar, now: now(), ...(snapshot ? { snapshot } : {}) });
    if (snapshot) logger.info({ snapshotAt: snapshot.at }, 'engine restored from snapshot');
  } catch (err) {
    logger.error({ err }, 'engine snapshot unusable; starting from retained device state only');
    engine = factory({ config, calendar, now: now() });
  }

  const listeners = new Set<(e: AlertsEvent) => void>();
  const emit = (e: AlertsEvent) => {
    for (const l of listeners)
      try {
        l(e);
      } catch (err) {
        logger.warn({ err }, 'alerts event listener failed');
      }
  };
  const views = new LiveViews(config, now());
  for (const row of store.alerts.live()) views.setAlert(row.record);
  for (const s of engine.counters()) views.setState(s);
  for (const v of engine.equipment()) views.setEquipment(v);

  const clientId = opts.clientId ?? (part ? `hallwatch-alerts-${part.key}` : 'hallwatch-alerts');
  const link = await connectLink(ctx.mqtt, clientId, (err) =>
    logger.warn({ err: err.message }, 'alerts MQTT error'),
  );
  const notifiers = (config.notifications?.channels ?? []).map((ch) =>
    createNotifier(ch, {
      publish: link.publishAsync,
      now,
      allowTargets: config.notifications?.allowPrivateTargets ?? [],
    }),
  );
  const n = config.notifications;
  const metrics = new AlertsMetrics();
  const dispatcher = new Dispatcher({
    store,
    onDelivered: metrics.delivered,
    notifiers,
    now,
    logger,
    retry: {
      initialMs: n.retry.initial,
      maxMs: n.retry.max,
      giveUpAfterMs: n.retry.giveUpAfter,
    },
    digestWindowMs: Object.fromEntries((n?.channels ?? []).map((c) => [c.id, c.digestWindow ?? 0])),
    timeoutMs: Object.fromEntries((n?.channels ?? []).map((c) => [c.id, c.timeout])),
    onPermanentError: (channelId, err, at) => {
      // Tell the admins on their own channels (never the broken one), once per channel, code and day.
      const notice = channelErrorNotice(config, channelId, err, at);
      const woken = (n?.adminChannels ?? []).filter((id) => id !== channelId && dispatcher.has(id));
      for (const id of woken)
        store.outbox.enqueue(
          `${notice.key}:${id}`,
          id,
          'notice',
          { ...notice, key: `${notice.key}:${id}` },
          at,
        );
      dispatcher.kick(woken);
    },
  });
  let runner: EngineRunner | undefined;
  // Every message this service publishes counts in `published` (health, hallwatch_alerts_messages_published_total).
  const publish = (m: OutgoingMessage) => {
    link.publish(m);
    if (runner) runner.counts.published++;
  };
  const lifecycle = new AlertLifecycle({
    config,
    calendar,
    store,
    logger,
    publishAlert: (a) => {
      for (const m of alertMessages(a, store.alerts.row(a.id)?.engine)) publish(m);
    },
    onAlert: (a) => {
      views.setAlert(a);
      emit({ type: 'alert', alert: a });
    },
    kick: (ids) => dispatcher.kick(ids),
    hasChannel: (id) => dispatcher.has(id),
    engineResolve: (id, at) => {
      const out = engine.resolveManually(id, at);
      if (out) runner?.snapshot();
      return out;
    },
  });
  runner = new EngineRunner({ config, engine, store, lifecycle, views, logger, now, emit });
  const approvals = new Approvals({
    config,
    store,
    now,
    feed: (input) => runner?.handle(input),
    snapshot: () => runner?.snapshot(),
    publish,
    fromConfig: configApprovals(config, calendar),
  });
  runner.attach(link);
  const r = runner;
  let stopped = false;
  // A service that reports itself broken (hallwatch/status/+, e.g. the ingest while InfluxDB
  // refuses every point) is a notice to the admins' channels, once per outage (docs/ingest.md).
  const serviceDown = (payload: Buffer, at: number) => {
    const notice = serviceDownNotice(config, payload, at);
    if (!notice) return;
    const woken = (n?.adminChannels ?? []).filter((id) => dispatcher.has(id));
    // The key carries the outage's start: a redelivered retained status never notifies twice.
    for (const id of woken)
      store.outbox.enqueue(
        `${notice.key}:${id}`,
        id,
        'notice',
        { ...notice, key: `${notice.key}:${id}` },
        at,
      );
    if (!woken.length)
      logger.error(
        { notice: notice.title },
        'a service reports itself down and no notifications.adminChannels is configured',
      );
    dispatcher.kick(woken);
  };
  link.client.on('message', (topic, payload) => {
    if (stopped) return;
    if (topic.startsWith('hallwatch/status/')) serviceDown(payload, now());
    else r.message(topic, payload);
  });
  for (const batch of subscribeBatches([
    ...forHalls(DEVICE_TOPIC_FILTERS, part?.halls),
    ...(!part || part.lead ? [SERVICE_STATUS_FILTER] : []),
  ]))
    await link.client.subscribeAsync(batch, { qos: 1 });

  // Retained state and the session's queued messages arrive right after SUBACK; apply them
  // (events before timers) before the first tick fires any restored deadline.
  await new Promise((res) => setTimeout(res, opts.settleMs ?? 1000));
  approvals.restore();
  for (const s of engine.counters())
    publish(
      encodeCounterState(s.hall, s.counter, { state: s.state, since: s.since, staffOnPost: s.staffOnPost }),
    );
  for (const row of store.alerts.live()) publish(encodeAlert(row.record));
  r.tick();
  const timer = setInterval(() => r.tick(), opts.tickMs ?? 1000);
  dispatcher.kick();
  const ownReports = !opts.reports && config.influx ? await createOwnReports(ctx, calendar) : undefined;
  const reportSource = opts.reports ?? ownReports;
  const reports = reportSource
    ? new ReportScheduler({
        config,
        calendar,
        store,
        reports: reportSource,
        now,
        logger: logger.child({ part: 'scheduled-reports' }),
        hasChannel: (id) => dispatcher.has(id),
        kick: (ids) => dispatcher.kick(ids),
      })
    : undefined;
  if (!reports) logger.info('no influx configured: the 日报 and 月报 are not sent');
  reports?.start(opts.reportPollMs);
  logger.info(
    { db: store.file, channels: notifiers.map((x) => x.id), restored: Boolean(snapshot) },
    'alerts started',
  );

  const startedAt = now();
  // What a committed alert and its outbox rows rest on (R13): WAL with synchronous FULL, as set
  // on this connection (the pragma is per connection; another reader cannot see it).
  const SYNC = ['off', 'normal', 'full', 'extra'];
  const storeDurability = {
    file: store.file,
    journalMode: String(store.pragma('journal_mode')),
    synchronous: SYNC[Number(store.pragma('synchronous'))] ?? String(store.pragma('synchronous')),
  };
  metrics.readFrom({
    counts: r.counts,
    lifecycle: lifecycle.stats,
    openByType: () => views.liveAlertsByType(),
    channels: () => dispatcher.health(),
  });
  const service: AlertsServiceInternal = {
    name: 'alerts',
    metrics: metrics.registry,
    runner: r,
    lifecycle,
    ...(reports ? { reports } : {}),
    counters: (hall) => views.counters(hall),
    equipment: (hall) => views.equipment(hall),
    environment: (hall) => views.environment(hall),
    listAlerts: (f) => store.alerts.list(f),
    getAlert: (id) => store.alerts.get(id),
    acknowledge: (id, by, note) => lifecycle.acknowledge(id, by, note, now()),
    resolve: (id, by, note) => lifecycle.resolveByHand(id, by, note, now()),
    attribute: (id, change, by) => lifecycle.attribute(id, checkAttribution(config, change), by, now()),
    listSilences: (hall) => store.registry.silences(hall),
    addSilence: (input, by) => {
      const s = store.registry.addSilence(checkSilence(config, input), by, now());
      store.registry.audit(now(), by, 'silence_added', undefined, s);
      return s;
    },
    removeSilence: (id, by) => {
      const ok = store.registry.removeSilence(id, by, now());
      if (ok) store.registry.audit(now(), by, 'silence_removed', undefined, { id });
      return ok;
    },
    listApprovals: (kind, hall) => approvals.list(kind, hall),
    addLeave: (input, by) => approvals.addLeave(input, by),
    addClosure: (input, by) => approvals.addClosure(input, by),
    removeApproval: (kind, id, by) => approvals.remove(kind, id, by),
    audit: (f) => store.registry.auditLog(f),
    channels: () => dispatcher.health(),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    health: () => {
      const channels = dispatcher.health();
      const failing = channels
        .filter((c) => c.status === 'failing' || c.status === 'broken')
        .map((c) => c.id);
      const uncovered = calendar.uncoveredYears();
      const connected = link.connected();
      return {
        status: stopped ? 'down' : connected && !failing.length && !uncovered.length ? 'ok' : 'degraded',
        details: {
          mqttConnected: connected,
          received: r.counts.received,
          handled: r.counts.handled,
          rejected: r.counts.rejected,
          published: r.counts.published,
          liveAlerts: views.liveAlertCount(),
          lifecycle: lifecycle.stats,
          channels,
          failingChannels: failing,
          outboxPending: channels.reduce((s, c) => s + c.pending, 0),
          calendarUncoveredYears: uncovered,
          calendarWarnings,
          ...(reports ? { scheduledReports: reports.health } : {}),
          store: storeDurability,
          uptimeMs: now() - startedAt,
        },
      };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      try {
        r.snapshot();
      } catch (err) {
        logger.warn({ err }, 'final snapshot failed');
      }
      await reports?.stop();
      await ownReports?.close();
      // Close MQTT before the store: a message arriving meanwhile must not touch a closed database.
      await link.close();
      await dispatcher.stop();
      store.close();
    },
  };
  return service;
}

/**
 * The MQTT messages of an alert change. The retained message is CONTRACT §3's (the alert while
 * open or acknowledged, empty once resolved); a resolve is first published once, not retained,
 * as the resolved object with its reason, so the ingest can store how it ended (a retraction is
 * not an interruption) and who was responsible.
 */
export function alertMessages(a: AlertRecord, engine: EngineAlert | undefined): OutgoingMessage[] {
  const details = {
    ...a.details,
    // R28: the engine's details.responsible {staff, basis} keeps its basis next to the role.
    ...(engine?.responsible
      ? { responsible: { ...engine.responsible, ...(a.details.responsible as object | undefined) } }
      : {}),
    ...(engine?.device ? { device: engine.device } : {}),
    ...(engine?.sensor ? { sensor: engine.sensor } : {}),
    ...(engine?.metric ? { metric: engine.metric } : {}),
    ...(a.status === 'resolved' && a.resolveReason ? { reason: a.resolveReason } : {}),
  };
  const obj = { ...a, details };
  const retained = encodeAlert(obj);
  if (a.status !== 'resolved') return [retained];
  return [{ ...retained, payload: JSON.stringify(obj), retain: false }, retained];
}
