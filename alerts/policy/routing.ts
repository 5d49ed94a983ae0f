// Which channels an alert goes to and whom the message names: routes match by hall, type and
// minimum severity; recipients are ids or `role:<role>` limited to the recipient's halls.
import type { Config } from '../../core/config/schema.ts';
import type { EngineAlert } from '../../core/engine/types.ts';
import { ConfigError, type ConfigIssue } from '../../core/errors.ts';
import type { AlertObject, Severity } from '../../core/protocol/payloads.ts';
import { RECIPIENT_ROLE_LABELS, zhOf } from '../../core/vocabulary.ts';
import type { MentionedPerson, Mentions } from '../notify/types.ts';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
const ROLE_ZH: Record<string, string> = zhOf(RECIPIENT_ROLE_LABELS);

type Notifications = NonNullable<Config['notifications']>;
type Route = Notifications['routes'][number];

export interface Delivery {
  channelId: string;
  mentions: Mentions;
  /** Route asks to be sent even in quiet hours. */
  ignoreQuietHours: boolean;
}

export const emptyMentions = (): Mentions => ({
  names: [],
  mobiles: [],
  emails: [],
  wecomUserIds: [],
  dingtalkUserIds: [],
  feishuUserIds: [],
  people: [],
});

/** Route recipients and escalation recipients must name known recipients or roles. */
export function checkNotificationRefs(config: Config): void {
  const n = config.notifications;
  if (!n) return;
  const ids = new Set(n.recipients.map((r) => r.id));
  const issues: ConfigIssue[] = [];
  const check = (ref: string, path: string) => {
    if (ref.startsWith('role:')) return;
    if (!ids.has(ref))
      issues.push({ path, message: `unknown recipient "${ref}" (use a recipient id or role:<role>)` });
  };
  for (const [i, r] of n.routes.entries())
    for (const [k, x] of r.recipients.entries()) check(x, `notifications.routes[${i}].recipients[${k}]`);
  for (const [k, x] of n.escalateRecipients.entries()) check(x, `notifications.escalateRecipients[${k}]`);
  for (const [k, x] of n.adminRecipients.entries()) check(x, `notifications.adminRecipients[${k}]`);
  for (const [k, x] of n.reports.daily.recipients.entries())
    check(x, `notifications.reports.daily.recipients[${k}]`);
  for (const [k, x] of n.reports.monthly.recipients.entries())
    check(x, `notifications.reports.monthly.recipients[${k}]`);
  if (issues.length) throw new ConfigError(issues);
}

export class Router {
  private readonly staffPhones: Map<string, { name: string; phone?: string }>;
  constructor(private readonly config: Config) {
    this.staffPhones = new Map(
      config.staff.map((s) => [s.id, { name: s.name, ...(s.phone ? { phone: s.phone } : {}) }]),
    );
  }

  private get n(): Notifications | undefined {
    return this.config.notifications;
  }

  /** Adds the recipients named by refs (ids or role:x) who cover the hall (any hall when null). */
  mentionsOf(refs: string[], hall: string | null, into: Mentions = emptyMentions()): Mentions {
    for (const r of this.n?.recipients ?? []) {
      const named = refs.includes(r.id) || refs.includes(`role:${r.role}`);
      if (!named || (hall !== null && r.halls && !r.halls.includes(hall))) continue;
      const role = ROLE_ZH[r.role];
      const name = role ? `${r.name}(${role})` : r.name;
      add(into.names, name);
      addPerson(into, {
        name,
        ...(r.mobile ? { mobile: r.mobile } : {}),
        ...(r.email ? { email: r.email } : {}),
        ...(r.wecomUserId ? { wecomUserId: r.wecomUserId } : {}),
        ...(r.dingtalkUserId ? { dingtalkUserId: r.dingtalkUserId } : {}),
        ...(r.feishuUserId ? { feishuUserId: r.feishuUserId } : {}),
      });
      if (r.mobile) add(into.mobiles, r.mobile);
      if (r.email) add(into.emails, r.email);
      if (r.wecomUserId) add(into.wecomUserIds, r.wecomUserId);
      if (r.dingtalkUserId) add(into.dingtalkUserIds, r.dingtalkUserId);
      if (r.feishuUserId) add(into.feishuUserIds, r.feishuUserId);
    }
    return into;
  }

  private staffMentions(e: EngineAlert | undefined, into: Mentions): void {
    for (const id of e?.notify ?? []) {
      const s = this.staffPhones.get(id);
      if (!s) continue;
      add(into.names, s.name);
      addPerson(into, { name: s.name, ...(s.phone ? { mobile: s.phone } : {}) });
      if (s.phone) add(into.mobiles, s.phone);
    }
  }

  private matches(r: Route, a: AlertObject): boolean {
    if (r.halls && !r.halls.includes(a.hall)) return false;
    if (r.types && !r.types.includes(a.type)) return false;
    return RANK[a.severity] >= RANK[r.minSeverity];
  }

  /** One delivery per channel; routes sending to the same channel merge their mentions. */
  route(a: AlertObject, e?: EngineAlert): Delivery[] {
    const byChannel = new Map<string, Delivery>();
    for (const r of this.n?.routes ?? []) {
      if (!this.matches(r, a)) continue;
      for (const ch of r.channels) {
        const d = byChannel.get(ch) ?? { channelId: ch, mentions: emptyMentions(), ignoreQuietHours: false };
        this.mentionsOf(r.recipients, a.hall, d.mentions);
        if (r.mentionStaff) this.staffMentions(e, d.mentions);
        d.ignoreQuietHours ||= r.ignoreQuietHours;
        byChannel.set(ch, d);
      }
    }
    return [...byChannel.values()];
  }

  /** Escalation: escalateTo channels, naming escalateRecipients (the hall director by default). */
  escalation(a: AlertObject): Delivery[] {
    return (this.n?.escalateTo ?? []).map((ch) => ({
      channelId: ch,
      mentions: this.mentionsOf(this.n?.escalateRecipients ?? [], a.hall),
      ignoreQuietHours: false,
    }));
  }
}

function addPerson(into: Mentions, p: MentionedPerson): void {
  into.people ??= [];
  if (!into.people.some((x) => x.name === p.name && x.mobile === p.mobile)) into.people.push(p);
}

function add(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}
