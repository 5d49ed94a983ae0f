// Broker counters for /api/health and the logs; rejections are counted by reason.
export type RejectReason =
  | 'anonymous'
  | 'unknown_user'
  | 'bad_password'
  | 'throttled'
  | 'bad_client_id'
  | 'will_denied'
  | 'max_connections'
  | 'publish_denied'
  | 'subscribe_denied'
  | 'rate_limited'
  | 'packet_too_large'
  | 'max_per_address'
  | 'max_per_device'
  | 'connect_timeout'
  | 'drain_timeout'
  | 'login_busy'
  | 'unknown_id'
  | 'retained_limit'
  | 'queue_full';

export class BrokerStats {
  connections = 0;
  connectionsTotal = 0;
  messagesIn = 0;
  messagesOut = 0;
  /** Device messages delayed by the rate limit (backpressure). */
  throttled = 0;
  /** Messages not acknowledged because the journal could not write them. */
  journalErrors = 0;
  /** Messages journaled before a crash and published again at start. */
  republished = 0;
  readonly rejects: Partial<Record<RejectReason, number>> = {};

  reject(reason: RejectReason): void {
    this.rejects[reason] = (this.rejects[reason] ?? 0) + 1;
  }

  snapshot() {
    return {
      connections: this.connections,
      connectionsTotal: this.connectionsTotal,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      throttled: this.throttled,
      journalErrors: this.journalErrors,
      republished: this.republished,
      rejects: { ...this.rejects },
    };
  }
}
