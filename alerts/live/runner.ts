// Device messages → decode → the rule engine → what it says: counter states and intervals on
// MQTT, alerts into the lifecycle. Ticks the engine every second and saves the parts of its
// snapshot that changed (core/engine/parts.ts) with every group commit of the store, so a restart
// resumes every countdown at its original deadline and the alerts table and the engine agree.
import { buildDirectory, type Directory } from '../../core/config/directory.ts';
import type { Config } from '../../core/config/schema.ts';
import { type EngineInput, step } from '../../core/engine/drive.ts';
import type { EngineOutput, RuleEngine } from '../../core/engine/types.ts';
import { type DecodeLimits, decodeDeviceMessage } from '../../core/protocol/decode.ts';
import { encodeCounterState } from '../../core/protocol/encode.ts';
import { formatTopic } from '../../core/protocol/topics.ts';
import { type Logger, rateLimitedLog } from '../../runtime/logger.ts';
import type { AlertLifecycle } from '../lifecycle.ts';
import type { AlertStore, PartsWritten } from '../store/index.ts';
import type { AlertsEvent } from '../types.ts';
import type { MqttLink } from './mqtt-link.ts';
import type { LiveViews } from './views.ts';

export interface RunnerDeps {
  config: Config;
  engine: RuleEngine;
  store: AlertStore;
  lifecycle: AlertLifecycle;
  views: LiveViews;
  logger: Logger;
  now: () => number;
  emit: (e: AlertsEvent) => void;
  /** Save the changed parts at most this often when no alert changed (default 1 s). */
  snapshotEveryMs?: number;
}

export class EngineRunner {
  private link: MqttLink | undefined;
  private readonly dir: Directory;
  private readonly limits: DecodeLimits;
  private readonly warn;
  private dirty = false;
  private lastSnapshotAt = 0;
  /** The next save writes every part (first save, or the last group commit failed). */
  private full = true;
  /** What the last save wrote (the benchmark reads it). */
  lastSave: PartsWritten = { rows: 0, dropped: 0, bytes: 0 };
  readonly counts = {
    received: 0,
    handled: 0,
    rejected: {} as Record<string, number>,
    published: 0,
    ticks: 0,
  };

  constructor(private readonly d: RunnerDeps) {
    this.dir = buildDirectory(d.config);
    this.warn = rateLimitedLog(d.logger);
    d.store.onCommit({
      write: () => this.save(),
      failed: () => {
        this.full = true;
      },
    });
    this.limits = {
      maxPayloadBytes: d.config.ingest.maxPayloadBytes,
      maxFutureMs: d.config.ingest.maxFutureSkew,
      // Retained state may be weeks old (a seat untouched over a holiday) and is still the truth.
      maxPastMs: 400 * 86_400_000,
    };
  }

  attach(link: MqttLink): void {
    this.link = link;
  }

  private reject(reason: string, log: object, msg: string): void {
    this.counts.rejected[reason] = (this.counts.rejected[reason] ?? 0) + 1;
    this.warn(`reject:${reason}`, log, msg, this.d.now());
  }

  /** One MQTT message from a device topic. */
  message(topic: string, payload: Buffer): void {
    this.counts.received++;
    const now = this.d.now();
    const r = decodeDeviceMessage(topic, payload, now, this.limits);
    if (!r.ok) {
      const e = r.error;
      this.reject(
        e.reason,
        { topic: e.topic, field: e.field, reason: e.reason, detail: e.detail },
        'device message rejected',
      );
      return;
    }
    const unknown = this.dir.unknownIdOf(r.event);
    if (unknown) {
      this.reject(
        'unknown_id',
        { topic, ...unknown },
        `device message names an unconfigured ${unknown.field}`,
      );
      return;
    }
    this.handle(r.event);
  }

  /** One engine input: a decoded device event, or a leave/closure change (the same path as replay). */
  handle(e: EngineInput): void {
    this.counts.handled++;
    this.dirty = true; // an input may change the engine without an output (a report's ts)
    if (e.kind === 'env') this.d.emit({ type: 'env', env: this.d.views.setEnv(e) });
    let out: EngineOutput[];
    try {
      out = step(this.d.engine, { kind: 'input', input: e });
    } catch (err) {
      // A bug in one rule must not take the live service down: log with the input and go on.
      this.reject(
        'engine_error',
        { err, kind: e.kind, ...('topic' in e ? { topic: e.topic } : {}) },
        'engine failed on an input',
      );
      return;
    }
    this.apply(out);
  }

  tick(): void {
    const now = this.d.now();
    this.counts.ticks++;
    let out: EngineOutput[] = [];
    try {
      out = step(this.d.engine, { kind: 'tick', at: now });
    } catch (err) {
      this.reject('engine_error', { err }, 'engine tick failed');
    }
    this.apply(out);
    this.d.lifecycle.policyTick(now);
    // A tick ends a group: what the engine said so far commits now (at the latest).
    if (this.d.store.pending || (this.dirty && now - this.lastSnapshotAt >= (this.d.snapshotEveryMs ?? 1000)))
      this.snapshot();
  }

  /** Saves the changed parts now, with whatever the store has queued, in one transaction. */
  snapshot(): void {
    this.d.store.flush();
  }

  /** Runs inside each group commit. */
  private save(): void {
    const now = this.d.now();
    this.lastSave = this.d.store.saveParts(
      this.d.engine.parts(this.full ? 'all' : 'changed'),
      now,
      this.full,
    );
    this.full = false;
    this.dirty = false;
    this.lastSnapshotAt = now;
  }

  /** Publishes what the engine said and hands alerts to the lifecycle. */
  apply(out: EngineOutput[]): void {
    if (!out.length) return;
    this.dirty = true;
    const now = this.d.now();
    let alertChanged = false;
    for (const o of out) {
      try {
        switch (o.kind) {
          case 'state': {
            const s = o.change;
            this.d.views.setState(s);
            this.publish(
              encodeCounterState(s.hall, s.counter, {
                state: s.state,
                since: s.since,
                staffOnPost: s.staffOnPost,
              }),
            );
            this.d.emit({ type: 'state', counter: this.d.views.counter(s.hall, s.counter)! });
            break;
          }
          case 'alert_opened':
            alertChanged = true;
            this.d.lifecycle.opened(o.alert, now);
            break;
          case 'alert_resolved':
            alertChanged = true;
            this.d.lifecycle.resolved(o.alert, now);
            break;
          case 'interval': {
            const iv = o.interval;
            this.publish({
              topic: formatTopic({ kind: 'counter_interval', hall: iv.hall, counter: iv.counter }),
              payload: JSON.stringify(iv),
              qos: 1,
              retain: false,
            });
            break;
          }
          case 'late_arrival': {
            const l = o.arrival;
            this.publish({
              topic: formatTopic({ kind: 'late_arrival', hall: l.hall, counter: l.counter }),
              payload: JSON.stringify(l),
              qos: 1,
              retain: false,
            });
            break;
          }
          case 'equipment':
            this.d.views.setEquipment(o.view);
            this.d.emit({ type: 'equipment', equipment: o.view });
            break;
          case 'warning':
            this.warn(`engine:${o.code}`, { code: o.code }, o.message);
            break;
        }
      } catch (err) {
        // A store or publish failure on one output must not drop the others or crash the service.
        this.reject('output_error', { err, kind: o.kind }, 'handling an engine output failed');
      }
    }
    // The alert changes are queued for the group commit, which saves the engine's changed parts in
    // the same transaction (≤ groupCommitMs behind): events already acknowledged to the broker are
    // not redelivered, so an older snapshot could miss a return to post that resolved an alert.
    // (Replays are still harmless: ids are deterministic and the store ignores a re-opened id.)
    if (alertChanged) this.d.store.commitSoon();
  }

  private publish(m: Parameters<MqttLink['publish']>[0]): void {
    if (!this.link) return;
    this.link.publish(m);
    this.counts.published++;
  }
}
