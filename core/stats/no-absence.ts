import type { AttributionChange } from '../points/derived.ts';

// 无缺位制度 (DOMAIN R17, seed S2): interruptions per subject in the calendar year and month, and the
// level the norm assigns. "一年内…一次,给予批评;一年内…两次,给予通报批评,诫勉谈话;一个月内…两次,…建议…调离".
export type SanctionLevel = 'none' | 'criticism' | 'publicNotice' | 'transferRecommended';
export const SANCTION_ORDER: readonly SanctionLevel[] = [
  'none',
  'criticism',
  'publicNotice',
  'transferRecommended',
];

export function sanctionLevel(yearCount: number, monthCounts: Iterable<number>): SanctionLevel {
  for (const m of monthCounts) if (m >= 2) return 'transferRecommended';
  if (yearCount >= 2) return 'publicNotice';
  if (yearCount >= 1) return 'criticism';
  return 'none';
}

export interface AttributedInterruption {
  id: string;
  type: 'unattended' | 'staffing_gap' | 'service_paused';
  hall: string;
  counter: string;
  openedAt: number;
  resolvedAt?: number;
  /** Who is charged now (R28: after the supervisors' changes). */
  staff?: string;
  /** R28: voided by a supervisor — listed, counted nowhere. */
  voided?: boolean;
  /** R28: every attribution change (who, when, why), oldest first. */
  attribution?: AttributionChange[];
}

export interface NoAbsenceSubjectRow {
  subject: 'counter' | 'staff';
  hall: string;
  counter?: string;
  staff?: string;
  year: number;
  yearCount: number;
  months: { month: string; count: number }[];
  level: SanctionLevel;
  /** The counted interruptions of the year (current attribution). */
  interruptions: AttributedInterruption[];
  /** R28: the subject's voided ones of the year, listed apart and counted nowhere. */
  voided: AttributedInterruption[];
}

/**
 * Rows per counter and per staff member for every calendar year the range [from, to) touches.
 * The year count runs from 1 January to the end of the range (year to date): sanctions accrue over
 * the calendar year whatever window the assessor looks at; `months` lists the months of the range.
 * `interruptions` must cover 1 January of the first year up to `to`.
 */
export function noAbsenceRows(input: {
  hall: string;
  interruptions: readonly AttributedInterruption[];
  from: number;
  to: number;
  localDateOf(t: number): string;
  /** Subjects listed even with no interruption (every counter, every rostered staff member). */
  counters?: readonly string[];
  staff?: readonly string[];
}): NoAbsenceSubjectRow[] {
  const firstMonth = input.localDateOf(input.from).slice(0, 7);
  const lastMonth = input.localDateOf(input.to - 1).slice(0, 7);
  const rangeMonths: string[] = [];
  for (let m = firstMonth; m <= lastMonth; m = nextMonth(m)) rangeMonths.push(m);
  const years = [...new Set(rangeMonths.map((m) => Number(m.slice(0, 4))))];

  const rows: NoAbsenceSubjectRow[] = [];
  const subjects: { subject: 'counter' | 'staff'; id: string }[] = [];
  const seen = new Set<string>();
  const add = (subject: 'counter' | 'staff', id: string | undefined) => {
    if (!id || seen.has(`${subject}/${id}`)) return;
    seen.add(`${subject}/${id}`);
    subjects.push({ subject, id });
  };
  for (const c of input.counters ?? []) add('counter', c);
  for (const i of input.interruptions) add('counter', i.counter);
  for (const s of input.staff ?? []) add('staff', s);
  for (const i of input.interruptions) add('staff', i.staff);

  for (const { subject, id } of subjects) {
    const all = input.interruptions
      .filter((i) => (subject === 'counter' ? i.counter === id : i.staff === id))
      .filter((i) => i.openedAt < input.to)
      .sort((a, b) => a.openedAt - b.openedAt);
    const mine = all.filter((i) => !i.voided);
    for (const year of years) {
      const ofYear = (i: AttributedInterruption) => input.localDateOf(i.openedAt).startsWith(`${year}-`);
      const inYear = mine.filter(ofYear);
      const perMonth = new Map<string, number>();
      for (const i of inYear) {
        const m = input.localDateOf(i.openedAt).slice(0, 7);
        perMonth.set(m, (perMonth.get(m) ?? 0) + 1);
      }
      rows.push({
        subject,
        hall: input.hall,
        ...(subject === 'counter' ? { counter: id } : { staff: id }),
        year,
        yearCount: inYear.length,
        months: rangeMonths
          .filter((m) => m.startsWith(`${year}-`))
          .map((month) => ({ month, count: perMonth.get(month) ?? 0 })),
        level: sanctionLevel(inYear.length, perMonth.values()),
        interruptions: inYear,
        voided: all.filter((i) => i.voided && ofYear(i)),
      });
    }
  }
  return rows;
}

function nextMonth(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}
