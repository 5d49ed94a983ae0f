// Derived points in the stored model of docs/data-model.md (owned by ingest): counter_interval
// (time = interval start) and alert (time = openedAt). Replay writes exactly what the live ingest
// writes for the same interval or alert, so a replayed range reads like a live one.
import type { EngineAlert, ResolvedAlert, StateInterval } from '../core/engine/types.ts';
import { alertSubject } from '../core/protocol/alert-subject.ts';

const str = (v: string) => `"${v.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ')}"`;

export function intervalLine(i: StateInterval): string {
  const tags = `counter=${i.counter},hall=${i.hall}${i.role ? `,role=${i.role}` : ''},state=${i.state}`;
  const fields = [
    `duration_s=${(i.end - i.start) / 1000}`,
    `start_ms=${i.start}i`,
    `end_ms=${i.end}i`,
    ...(i.staff ? [`staff=${str(i.staff)}`] : []),
    `early_leave=${i.earlyLeave ? 'true' : 'false'}`,
    `local_date=${str(i.localDate)}`,
  ];
  return `counter_interval,${tags} ${fields.join(',')} ${i.start}`;
}

/** The alert's final point: open, or resolved with its time and reason. */
export function alertLine(a: EngineAlert | ResolvedAlert): string {
  const resolved = 'resolvedAt' in a;
  const fields = [
    `id=${str(a.id)}`,
    ...(a.counter ? [`counter=${str(a.counter)}`] : []),
    ...(a.equipment ? [`equipment=${str(a.equipment)}`] : []),
    `status=${str(resolved ? 'resolved' : 'open')}`,
    `opened_at_ms=${a.openedAt}i`,
    ...(resolved ? [`resolved_at_ms=${a.resolvedAt}i`, `reason=${str(a.reason)}`] : []),
    ...(a.responsible ? [`responsible=${str(a.responsible.staff)}`] : []),
  ];
  return `alert,hall=${a.hall},severity=${a.severity},subject=${alertSubject(a)},type=${a.type} ${fields.join(',')} ${a.openedAt}`;
}
