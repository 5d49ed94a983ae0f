// A small in-memory implementation of the AlertsService interface for the API tests: it keeps
// counters, alerts, silences, leave and closures, applies the lifecycle (open → acknowledged → resolved)
// with the interface's errors, and emits the events the SSE stream forwards. Tests drive it with
// setCounter/openAlert the way the live engine would.
import {
  AlertConflictError,
  type AlertFilter,
  AlertInputError,
  AlertNotFoundError,
  type AlertRecord,
  type AlertsEvent,
  type AlertsService,
  type ApprovalKind,
  type ApprovalRecord,
  type AttributionInput,
  type ClosureInput,
  type CounterLive,
  type EnvReadingView,
  type EquipmentView,
  type LeaveInput,
  type ListedApproval,
  NotAnInterruptionError,
  type Silence,
} from '../../alerts/types.ts';
import { checkAttribution } from '../../alerts/validate.ts';
import type { Config } from '../../core/config/schema.ts';
import { currentAttribution } from '../../core/points/derived.ts';
import { INTERRUPTION_TYPES } from '../../core/stats/counter-day.ts';

export class MemoryAlerts implements AlertsService {
  readonly name = 'alerts' as const;
  private readonly live = new Map<string, CounterLive>();
  private readonly alerts = new Map<string, AlertRecord>();
  private readonly equip = new Map<string, EquipmentView>();
  private readonly env = new Map<string, EnvReadingView>();
  private readonly silences = new Map<string, Silence>();
  private readonly approvals = new Map<string, ApprovalRecord>();
  private readonly listeners = new Set<(e: AlertsEvent) => void>();
  private nextId = 1;

  constructor(
    private readonly config: Config,
    private readonly now: () => number = Date.now,
  ) {
    for (const h of config.halls)
      for (const c of h.counters)
        this.live.set(`${h.id}/${c.id}`, {
          hall: h.id,
          counter: c.id,
          name: c.name,
          state: 'closed',
          since: 0,
          staffOnPost: 0,
          sign: 'none',
          seats: Object.fromEntries(c.seats.map((s) => [s, false])),
          staff: [],
          openAlerts: [],
        });
  }

  // --- driving the implementation (what the engine would do) ---
  setCounter(hall: string, counter: string, change: Partial<CounterLive>): CounterLive {
    const key = `${hall}/${counter}`;
    const prev = this.live.get(key)!;
    const next: CounterLive = { ...prev, ...change };
    if (!('deadline' in change) && change.state && change.state !== prev.state) delete next.deadline;
    this.live.set(key, next);
    this.emit({ type: 'state', counter: this.withAlerts(next) });
    return next;
  }

  openAlert(a: Omit<AlertRecord, 'id' | 'status'> & { id?: string }): AlertRecord {
    const rec: AlertRecord = { ...a, id: a.id ?? `a${this.nextId++}`, status: 'open' };
    this.alerts.set(rec.id, rec);
    this.emit({ type: 'alert', alert: rec });
    return rec;
  }

  setEquipment(v: EquipmentView): void {
    this.equip.set(`${v.hall}/${v.counter ?? ''}/${v.equipment}`, v);
    this.emit({ type: 'equipment', equipment: v });
  }

  setEnv(v: EnvReadingView): void {
    this.env.set(`${v.hall}/${v.sensor}`, v);
    this.emit({ type: 'env', env: v });
  }

  // --- the interface ---
  counters(hall: string): CounterLive[] {
    return [...this.live.values()].filter((c) => c.hall === hall).map((c) => this.withAlerts(c));
  }
  equipment(hall: string): EquipmentView[] {
    return [...this.equip.values()].filter((e) => e.hall === hall);
  }
  environment(hall: string): EnvReadingView[] {
    return [...this.env.values()].filter((e) => e.hall === hall);
  }
  listAlerts(f: AlertFilter): AlertRecord[] {
    return [...this.alerts.values()]
      .filter(
        (a) =>
          (!f.hall || a.hall === f.hall) &&
          (!f.halls || f.halls.includes(a.hall)) &&
          (!f.status || f.status.includes(a.status)) &&
          (!f.type || f.type.includes(a.type)) &&
          (!f.counter || a.counter === f.counter) &&
          (f.from === undefined || a.openedAt >= f.from) &&
          (f.to === undefined || a.openedAt < f.to),
      )
      .sort((a, b) => b.openedAt - a.openedAt)
      .slice(0, f.limit ?? 500);
  }
  getAlert(id: string): AlertRecord | undefined {
    return this.alerts.get(id);
  }
  acknowledge(id: string, by: string, note?: string): AlertRecord {
    const a = this.mustBeOpen(id);
    const at = this.now();
    const next: AlertRecord = {
      ...a,
      status: 'acknowledged',
      acknowledgedAt: at,
      acknowledgedBy: by,
      notes: [...(a.notes ?? []), ...(note ? [{ at, by, action: 'acknowledge' as const, text: note }] : [])],
    };
    return this.update(next);
  }
  attribute(id: string, change: AttributionInput, by: string): AlertRecord {
    const a = this.getAlert(id);
    if (!a) throw new AlertNotFoundError(id);
    if (!INTERRUPTION_TYPES.has(a.type)) throw new NotAnInterruptionError(id, a.type);
    const c = checkAttribution(this.config, change);
    const at = this.now();
    const before = currentAttribution(a.details);
    const entry = {
      at,
      by,
      note: c.note,
      ...(before.responsible ? { previous: before.responsible } : {}),
      ...(c.void ? { void: true } : { responsible: c.responsible! }),
    };
    return this.update({ ...a, details: { ...a.details, attribution: [...before.changes, entry] } });
  }
  resolve(id: string, by: string, note?: string): AlertRecord {
    const a = this.mustBeOpen(id);
    const at = this.now();
    return this.update({
      ...a,
      status: 'resolved',
      resolvedAt: at,
      resolvedBy: by,
      resolveReason: 'manual',
      notes: [...(a.notes ?? []), ...(note ? [{ at, by, action: 'resolve' as const, text: note }] : [])],
    });
  }
  listSilences(hall?: string): Silence[] {
    return [...this.silences.values()].filter((s) => !hall || s.hall === hall);
  }
  addSilence(input: Omit<Silence, 'id' | 'createdBy' | 'createdAt'>, by: string): Silence {
    if (input.to <= input.from) throw new AlertInputError('to', 'must be after from');
    const s: Silence = { ...input, id: `s${this.nextId++}`, createdBy: by, createdAt: this.now() };
    this.silences.set(s.id, s);
    return s;
  }
  removeSilence(id: string): boolean {
    return this.silences.delete(id);
  }
  listApprovals(kind: ApprovalKind, hall?: string): ListedApproval[] {
    return [...this.approvals.values()]
      .filter((a) => a.kind === kind && (!hall || a.hall === hall))
      .map((a) => ({ ...a, source: 'api' as const }));
  }
  addLeave(input: LeaveInput, by: string): ApprovalRecord {
    return this.addApproval({ kind: 'leave', ...input }, by);
  }
  addClosure(input: ClosureInput, by: string): ApprovalRecord {
    return this.addApproval({ kind: 'closure', ...input }, by);
  }
  private addApproval(input: Omit<ApprovalRecord, 'id' | 'approvedBy' | 'enteredAt'>, by: string) {
    if (input.to <= input.from) throw new AlertInputError('to', 'must be after from');
    const a: ApprovalRecord = {
      ...input,
      id: `${input.kind}-${this.nextId++}`,
      approvedBy: by,
      enteredAt: this.now(),
    };
    this.approvals.set(a.id, a);
    return a;
  }
  removeApproval(kind: ApprovalKind, id: string): boolean {
    return this.approvals.get(id)?.kind === kind && this.approvals.delete(id);
  }
  audit() {
    return [];
  }
  channels() {
    return [];
  }
  subscribe(listener: (e: AlertsEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  health() {
    return { status: 'ok' as const, details: { openAlerts: this.listAlerts({ status: ['open'] }).length } };
  }
  async stop(): Promise<void> {}

  private mustBeOpen(id: string): AlertRecord {
    const a = this.alerts.get(id);
    if (!a) throw new AlertNotFoundError(id);
    if (a.status === 'resolved') throw new AlertConflictError(id, a.status);
    return a;
  }
  private update(a: AlertRecord): AlertRecord {
    this.alerts.set(a.id, a);
    this.emit({ type: 'alert', alert: a });
    if (a.counter) {
      const c = this.live.get(`${a.hall}/${a.counter}`);
      if (c) this.emit({ type: 'state', counter: this.withAlerts(c) });
    }
    return a;
  }
  private withAlerts(c: CounterLive): CounterLive {
    const openAlerts = [...this.alerts.values()].filter(
      (a) => a.hall === c.hall && a.counter === c.counter && a.status !== 'resolved',
    );
    return { ...c, openAlerts };
  }
  private emit(e: AlertsEvent): void {
    for (const l of this.listeners) l(e);
  }
}
