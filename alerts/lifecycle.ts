// The alert lifecycle around the engine: open → acknowledged → resolved, each step committed
// with its audit entry and outbox rows in one transaction, then published and announced. What the
// engine says goes through the store's group commit; what a person does (API) commits at once.
import type { ServiceCalendar } from '../core/calendar/types.ts';
import { rulesFor } from '../core/config/rules.ts';
import type { Config } from '../core/config/schema.ts';
import type { EngineAlert, ResolvedAlert, ResolveReason } from '../core/engine/types.ts';
import { type AttributionChange, currentAttribution } from '../core/points/derived.ts';
import { INTERRUPTION_TYPES } from '../core/stats/counter-day.ts';
import type { Logger } from '../runtime/logger.ts';
import { Renderer } from './notify/render.ts';
import { type Delivery, Router } from './policy/routing.ts';
import { isQuiet, silenceFor } from './policy/suppression.ts';
import type { AlertStore, NotificationKind } from './store/index.ts';
import {
  AlertConflictError,
  AlertNotFoundError,
  type AlertRecord,
  type AttributionInput,
  NotAnInterruptionError,
} from './types.ts';

export interface LifecycleDeps {
  config: Config;
  calendar: ServiceCalendar;
  store: AlertStore;
  logger: Logger;
  /** Retained alert topic: the record while live, an empty payload once resolved. */
  publishAlert: (a: AlertRecord) => void;
  onAlert: (a: AlertRecord) => void;
  /** Wakes the dispatcher for these channels. */
  kick: (channelIds: string[]) => void;
  /** Channels that exist (routes naming unknown channels are config errors, caught at load). */
  hasChannel: (id: string) => boolean;
  /** Closes an alert in the engine (manual resolve); null when the engine does not hold it. */
  engineResolve: (id: string, at: number) => ResolvedAlert | null;
}

export class AlertLifecycle {
  private readonly router: Router;
  private readonly renderer: Renderer;
  private readonly escalateAfterMs: number | undefined;
  private readonly repeatEveryMs: number | undefined;
  private readonly notifyResolved: boolean;
  private readonly quietHours: boolean;
  readonly stats = { opened: 0, resolved: 0, silenced: 0, duplicates: 0, quiet: 0 };

  constructor(private readonly d: LifecycleDeps) {
    this.router = new Router(d.config);
    this.renderer = new Renderer(d.config);
    const n = d.config.notifications;
    this.escalateAfterMs = n.escalateAfter;
    this.repeatEveryMs = n.repeatEvery;
    this.notifyResolved = n?.notifyResolved ?? true;
    this.quietHours = n?.quietOutsideServiceHours ?? true;
  }

  private quiet(a: EngineAlert, at: number): boolean {
    if (!this.quietHours || !isQuiet(this.d.calendar, a, at)) return false;
    // The readiness window before a session (R10, R12) is not quiet.
    const lead = rulesFor(this.d.config, a.hall, a.counter).readinessLeadMs;
    return !this.d.calendar.isInSession(a.hall, a.counter ?? null, at + lead);
  }

  /** Queues one notification per delivery; returns the channels to wake. Call inside a transaction. */
  private enqueue(
    kind: NotificationKind,
    rec: AlertRecord,
    engine: EngineAlert | undefined,
    deliveries: Delivery[],
    now: number,
    suffix: string,
    extra: { repeat?: number; unacknowledgedMs?: number } = {},
  ): string[] {
    const woken: string[] = [];
    for (const dl of deliveries) {
      if (!this.d.hasChannel(dl.channelId)) continue;
      const key = `${rec.id}:${suffix}:${dl.channelId}`;
      const n = this.renderer.render({
        kind,
        alert: rec,
        ...(engine ? { engine } : {}),
        now,
        key,
        mentions: dl.mentions,
        ...extra,
      });
      if (this.d.store.outbox.enqueue(key, dl.channelId, kind, n, now, rec.id)) woken.push(dl.channelId);
    }
    return woken;
  }

  /** Queued for the group commit; published and announced once committed. */
  opened(a: EngineAlert, now: number): void {
    const s = this.d.store;
    const silence = silenceFor(s.registry.silences(a.hall), a, a.openedAt);
    s.later(
      () => {
        if (!s.alerts.insertOpened(a, now, silence?.id)) return undefined;
        s.registry.audit(now, 'engine', 'opened', a.id, { openedAt: a.openedAt, silencedBy: silence?.id });
        const rec = s.alerts.get(a.id)!;
        if (silence) {
          this.stats.silenced++;
          return [];
        }
        const quiet = this.quiet(a, now);
        const deliveries = this.router.route(rec, a).filter((dl) => !quiet || dl.ignoreQuietHours);
        if (quiet) this.stats.quiet++;
        const woken = this.enqueue('open', rec, a, deliveries, now, 'open');
        s.alerts.markNotified(a.id, now, false);
        return woken;
      },
      (woken) => {
        if (!woken) {
          this.stats.duplicates++;
          return;
        }
        this.stats.opened++;
        this.announce(a.id, woken);
      },
    );
  }

  /** Queued for the group commit; published and announced once committed. */
  resolved(r: ResolvedAlert, now: number, by?: string): void {
    this.d.store.later(
      () => this.close(r.id, r.resolvedAt, r.reason, now, by, r),
      (woken) => this.closed(r.id, woken),
    );
  }

  private closed(id: string, woken: string[] | undefined): AlertRecord | undefined {
    if (!woken) return undefined;
    this.stats.resolved++;
    return this.announce(id, woken);
  }

  /** The resolve in the store (inside a transaction): the channels to wake, or undefined if unchanged. */
  private close(
    id: string,
    at: number,
    reason: ResolveReason,
    now: number,
    by: string | undefined,
    engine?: EngineAlert,
  ): string[] | undefined {
    const s = this.d.store;
    const before = s.alerts.row(id);
    if (!before || !s.alerts.resolve(id, at, reason, by)) return undefined;
    s.registry.audit(now, by ?? 'engine', 'resolved', id, { reason, resolvedAt: at });
    if (!this.notifyResolved || before.record.silencedBy) return [];
    const rec = s.alerts.get(id)!;
    // Tell only the channels that were told about the alert.
    const told = new Set(
      s.outbox
        .forAlert(id)
        .filter((o) => o.kind !== 'resolve')
        .map((o) => o.channelId),
    );
    const deliveries = [
      ...this.router.route(rec, engine ?? before.engine),
      ...this.router.escalation(rec),
    ].filter((dl) => told.has(dl.channelId));
    const unique = [...new Map(deliveries.map((dl) => [dl.channelId, dl])).values()];
    return this.enqueue('resolve', rec, engine ?? before.engine, unique, now, 'resolve');
  }

  private announce(id: string, woken: string[]): AlertRecord {
    const rec = this.d.store.alerts.get(id)!;
    try {
      this.d.publishAlert(rec);
    } catch (err) {
      this.d.logger.warn({ err, alertId: id }, 'alert publish failed');
    }
    this.d.onAlert(rec);
    if (woken.length) this.d.kick([...new Set(woken)]);
    return rec;
  }

  acknowledge(id: string, by: string, note: string | undefined, now: number): AlertRecord {
    const s = this.d.store;
    s.tx(() => {
      const rec = s.alerts.get(id);
      if (!rec) throw new AlertNotFoundError(id);
      if (rec.status === 'resolved') throw new AlertConflictError(id, rec.status);
      if (rec.status === 'open') s.alerts.acknowledge(id, now, by);
      if (note) s.alerts.addNote(id, { at: now, by, action: 'acknowledge', text: note });
      s.registry.audit(now, by, 'acknowledged', id, { note: note ?? null, wasStatus: rec.status });
    });
    return this.announce(id, []);
  }

  resolveByHand(id: string, by: string, note: string | undefined, now: number): AlertRecord {
    const s = this.d.store;
    s.flush(); // read what the engine's queued changes say, not what they are about to change
    const rec = s.alerts.get(id);
    if (!rec) throw new AlertNotFoundError(id);
    if (rec.status === 'resolved') throw new AlertConflictError(id, rec.status);
    if (note) s.alerts.addNote(id, { at: now, by, action: 'resolve', text: note });
    const r = this.d.engineResolve(id, now);
    // By hand (API): committed before the answer, not queued.
    const woken = s.tx(() => this.close(id, r?.resolvedAt ?? now, 'manual', now, by, r ?? undefined));
    return this.closed(id, woken) ?? (s.alerts.get(id) as AlertRecord);
  }

  /**
   * R28: a supervisor reassigns or voids an interruption, with a note. The change is appended to
   * `details.attribution` (who, when, why), audited, and published so the stored point follows.
   */
  attribute(id: string, change: AttributionInput, by: string, now: number): AlertRecord {
    const s = this.d.store;
    s.tx(() => {
      const rec = s.alerts.get(id);
      if (!rec) throw new AlertNotFoundError(id);
      if (!INTERRUPTION_TYPES.has(rec.type) || rec.resolveReason === 'retracted')
        throw new NotAnInterruptionError(id, rec.type);
      const before = currentAttribution(rec.details);
      const entry: AttributionChange = {
        at: now,
        by,
        note: change.note,
        ...(before.responsible ? { previous: before.responsible } : {}),
        ...(change.void ? { void: true } : { responsible: change.responsible! }),
      };
      s.alerts.setDetails(id, { ...rec.details, attribution: [...before.changes, entry] }, now);
      s.alerts.addNote(id, { at: now, by, action: 'note', text: change.note });
      s.registry.audit(now, by, change.void ? 'voided' : 'reassigned', id, { ...entry });
    });
    return this.announce(id, []);
  }

  /** Escalation and repeat notifications for alerts nobody has acknowledged. */
  policyTick(now: number): void {
    if (this.escalateAfterMs === undefined && this.repeatEveryMs === undefined) return;
    const s = this.d.store;
    const woken: string[] = [];
    for (const row of s.alerts.live()) {
      const rec = row.record;
      if (rec.status !== 'open' || rec.silencedBy) continue;
      if (silenceFor(s.registry.silences(rec.hall), row.engine, now) || this.quiet(row.engine, now)) continue;
      if (
        this.escalateAfterMs !== undefined &&
        rec.escalatedAt === undefined &&
        now - rec.openedAt >= this.escalateAfterMs
      ) {
        s.tx(() => {
          s.alerts.markEscalated(rec.id, now);
          s.registry.audit(now, 'policy', 'escalated', rec.id, { unacknowledgedMs: now - rec.openedAt });
          woken.push(
            ...this.enqueue('escalate', rec, row.engine, this.router.escalation(rec), now, 'escalate', {
              unacknowledgedMs: now - rec.openedAt,
            }),
          );
        });
        this.d.onAlert(s.alerts.get(rec.id)!);
      }
      if (
        this.repeatEveryMs !== undefined &&
        now - (row.lastNotifiedAt ?? rec.openedAt) >= this.repeatEveryMs
      ) {
        const n = row.repeatCount + 1;
        s.tx(() => {
          s.alerts.markNotified(rec.id, now, true);
          woken.push(
            ...this.enqueue(
              'repeat',
              rec,
              row.engine,
              this.router.route(rec, row.engine),
              now,
              `repeat${n}`,
              {
                repeat: n,
              },
            ),
          );
        });
      }
    }
    if (woken.length) this.d.kick([...new Set(woken)]);
  }
}
