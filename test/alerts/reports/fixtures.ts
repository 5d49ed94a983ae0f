// A hall on the official calendar (Mon–Fri 09:00–12:00, 13:30–17:00; w03 also Saturday mornings)
// with a supervisor robot route and an assessors' mail channel, and a stand-in for the reports
// functions that records what the schedule asked for.

import type { ReportSource } from '../../../alerts/reports/index.ts';
import { createCalendar } from '../../../core/calendar/index.ts';
import { parseConfig } from '../../../core/config/load.ts';
import type { Config } from '../../../core/config/schema.ts';
import type { UptimeRow } from '../../../reports/types.ts';
import { config as hallConfig } from '../../core/stats/fixtures.ts';

export function reportsConfig(
  notifications: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Config {
  return parseConfig({
    ...hallConfig,
    notifications: {
      allowPrivateTargets: ['127.0.0.1'],
      channels: [
        { id: 'ops', type: 'wecom', url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=x' },
        { id: 'alarm', type: 'wecom', url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=y' },
        {
          id: 'mail',
          type: 'email',
          smtp: { host: '127.0.0.1', port: 25 },
          from: 'hallwatch@example.gov.cn',
          to: ['kaohe@example.gov.cn'],
        },
      ],
      routes: [
        { channels: ['ops'], recipients: ['role:supervisor'] },
        { channels: ['alarm'], types: ['equipment_fault'], recipients: ['role:facility'] },
      ],
      recipients: [
        { id: 'sup', name: '王主管', role: 'supervisor', mobile: '13900000001' },
        { id: 'kao', name: '陈考核', role: 'assessor', email: 'chen@example.gov.cn' },
      ],
      ...notifications,
    },
    ...extra,
  });
}

export const calendarOf = (c: Config) => createCalendar(c, { onWarning: () => {} });

const ZERO = {
  scheduledSeconds: 0,
  staffedSeconds: 0,
  awaySeconds: 0,
  pausedSeconds: 0,
  unattendedSeconds: 0,
  unknownSeconds: 0,
  onPostRate: null,
  sensorCoverage: null,
  absenceCount: 0,
  meanAbsenceSeconds: null,
  overLimitAbsences: 0,
  interruptionCount: 0,
  earlyLeaveSeconds: 0,
  sessions: 0,
  sessionsUnknownAtOpening: 0,
  onTimeOpenings: 0,
  lateOpenings: 0,
  meanLateSeconds: null,
  onTimeOpeningRate: null,
  firstSessions: 0,
  readySessions: 0,
  readinessRate: null,
  pausedOverLimit: 0,
  understaffed: 0,
  lateArrivals: 0,
  waitingAffected: 0,
  voided: 0,
};

export interface StubReports extends ReportSource {
  calls: { fn: string; q: Record<string, unknown> }[];
  /** Hall row numbers the next reports return (scheduledSeconds 0 = a closure covered the day). */
  hall: Partial<UptimeRow>;
  /** Throw this from every call (InfluxDB unreachable). */
  failWith?: Error;
}

/** The reports functions, answering fixed numbers and recording every query. */
export function stubReports(): StubReports {
  const s: StubReports = {
    calls: [],
    hall: {
      scheduledSeconds: 23_400,
      interruptionCount: 2,
      lateOpenings: 1,
      pausedSeconds: 1800,
      sensorCoverage: 0.99,
    },
    async uptime(q) {
      s.calls.push({ fn: 'uptime', q });
      if (s.failWith) throw s.failWith;
      const row = {
        ...ZERO,
        scope: q.scope ?? 'counter',
        hall: q.hall,
        period: '',
        periodStart: q.from,
        periodEnd: q.to,
        ...s.hall,
      };
      return {
        hall: q.hall,
        from: q.from,
        to: q.to,
        by: q.by,
        scope: q.scope ?? 'counter',
        rows: q.scope === 'hall' ? [row as UptimeRow] : [],
        warnings: [],
      };
    },
    async noAbsence(q) {
      s.calls.push({ fn: 'noAbsence', q });
      if (s.failWith) throw s.failWith;
      return { hall: q.hall, from: q.from, to: q.to, rows: [], changes: [] };
    },
    async equipment(q) {
      s.calls.push({ fn: 'equipment', q });
      if (s.failWith) throw s.failWith;
      return { hall: q.hall, from: q.from, to: q.to, rows: [], availability: 1 };
    },
    async xlsx(q) {
      s.calls.push({ fn: 'xlsx', q });
      if (s.failWith) throw s.failWith;
      return Buffer.from('PK fake workbook');
    },
  };
  return s;
}
