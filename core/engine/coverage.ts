// R26 uncovered year, loudly: from calendarWarnDays before 1 January of a year whose statutory
// holidays the hall's calendar does not know (no package data, no overrides closing them) until
// it is covered, one hall-wide `calendar_unverified` (warning) stays open; it resolves `covered`.
// Every other alert on a date of such a year carries details.calendarUnverified (openAlert).
import { addDays } from '../calendar/zone.ts';
import { openAlert, resolveAlert } from './alerts.ts';
import { calendarUnverifiedMessage } from './messages.ts';
import { arm, type Ctx, localDateOf, ofHall, type TimerTokens } from './state.ts';

export interface CoverageData {
  hall: string;
  tm: TimerTokens;
}

const TYPE = 'calendar_unverified';
const subjectOf = (year: number) => `calendar/${year}`;

export function warnDaysOf(ctx: Ctx, hall: string): number {
  return ctx.halls.get(hall)?.calendarWarnDays ?? ctx.config.calendarWarnDays;
}

/** Local midnight from which year `year` is watched. */
function watchStart(ctx: Ctx, hall: string, year: number): number {
  return ctx.calendar.startOfDay(addDays(`${year}-01-01`, -warnDaysOf(ctx, hall)));
}

/** A fresh start or a restore (perhaps with a new configuration) looks at once. */
export function ensureCoverage(ctx: Ctx, hall: string, now: number): void {
  ctx.st.coverage[hall] ??= { hall, tm: {} };
  arm(ctx, ctx.st.coverage[hall], 'coverage', hall, now);
}

export function onCoverageTimer(ctx: Ctx, c: CoverageData, at: number): void {
  const year = Number(localDateOf(ctx, at).slice(0, 4));
  const watched = at >= watchStart(ctx, c.hall, year + 1) ? [year, year + 1] : [year];
  for (const y of watched) {
    const cov = ctx.calendar.yearCoverage(c.hall, y);
    if (cov.covered) continue;
    openAlert(ctx, {
      type: TYPE,
      severity: 'warning',
      hall: c.hall,
      subject: subjectOf(y),
      openedAt: at,
      message: calendarUnverifiedMessage(ctx, c.hall, y, cov.missing),
      details: { year: y, missing: cov.missing, warnDays: warnDaysOf(ctx, c.hall) },
    });
  }
  // Resolve what the (perhaps new) configuration now covers.
  for (const a of ofHall(ctx, 'alerts', c.hall))
    if (a.type === TYPE) {
      const y = a.details.year as number;
      if (ctx.calendar.yearCoverage(c.hall, y).covered)
        resolveAlert(ctx, TYPE, c.hall, subjectOf(y), at, 'covered');
    }
  const next = [watchStart(ctx, c.hall, year + 1), watchStart(ctx, c.hall, year + 2)].find((t) => t > at)!;
  arm(ctx, c, 'coverage', c.hall, next);
}

/** Details and message suffix for an alert on a date of a year the hall's calendar does not know. */
export function unverifiedMark(ctx: Ctx, hall: string, at: number): number | null {
  const year = Number(localDateOf(ctx, at).slice(0, 4));
  return ctx.calendar.yearCoverage(hall, year).covered ? null : year;
}
