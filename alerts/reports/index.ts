// Reports that come to people: the 日报 after each service day and the 月报 with the 考核 workbook,
// queued in the outbox like any notification (delivered, retried and rate-limited by the
// dispatcher). The numbers come from the reports functions the API calls; time from the injected
// clock. A report is decided once (store.reportRuns) and queued once per channel (outbox keys).
import type { ServiceCalendar } from '../../core/calendar/types.ts';
import type { Config } from '../../core/config/schema.ts';
import type { Reports } from '../../reports/types.ts';
import type { Logger } from '../../runtime/logger.ts';
import { localTime } from '../notify/render.ts';
import type { Attachment, Notification } from '../notify/types.ts';
import { Router } from '../policy/routing.ts';
import type { AlertStore } from '../store/index.ts';
import { ReportText } from './content.ts';
import { type DueReport, dueReports } from './schedule.ts';

export { type DueReport, dueReports } from './schedule.ts';

/** The reports functions a scheduled report reads (the API's). */
export type ReportSource = Pick<Reports, 'uptime' | 'noAbsence' | 'equipment' | 'xlsx'>;

export interface ReportSchedulerOptions {
  config: Config;
  calendar: ServiceCalendar;
  store: AlertStore;
  reports: ReportSource;
  now: () => number;
  logger: Logger;
  /** Channels the dispatcher runs. */
  hasChannel: (id: string) => boolean;
  /** Wakes the dispatcher for these channels. */
  kick: (ids: string[]) => void;
}

export interface ReportsHealth {
  queued: number;
  skipped: number;
  lastQueued?: string;
  lastError?: string;
}

interface Built {
  title: string;
  lines: string[];
  attachments?: Attachment[];
  /** The lines for a channel that cannot carry the attachments (robots, webhooks). */
  linesWithoutAttachments?: string[];
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class ReportScheduler {
  private readonly text: ReportText;
  private readonly router: Router;
  private running: Promise<string[]> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The first check of this process: a report due before it fell due while the service was down. */
  private startedAt: number | undefined;
  readonly health: ReportsHealth = { queued: 0, skipped: 0 };

  constructor(private readonly o: ReportSchedulerOptions) {
    this.text = new ReportText(o.config);
    this.router = new Router(o.config);
  }

  /** Checks every `pollMs` (the injected clock decides what is due; the timer only wakes it). */
  start(pollMs = 30_000): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), pollMs);
    this.timer.unref?.();
  }

  stop(): Promise<unknown> {
    if (this.timer) clearInterval(this.timer);
    return this.running ?? Promise.resolve();
  }

  /** Queues every report due now and not yet decided; returns their keys. One check at a time. */
  check(): Promise<string[]> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Channels of a report: the configured ones, else the supervisor routes (日报) or every e-mail channel (月报). */
  channelsOf(kind: DueReport['kind'], hall: string): string[] {
    const n = this.o.config.notifications;
    const conf = kind === 'daily' ? n.reports.daily.channels : n.reports.monthly.channels;
    let ids: string[];
    if (conf.length) ids = conf;
    else if (kind === 'monthly') ids = n.channels.filter((c) => c.type === 'email').map((c) => c.id);
    else {
      const supervisors = new Set(n.recipients.filter((r) => r.role === 'supervisor').map((r) => r.id));
      ids = n.routes
        .filter((r) => !r.halls || r.halls.includes(hall))
        .filter((r) => r.recipients.some((x) => x === 'role:supervisor' || supervisors.has(x)))
        .flatMap((r) => r.channels);
    }
    return [...new Set(ids)].filter((id) => this.o.hasChannel(id));
  }

  private async run(): Promise<string[]> {
    const now = this.o.now();
    this.startedAt ??= now;
    const store = this.o.store;
    const since = store.reportRuns.since(now);
    const queued: string[] = [];
    for (const due of dueReports(this.o.config, this.o.calendar, now, since)) {
      if (store.reportRuns.get(due.key)) continue;
      try {
        if (await this.queue(due)) queued.push(due.key);
      } catch (err) {
        // InfluxDB unreachable or a query failed: try again at the next check (still within lateWithin).
        this.health.lastError = `${due.key}: ${(err as Error).message}`;
        this.o.logger.warn({ err, report: due.key }, 'scheduled report not computed; will retry');
      }
    }
    return queued;
  }

  private skip(due: DueReport, note: string): false {
    this.o.store.reportRuns.record({
      key: due.key,
      outcome: 'skipped',
      dueAt: due.dueAt,
      doneAt: this.o.now(),
      note,
    });
    this.health.skipped++;
    this.o.logger.info({ report: due.key, note }, 'scheduled report skipped');
    return false;
  }

  private async queue(due: DueReport): Promise<boolean> {
    const channels = this.channelsOf(due.kind, due.hall);
    if (!channels.length) return this.skip(due, 'no channel');
    const built = due.kind === 'daily' ? await this.daily(due) : await this.monthly(due);
    if (!built) return this.skip(due, 'closed');
    const now = this.o.now();
    const late =
      due.dueAt < (this.startedAt ?? now)
        ? [`补发：原定 ${localTime(due.dueAt, this.o.config.timezone).slice(0, 16)} 发送（服务当时未运行）`]
        : [];
    const refs =
      due.kind === 'daily'
        ? this.o.config.notifications.reports.daily.recipients
        : this.o.config.notifications.reports.monthly.recipients;
    const mentions = this.router.mentionsOf(refs, due.hall);
    const link = this.o.config.notifications.boardUrl;
    const store = this.o.store;
    const fresh = store.tx(() => {
      if (!store.reportRuns.record({ key: due.key, outcome: 'queued', dueAt: due.dueAt, doneAt: now }))
        return false;
      for (const ch of channels) {
        // Only e-mail carries files; elsewhere the report says where the workbook went.
        const mail = this.o.config.notifications.channels.find((c) => c.id === ch)?.type === 'email';
        const lines = mail ? built.lines : (built.linesWithoutAttachments ?? built.lines);
        const n: Notification = {
          key: `${due.key}:${ch}`,
          kind: 'report',
          title: built.title,
          lines: [...lines, ...late],
          ...(link ? { link } : {}),
          mentions,
          createdAt: now,
          ...(mail && built.attachments ? { attachments: built.attachments } : {}),
        };
        store.outbox.enqueue(n.key, ch, 'report', n, now);
      }
      return true;
    });
    if (!fresh) return false;
    this.health.queued++;
    this.health.lastQueued = due.key;
    delete this.health.lastError;
    this.o.logger.info({ report: due.key, channels, late: late.length > 0 }, 'scheduled report queued');
    this.o.kick(channels);
    return true;
  }

  /** The 日报, or null when the hall had no scheduled service that day (a closure covered it). */
  private async daily(due: DueReport): Promise<Built | null> {
    const r = this.o.reports;
    const range = { hall: due.hall, from: due.from, to: due.to };
    const [hallRows, counterRows, noAbsence, equipment] = await Promise.all([
      r.uptime({ ...range, by: 'day', scope: 'hall' }),
      r.uptime({ ...range, by: 'day', scope: 'counter' }),
      r.noAbsence(range),
      r.equipment(range),
    ]);
    if (!hallRows.rows.some((x) => 'scheduledSeconds' in x && x.scheduledSeconds > 0)) return null;
    return {
      title: this.text.dailyTitle(due),
      lines: this.text.dailyLines(due, { hallRows, counterRows, noAbsence, equipment }),
    };
  }

  private async monthly(due: DueReport): Promise<Built> {
    const r = this.o.reports;
    const by = this.o.config.notifications.reports.monthly.by;
    const range = { hall: due.hall, from: due.from, to: due.to };
    const [hallRows, equipment, xlsx] = await Promise.all([
      r.uptime({ ...range, by: 'month', scope: 'hall' }),
      r.equipment(range),
      r.xlsx({ ...range, by }),
    ]);
    const filename = `hallwatch-${due.hall}-${due.period}.xlsx`;
    const attachments: Attachment[] = [
      { filename, contentType: XLSX, contentBase64: xlsx.toString('base64') },
    ];
    const lines = this.text.monthlyLines(due, { hallRows, equipment, filename });
    return {
      title: this.text.monthlyTitle(due),
      lines,
      attachments,
      linesWithoutAttachments: [...lines.slice(0, -1), `考核表：${filename} 已随邮件发送给考核人员`],
    };
  }
}
