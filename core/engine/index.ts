// createEngine: the pure rule engine behind core/engine/types.ts RuleEngine. Events and ticks go
// in, state changes / alerts / intervals / equipment views / warnings come out. Time only moves
// by event `ts` and tick(now); deadlines live in one min-heap, so an idle tick is O(1).
import type { ServiceCalendar } from '../calendar/types.ts';
import type { Config } from '../config/index.ts';
import { resolveById } from './alerts.ts';
import { applyApproval, indexApprovals } from './apply-approval.ts';
import { approvalsFromConfig, isApproval } from './approvals.ts';
import { ensureCoverage } from './coverage.ts';
import { advance, compactTimers } from './dispatch.ts';
import { equipmentView } from './equipment.ts';
import { applyEvent } from './events.ts';
import { ChangeTracker } from './parts.ts';
import { buildCtx, ensureAll } from './setup.ts';
import { type Ctx, type EngineState, localDateOf } from './state.ts';
import type { EngineOutput, EngineSnapshot, RuleEngine } from './types.ts';
import { counterView } from './view.ts';

export type { ApprovalEvent, Closure, ClosureEntry, EngineInput, Leave } from './approvals.ts';
export { approvalProblems, closureWindow, closureWindowsFor, sessionsOutside } from './approvals.ts';
export type * from './types.ts';

export interface EngineOptions {
  config: Config;
  calendar: ServiceCalendar;
  /** Engine start time; ignored when a snapshot is given (the engine resumes at snapshot.at). */
  now: number;
  snapshot?: EngineSnapshot;
}

/** R1 "loud, repeated": an uncovered year is reported once per local day while it is in use. */
function forwardCalendarWarnings(ctx: Ctx): void {
  const years = ctx.calendar.uncoveredYears();
  if (!years.length) return;
  const today = localDateOf(ctx, ctx.st.now);
  for (const year of years) {
    const tag = `${today}|${year}`;
    if (ctx.st.warned.includes(tag)) continue;
    ctx.st.warned = [...ctx.st.warned.filter((w) => w.startsWith(today)), tag];
    ctx.out.push({
      kind: 'warning',
      code: 'calendar_uncovered_year',
      message: `no official holiday calendar for ${year}: weekday/weekend fallback in use (没有${year}年法定节假日数据)`,
    });
  }
}

/**
 * A snapshot of this engine version, checked enough that a foreign blob fails loudly here. A
 * version-1 snapshot (before rules v2) is migrated: the v2 facts start empty, as on a fresh start.
 */
function restore(snapshot: EngineSnapshot): EngineState {
  const st = snapshot.state as Partial<EngineState> | null;
  if (
    (snapshot.version !== 1 && snapshot.version !== 2) ||
    !st ||
    typeof st !== 'object' ||
    !st.timers ||
    !st.counters ||
    !st.schedules
  )
    throw new TypeError(`unusable engine snapshot (version ${String(snapshot.version)})`);
  const copy = structuredClone(st) as EngineState;
  copy.lastIds ??= {};
  copy.warned ??= [];
  copy.leave ??= {};
  copy.closures ??= {};
  for (const c of Object.values(copy.counters)) {
    c.pause ??= null;
    c.under ??= null;
    c.awaitBadge ??= [];
    c.waiting ??= 0;
    c.waitingTs ??= 0;
  }
  copy.coverage ??= {};
  return copy;
}

export function createEngine(opts: EngineOptions): RuleEngine {
  const restored = opts.snapshot ? restore(opts.snapshot) : null;
  const st: EngineState = restored ?? {
    now: opts.now,
    timers: { heap: [], seq: 0 },
    alerts: {},
    counters: {},
    schedules: {},
    equipment: {},
    devices: {},
    env: {},
    coverage: {},
    warned: [],
    lastIds: {},
    leave: {},
    closures: {},
  };
  const ctx = buildCtx(opts.config, opts.calendar, st);
  // From here every map of st notes the keys touched, for parts('changed').
  const tracker = new ChangeTracker(st, ctx.timers);
  const raw = tracker.raw;
  ctx.scan = raw;
  // R24: configured leave and closures are known in advance: they count from their `from`.
  if (!restored) {
    const { leave, closures } = approvalsFromConfig(opts.config, opts.calendar);
    for (const l of leave) st.leave[l.id] = l;
    for (const c of closures) st.closures[c.id] = { closure: c };
  }
  indexApprovals(ctx);
  ensureAll(ctx, st.now);
  // R26 looks at once: at the start, or at the restore (the configuration may cover a year now).
  for (const h of opts.config.halls) ensureCoverage(ctx, h.id, Math.max(st.now, opts.now));
  // Our own downtime is not the devices' silence: heartbeats count from the restore.
  if (restored)
    for (const d of Object.values(st.devices)) if (!d.offline) d.lastSeen = Math.max(d.lastSeen, opts.now);
  // A restored engine knows what the board last saw: do not resend unchanged views.
  if (restored)
    for (const c of Object.values(raw.counters))
      ctx.lastViews.set(`${c.hall}/${c.counter}`, JSON.stringify(counterView(ctx, c)));

  const run = (fn: () => void): EngineOutput[] => {
    ctx.out = [];
    fn();
    compactTimers(ctx);
    forwardCalendarWarnings(ctx);
    return ctx.out;
  };

  return {
    handle: (event) =>
      run(() => {
        // Events before timers: everything due strictly before the event's ts fires first.
        if (event.ts > st.now) {
          advance(ctx, event.ts, false);
          st.now = event.ts;
        }
        if (isApproval(event)) applyApproval(ctx, event, Math.max(event.ts, st.now));
        else applyEvent(ctx, event);
        // A late event may have made deadlines already past: they fire now, with their own time.
        advance(ctx, st.now, false);
      }),
    tick: (now) =>
      run(() => {
        advance(ctx, now, true);
        if (now > st.now) st.now = now;
      }),
    resolveManually: (alertId, at) => {
      ctx.out = [];
      return resolveById(ctx, alertId, at);
    },
    // Whole-state reads go to the unwrapped maps: reading is not changing.
    counters: () => Object.values(raw.counters).map((c) => counterView(ctx, c)),
    equipment: () => Object.values(raw.equipment).map(equipmentView),
    openAlerts: () => Object.values(raw.alerts),
    approvals: () => ({
      leave: Object.values(raw.leave),
      closures: Object.values(raw.closures),
    }),
    // No copy: copying thousands of counters every second would block the event loop; callers
    // serialise the snapshot at once (types.ts). createEngine copies what it restores.
    snapshot: () => {
      compactTimers(ctx, true);
      return { version: 2, at: st.now, state: tracker.plain() };
    },
    parts: (which) => tracker.parts(which),
  };
}
