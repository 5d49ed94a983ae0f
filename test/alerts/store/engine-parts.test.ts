// Issue 16 in the alert store: the engine snapshot as a row per part (migration 5 upgrades a
// database holding the old whole-engine blob), and the group commit of queued changes.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../alerts/store/index.ts';
import { MIGRATIONS, migrate } from '../../../alerts/store/migrations.ts';
import { config, ev, Rig, single, t } from '../../core/engine/helpers.ts';
import { tempDir } from '../helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function file(): string {
  const d = tempDir();
  cleanups.push(d.cleanup);
  return join(d.dir, 'alerts.sqlite');
}

const two = () => config([single(), single({ id: 'w02', controller: 'ctl-w02' })]);

/** w01 and w02 staffed; w01 away from 10:02 (deadline 10:12:00), the engine at 10:05. */
function awayAt1002(): Rig {
  const r = new Rig(two(), t('08:00:00'));
  r.send(ev.seat('w01', true, t('08:30:00')), ev.seat('w02', true, t('08:30:00')));
  r.tick(t('10:00:00'));
  r.send(ev.sign('w01', 'away', t('10:01:30')), ev.seat('w01', false, t('10:02:00')));
  r.tick(t('10:05:00'));
  return r;
}

const count = (f: string, sql: string) => {
  const db = new Database(f, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('engine snapshot rows', () => {
  it('a v4 database with the whole-engine blob upgrades, restores, and is replaced by parts', () => {
    const f = file();
    const legacy = JSON.parse(JSON.stringify(awayAt1002().engine.snapshot()));
    const old = new Database(f);
    migrate(
      old,
      MIGRATIONS.filter((m) => m.version <= 4),
    );
    old
      .prepare('INSERT INTO engine_snapshot (id, engine_at, saved_at, data) VALUES (1, ?, ?, ?)')
      .run(legacy.at, legacy.at, JSON.stringify(legacy));
    old.close();

    const store = openStore(f);
    expect(store.schemaVersion).toBe(5);
    expect(store.loadSnapshot()).toEqual(legacy);
    const r = new Rig(two(), t('10:06:00'), store.loadSnapshot());
    const w = store.tx(() => store.saveParts(r.engine.parts('all'), t('10:06:00'), true));
    store.close();
    expect(w.rows).toBeGreaterThan(4);
    expect(count(f, 'SELECT count(*) AS n FROM engine_snapshot')).toBe(0);
    expect(count(f, "SELECT count(*) AS n FROM engine_parts WHERE key LIKE 'counters:%'")).toBe(2);

    // Restarted from the parts: the countdown keeps its deadline to the second.
    const again = openStore(f);
    cleanups.push(() => again.close());
    const back = new Rig(two(), t('10:08:00'), again.loadSnapshot());
    back.tick(t('10:11:59'));
    expect(back.opened('unattended')).toEqual([]);
    back.tick(t('10:12:00'));
    expect(back.opened('unattended').map((a) => [a.counter, a.openedAt])).toEqual([['w01', t('10:12:00')]]);
  });

  it('a save writes the changed counter only; the first save after a restart rewrites only what differs', () => {
    const f = file();
    const store = openStore(f);
    const r = awayAt1002();
    const all = store.tx(() => store.saveParts(r.engine.parts('all'), t('10:05:00'), true));
    r.send(ev.seat('w02', false, t('10:05:30')));
    const one = store.tx(() => store.saveParts(r.engine.parts('changed'), t('10:05:30'), false));
    expect(one.rows).toBeLessThan(all.rows);
    expect(one.bytes).toBeLessThan(all.bytes / 2);
    store.close();

    const again = openStore(f);
    cleanups.push(() => again.close());
    const back = new Rig(two(), t('10:05:30'), again.loadSnapshot());
    const first = again.tx(() => again.saveParts(back.engine.parts('all'), t('10:05:30'), true));
    expect(first.rows).toBeLessThan(all.rows);
    expect(first.dropped).toBe(0);
  });
});

describe('group commit', () => {
  it('changes queued within the window commit in one transaction; each after runs once committed', async () => {
    const f = file();
    const store = openStore(f, { groupCommitMs: 5 });
    cleanups.push(() => store.close());
    const seen: number[] = [];
    for (let i = 0; i < 3; i++)
      store.later(
        () => store.registry.audit(i, 'engine', 'opened', `a${i}`),
        () => seen.push(count(f, 'SELECT count(*) AS n FROM audit_log')),
      );
    expect(count(f, 'SELECT count(*) AS n FROM audit_log')).toBe(0);
    await expect.poll(() => seen.length).toBe(3);
    expect(seen).toEqual([3, 3, 3]);
    expect(store.commits).toMatchObject({ commits: 1, pieces: 3 });
  });

  it('a queued change that throws rolls back alone; a direct transaction commits what is queued first', () => {
    const f = file();
    const errors: string[] = [];
    const store = openStore(f, { groupCommitMs: 1000, onError: (_e, what) => errors.push(what) });
    cleanups.push(() => store.close());
    const after: string[] = [];
    store.later(
      () => store.registry.audit(1, 'engine', 'opened', 'a1'),
      () => after.push('a1'),
    );
    store.later(
      () => {
        store.registry.audit(2, 'engine', 'opened', 'a2');
        throw new Error('boom');
      },
      () => after.push('a2'),
    );
    store.tx(() => store.registry.audit(3, 'api', 'acknowledged', 'a1'));
    expect(after).toEqual(['a1']);
    expect(errors).toHaveLength(1);
    expect(store.registry.auditLog({}).map((e) => e.alertId)).toEqual(expect.arrayContaining(['a1']));
    expect(count(f, "SELECT count(*) AS n FROM audit_log WHERE alert_id = 'a2'")).toBe(0);
    expect(count(f, 'SELECT count(*) AS n FROM audit_log')).toBe(2);
  });

  it('a failing commit hook (the engine snapshot) rolls back alone; the alert changes commit', () => {
    const f = file();
    const errors: string[] = [];
    const store = openStore(f, { groupCommitMs: 1000, onError: (_e, what) => errors.push(what) });
    cleanups.push(() => store.close());
    let failed = 0;
    store.onCommit({
      write: () => {
        store.registry.audit(9, 'engine', 'snapshot', undefined);
        throw new Error('disk says no');
      },
      failed: () => failed++,
    });
    const after: string[] = [];
    store.later(
      () => store.registry.audit(1, 'engine', 'opened', 'a1'),
      () => after.push('a1'),
    );
    store.flush();
    expect(after).toEqual(['a1']);
    expect(failed).toBe(1);
    expect(errors).toHaveLength(1);
    expect(count(f, "SELECT count(*) AS n FROM audit_log WHERE action = 'snapshot'")).toBe(0);
    expect(count(f, "SELECT count(*) AS n FROM audit_log WHERE alert_id = 'a1'")).toBe(1);
  });
});
