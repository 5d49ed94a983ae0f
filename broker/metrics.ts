// The broker's counters (broker/stats.ts) as Prometheus metrics.
import { type CounterRows, pulledCounters, pulledGauge, Registry } from '../runtime/metrics.ts';
import type { BrokerStats } from './stats.ts';

export function brokerMetrics(stats: BrokerStats, sockets: () => number): Registry {
  const r = new Registry();
  const counters: CounterRows = [
    ['messages_received_total', 'PUBLISH packets the broker accepted from clients', () => stats.messagesIn],
    ['messages_sent_total', 'PUBLISH packets the broker delivered to subscribers', () => stats.messagesOut],
    [
      'rejects_total',
      'Connections, publishes and subscriptions refused, by reason (broker/stats.ts RejectReason)',
      () => ({ ...stats.rejects }) as Record<string, number>,
      'reason',
    ],
    ['throttled_total', 'Device messages delayed by the per-device rate limit', () => stats.throttled],
    [
      'journal_errors_total',
      'Messages not acknowledged because the journal could not write them',
      () => stats.journalErrors,
    ],
  ];
  pulledCounters(r, 'hallwatch_broker_', counters);
  pulledGauge(r, {
    name: 'hallwatch_broker_connections',
    help: 'Authenticated MQTT clients connected now',
    read: () => stats.connections,
  });
  pulledGauge(r, {
    name: 'hallwatch_broker_sockets',
    help: 'Open sockets (including those not yet authenticated)',
    read: sockets,
  });
  return r;
}
