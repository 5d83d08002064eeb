import type { Database, Statement } from 'better-sqlite3'

const caches = new WeakMap<Database, Map<string, Statement>>()

/**
 * A prepared statement for fixed SQL, prepared once per connection. Preparing costs about as much
 * as running a small indexed query; per-session queries prepared on every call made an import of
 * 50k sessions spend most of its time compiling SQL. Never for SQL naming a staging table (those
 * come and go) nor for statements whose mode is changed (raw, safeIntegers) by a caller.
 */
export function cached(db: Database, sql: string): Statement {
  let m = caches.get(db)
  if (!m) caches.set(db, (m = new Map()))
  let s = m.get(sql)
  if (!s) m.set(sql, (s = db.prepare(sql)))
  return s
}
