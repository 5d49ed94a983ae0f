// Prepared statements kept per SQL text: preparing on every call showed in the profile (issue 16).
import type Database from 'better-sqlite3';

export type Prepared = (sql: string) => Database.Statement;

export function preparedCache(db: Database.Database): Prepared {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
}
