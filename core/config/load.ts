// Substitutes ${ENV} secrets, validates and cross-checks the YAML configuration (the text is
// read by app/config.ts: core does no I/O).
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { type Config, configSchema } from './schema.ts';

/** `halls[0].counters[3].seats` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: string, issues: ConfigIssue[]): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined) issues.push({ path, message: `environment variable ${name} is not set` });
      return v ?? '';
    });
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, `${path}[${i}]`, issues));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, path ? `${path}.${k}` : k, issues)]),
    );
  return value;
}

function crossCheck(c: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const dup = (ids: string[], path: string, what: string) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) issues.push({ path: `${path}[${i}].id`, message: `duplicate ${what} id "${id}"` });
      seen.add(id);
    });
  };
  dup(
    c.halls.map((h) => h.id),
    'halls',
    'hall',
  );
  c.halls.forEach((h, hi) => {
    const hp = `halls[${hi}]`;
    dup(
      h.counters.map((x) => x.id),
      `${hp}.counters`,
      'counter',
    );
    dup(
      h.equipment.map((x) => x.id),
      `${hp}.equipment`,
      'equipment',
    );
    dup(
      h.sensors.map((x) => x.id),
      `${hp}.sensors`,
      'sensor',
    );
    h.counters.forEach((ct, ci) => {
      const cp = `${hp}.counters[${ci}]`;
      dup(
        ct.equipment.map((x) => x.id),
        `${cp}.equipment`,
        'equipment',
      );
      if (new Set(ct.seats).size !== ct.seats.length)
        issues.push({ path: `${cp}.seats`, message: 'duplicate seat id' });
      if (ct.minStaff !== undefined && ct.minStaff > ct.seats.length)
        issues.push({
          path: `${cp}.minStaff`,
          message: `minStaff ${ct.minStaff} exceeds ${ct.seats.length} seat(s)`,
        });
    });
    h.sensors.forEach((s, si) => {
      if (s.counter && !h.counters.some((ct) => ct.id === s.counter))
        issues.push({ path: `${hp}.sensors[${si}].counter`, message: `unknown counter "${s.counter}"` });
    });
    h.overrides.forEach((o, oi) => {
      for (const id of o.counters ?? [])
        if (!h.counters.some((ct) => ct.id === id))
          issues.push({ path: `${hp}.overrides[${oi}].counters`, message: `unknown counter "${id}"` });
      if (o.from && o.to && o.from > o.to)
        issues.push({ path: `${hp}.overrides[${oi}].to`, message: 'to is before from' });
    });
  });
  // R24: leave and closures name a configured hall (and counter); ids are unique.
  const approvals = [
    ...c.leave.map((a, i) => ({ a, path: `leave[${i}]`, counter: undefined as string | undefined })),
    ...c.closures.map((a, i) => ({ a, path: `closures[${i}]`, counter: a.counter })),
  ];
  for (const { a, path, counter } of approvals) {
    const hall = c.halls.find((h) => h.id === a.hall);
    if (!hall) issues.push({ path: `${path}.hall`, message: `unknown hall "${a.hall}"` });
    else if (counter && !hall.counters.some((ct) => ct.id === counter))
      issues.push({ path: `${path}.counter`, message: `unknown counter "${counter}"` });
    if (typeof a.from === typeof a.to && a.to <= a.from)
      issues.push({ path: `${path}.to`, message: 'to must be after from' });
  }
  dup(
    c.leave.flatMap((l) => (l.id ? [l.id] : [])),
    'leave',
    'leave',
  );
  dup(
    c.closures.flatMap((l) => (l.id ? [l.id] : [])),
    'closures',
    'closure',
  );
  c.mqtt.users.forEach((u, ui) => {
    const up = `mqtt.users[${ui}]`;
    if ((u.role === 'counter' || u.role === 'hall-device') && !u.hall)
      issues.push({ path: `${up}.hall`, message: `role ${u.role} needs a hall` });
    if (u.role === 'counter' && !u.counter)
      issues.push({ path: `${up}.counter`, message: 'role counter needs a counter' });
    const hall = c.halls.find((h) => h.id === u.hall);
    if (u.hall && !hall) issues.push({ path: `${up}.hall`, message: `unknown hall "${u.hall}"` });
    if (hall && u.counter && !hall.counters.some((ct) => ct.id === u.counter))
      issues.push({ path: `${up}.counter`, message: `unknown counter "${u.counter}"` });
  });
  dup(
    c.mqtt.users.map((u) => u.username),
    'mqtt.users',
    'username',
  );
  if (c.notifications) {
    const ids = new Set(c.notifications.channels.map((ch) => ch.id));
    dup(
      c.notifications.channels.map((ch) => ch.id),
      'notifications.channels',
      'channel',
    );
    c.notifications.routes.forEach((r, ri) => {
      r.channels.forEach((ch, k) => {
        if (!ids.has(ch))
          issues.push({
            path: `notifications.routes[${ri}].channels[${k}]`,
            message: `unknown channel "${ch}"`,
          });
      });
    });
    c.notifications.escalateTo.forEach((ch, k) => {
      if (!ids.has(ch))
        issues.push({ path: `notifications.escalateTo[${k}]`, message: `unknown channel "${ch}"` });
    });
    const known = (list: string[], path: string) =>
      list.forEach((ch, k) => {
        if (!ids.has(ch)) issues.push({ path: `${path}[${k}]`, message: `unknown channel "${ch}"` });
      });
    known(c.notifications.adminChannels, 'notifications.adminChannels');
    known(c.notifications.reports.daily.channels, 'notifications.reports.daily.channels');
    known(c.notifications.reports.monthly.channels, 'notifications.reports.monthly.channels');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: c.timezone });
  } catch {
    issues.push({ path: 'timezone', message: `unknown time zone "${c.timezone}"` });
  }
  issues.push(...partitionIssues(c));
  // aedes (the embedded broker) has no shared subscriptions (moscajs/aedes#228): a $share filter
  // would match nothing and the ingest would silently store nothing.
  if (c.ingest.shareGroup && !c.mqtt.url)
    issues.push({
      path: 'ingest.shareGroup',
      message:
        'the embedded broker does not support shared subscriptions: partition the ingest by hall (--halls / --partition, docs/scaling.md), or set mqtt.url to a broker that has them',
    });
  return issues;
}

/** `partitions`: every group names known halls, and every hall is in exactly one group. */
function partitionIssues(c: Config): ConfigIssue[] {
  if (!c.partitions) return [];
  const issues: ConfigIssue[] = [];
  const known = new Set(c.halls.map((h) => h.id));
  const owner = new Map<string, string>();
  for (const [name, halls] of Object.entries(c.partitions))
    halls.forEach((hall, i) => {
      const path = `partitions.${name}[${i}]`;
      if (!known.has(hall)) issues.push({ path, message: `unknown hall "${hall}"` });
      else if (owner.has(hall))
        issues.push({ path, message: `hall "${hall}" is already in partition "${owner.get(hall)}"` });
      else owner.set(hall, name);
    });
  for (const h of c.halls)
    if (!owner.has(h.id))
      issues.push({
        path: 'partitions',
        message: `hall "${h.id}" is in no partition (no process would handle it)`,
      });
  return issues;
}

/** Validates an already-parsed object. Throws ConfigError listing every issue by path. */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env, file?: string): Config {
  const envIssues: ConfigIssue[] = [];
  const substituted = substituteEnv(raw, env, '', envIssues);
  const r = configSchema.safeParse(substituted);
  if (!r.success) throw new ConfigError([...envIssues, ...zodIssues(r.error)], file);
  const issues = [...envIssues, ...crossCheck(r.data)];
  if (issues.length) throw new ConfigError(issues, file);
  return r.data;
}

function zodIssues(err: z.ZodError): ConfigIssue[] {
  return err.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({
        path: formatPath([...i.path, k]),
        message: 'unknown key (not understood; check spelling)',
      }));
    if (i.code === 'invalid_union' && 'errors' in i) {
      // Report the branch that got furthest rather than "invalid input".
      const branches = (i.errors as z.core.$ZodIssue[][]).sort((a, b) => a.length - b.length);
      const best = branches[0];
      if (best?.length)
        return best.map((b) => ({ path: formatPath([...i.path, ...b.path]), message: b.message }));
    }
    return [{ path: formatPath(i.path), message: i.message }];
  });
}

/** Parses YAML text; syntax errors are reported with line and column. */
export function parseConfigText(text: string, env: NodeJS.ProcessEnv = process.env, file?: string): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length)
    throw new ConfigError(
      doc.errors.map((e) => ({
        path: `line ${e.linePos?.[0]?.line ?? '?'}`,
        message: e.message.split('\n')[0]!,
      })),
      file,
    );
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    // e.g. an alias to an anchor that does not exist (`*x`): the yaml package throws here.
    throw new ConfigError([{ path: '(yaml)', message: (e as Error).message.split('\n')[0]! }], file);
  }
  return parseConfig(raw, env, file);
}
