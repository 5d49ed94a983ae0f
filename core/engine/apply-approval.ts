// R24 approvals applied live: leave and closures set or removed at `ts` (when entered), through
// the same input path as device events. Leave changes who is available and who is expected from
// its `from`; a closure removes its effective window from the counter's (or hall's) sessions.
import { type ApprovalEvent, approvalProblems, closureWindow } from './approvals.ts';
import { reconcile } from './counter.ts';
import { applyBoundary } from './dispatch.ts';
import { reschedule } from './schedule.ts';
import { arm, type ClosureRecord, type Ctx, counterKey, disarm, ofHall, type ScheduleData } from './state.ts';

/** Records whose effect ended this long ago are dropped (the snapshot stays small). */
const KEEP_MS = 7 * 86_400_000;

/** Rebuilds the indexes of leave and closures (ctx, not persisted) from the state. */
export function indexApprovals(ctx: Ctx): void {
  ctx.leaveByStaff.clear();
  for (const l of Object.values(ctx.st.leave)) {
    const key = `${l.hall}/${l.staff}`;
    ctx.leaveByStaff.set(key, [...(ctx.leaveByStaff.get(key) ?? []), l]);
  }
  ctx.closuresByHall.clear();
  for (const r of Object.values(ctx.st.closures))
    ctx.closuresByHall.set(r.closure.hall, [...(ctx.closuresByHall.get(r.closure.hall) ?? []), r]);
}

function prune(ctx: Ctx, now: number): void {
  for (const [id, l] of Object.entries(ctx.st.leave)) if (l.to < now - KEEP_MS) delete ctx.st.leave[id];
  for (const [id, r] of Object.entries(ctx.st.closures)) {
    const w = closureWindow(r.closure, r.enteredAt, r.removedAt);
    if (!w || w.end < now - KEEP_MS) delete ctx.st.closures[id];
  }
}

/** Applies one approval at `at` (≥ engine time). Invalid ones are reported as warnings and ignored. */
export function applyApproval(ctx: Ctx, e: ApprovalEvent, at: number): void {
  const { st } = ctx;
  const hall = ctx.halls.get(e.hall);
  const invalid = (why: string): void => {
    ctx.out.push({ kind: 'warning', code: 'approval_rejected', message: `${e.kind} ignored: ${why}` });
  };
  if (!hall) {
    invalid(`unknown hall "${e.hall}"`);
    return;
  }
  switch (e.kind) {
    case 'leave': {
      const problems = approvalProblems(e.leave);
      if (e.leave.hall !== e.hall) problems.push('hall: differs from the input hall');
      if (problems.length) {
        invalid(problems.join('; '));
        return;
      }
      st.leave[e.leave.id] = { ...e.leave };
      break;
    }
    case 'leave_removed':
      delete st.leave[e.id];
      break;
    case 'closure': {
      const c = e.closure;
      const problems = approvalProblems(c);
      if (c.hall !== e.hall) problems.push('hall: differs from the input hall');
      if (c.counter && !hall.counters.some((x) => x.id === c.counter))
        problems.push(`counter: unknown counter "${c.counter}"`);
      if (problems.length) {
        invalid(problems.join('; '));
        return;
      }
      retire(ctx, c.id, at);
      st.closures[c.id] = { closure: { ...c }, enteredAt: at };
      break;
    }
    case 'closure_removed':
      retire(ctx, e.id, at);
      break;
  }
  prune(ctx, at);
  indexApprovals(ctx);
  if (e.kind === 'closure' || e.kind === 'closure_removed') {
    for (const s of ofHall(ctx, 'schedules', e.hall)) {
      const { ended, started, moved } = reschedule(ctx, s, at);
      applyBoundary(ctx, s, ended, started);
      if (moved && s.counter) {
        const c = st.counters[counterKey(s.hall, s.counter)]!;
        if (c.session && s.session) c.session = { ...c.session, end: s.session.end };
        reconcile(ctx, c, at);
      }
    }
  }
  // Leave (and closures, for who is expected after them) change attribution and availability now.
  for (const c of ofHall(ctx, 'counters', e.hall)) reconcile(ctx, c, at);
  armApproval(ctx, st.schedules[e.hall]!, at);
}

/** A replaced or removed closure keeps its window up to `at` (under a derived id), so replay = live. */
function retire(ctx: Ctx, id: string, at: number): void {
  const old = ctx.st.closures[id];
  if (!old) return;
  delete ctx.st.closures[id];
  const kept: ClosureRecord = { ...old, removedAt: Math.min(old.removedAt ?? at, at) };
  if (closureWindow(kept.closure, kept.enteredAt, kept.removedAt)) ctx.st.closures[`${id}~${at}`] = kept;
}

/** The hall's next leave edge (from/to) after t: who is expected changes then. */
export function armApproval(ctx: Ctx, s: ScheduleData, t: number): void {
  let next: number | null = null;
  for (const l of Object.values(ctx.st.leave)) {
    if (l.hall !== s.hall) continue;
    for (const edge of [l.from, l.to]) if (edge > t && (next === null || edge < next)) next = edge;
  }
  if (next === null) disarm(s, 'approval');
  else arm(ctx, s, 'approval', s.hall, next);
}

export function onApprovalTimer(ctx: Ctx, s: ScheduleData, at: number): void {
  for (const c of ofHall(ctx, 'counters', s.hall)) reconcile(ctx, c, at);
  armApproval(ctx, s, at);
}
