// The alerts service's counters as Prometheus metrics: device messages handled, alerts opened
// and resolved, open alerts by type, the outbox and each channel, and the latency from the
// device message to the notification being accepted by the channel.
import {
  type CounterRows,
  Histogram,
  LATENCY_BUCKETS,
  pulledCounters,
  pulledGauge,
  Registry,
} from '../runtime/metrics.ts';
import type { OutboxItem } from './store/index.ts';
import type { ChannelHealth } from './types.ts';

export interface AlertsReadings {
  counts: { received: number; handled: number; rejected: Record<string, number>; published: number };
  lifecycle: { opened: number; resolved: number; silenced: number; duplicates: number };
  openByType: () => Record<string, number>;
  channels: () => ChannelHealth[];
}

const perChannel = (channels: ChannelHealth[], value: (c: ChannelHealth) => number) =>
  Object.fromEntries(channels.map((c) => [c.id, value(c)]));

export class AlertsMetrics {
  readonly registry = new Registry();
  private readonly latency = new Histogram({
    name: 'hallwatch_alerts_notification_latency_seconds',
    help: 'Device message handled (alert opened, outbox row queued) → notification accepted by the channel; new alerts only',
    labelNames: ['channel'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** The dispatcher's onDelivered: one observation per newly opened alert in the batch. */
  readonly delivered = (channelId: string, items: OutboxItem[], at: number): void => {
    for (const i of items)
      if (i.kind === 'open')
        this.latency.observe({ channel: channelId }, Math.max(0, at - i.createdAt) / 1000);
  };

  /** Registers the pulled counters once the service's parts exist. */
  readFrom(readings: AlertsReadings): void {
    const r = this.registry;
    // Four metrics read the channels (an outbox GROUP BY): once per scrape is enough.
    let cached: { at: number; channels: ChannelHealth[] } | undefined;
    const channels = () => {
      const at = Date.now();
      if (!cached || at - cached.at > 1000) cached = { at, channels: readings.channels() };
      return cached.channels;
    };
    const a = { ...readings, channels };
    const counters: CounterRows = [
      [
        'messages_received_total',
        'Device messages the alerts service read from MQTT',
        () => a.counts.received,
      ],
      ['messages_handled_total', 'Device messages the engine applied', () => a.counts.handled],
      ['messages_rejected_total', 'Device messages refused, by reason', () => a.counts.rejected, 'reason'],
      ['messages_published_total', 'State and alert messages published to MQTT', () => a.counts.published],
      ['opened_total', 'Alerts opened (stored)', () => a.lifecycle.opened],
      ['resolved_total', 'Alerts resolved', () => a.lifecycle.resolved],
      ['silenced_total', 'Alerts opened under a silence (not notified)', () => a.lifecycle.silenced],
      [
        'notifications_sent_total',
        'Notifications accepted by the channel, by channel',
        () => perChannel(a.channels(), (c) => c.sent),
        'channel',
      ],
      [
        'channel_failures_total',
        'Failed delivery attempts, by channel',
        () => perChannel(a.channels(), (c) => c.failures),
        'channel',
      ],
    ];
    pulledCounters(r, 'hallwatch_alerts_', counters);
    pulledGauge(r, {
      name: 'hallwatch_alerts_open',
      help: 'Live (open or acknowledged) alerts, by type',
      label: 'type',
      read: a.openByType,
    });
    pulledGauge(r, {
      name: 'hallwatch_alerts_outbox_pending',
      help: 'Notifications queued and not yet delivered, by channel',
      label: 'channel',
      read: () => perChannel(a.channels(), (c) => c.pending),
    });
    pulledGauge(r, {
      name: 'hallwatch_alerts_channel_up',
      help: '1 while the channel is ok or idle, 0 while failing or broken',
      label: 'channel',
      read: () => perChannel(a.channels(), (c) => (c.status === 'ok' || c.status === 'idle' ? 1 : 0)),
    });
  }
}
