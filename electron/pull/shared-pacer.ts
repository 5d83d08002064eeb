// PostHog's rate limits shared by processes: two pulls from one host with one key (the app and the
// CLI, two CLI runs, worker threads) spend one budget, as PostHog counts them. Each request is a row
// in a small SQLite file (next to the database, not in it: imports hold the database's write lock
// for long stretches); SQLite's write lock makes "does it fit, then count it" one step across
// processes. Same windows as RateLimiter: a request counts from when it was sent, moved to when its
// answer came (settle).
import crypto from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3'
import { realClock } from './clock'
import type { Limit, Pacer, Scope } from './rate-limits'

const open = new Map<string, Database.Database>()

function db(file: string): Database.Database {
  let d = open.get(file)
  if (d?.open) return d
  d = new Database(file)
  d.pragma('journal_mode = WAL')
  d.pragma('busy_timeout = 10000')
  d.exec(`CREATE TABLE IF NOT EXISTS sent (bucket TEXT NOT NULL, name TEXT NOT NULL, req INTEGER NOT NULL, t INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS sent_window ON sent(bucket, name, t);
    CREATE INDEX IF NOT EXISTS sent_req ON sent(req);`)
  open.set(file, d)
  return d
}

/** The longest window of PostHog's limits (an hour), and some: rows older than this count for nothing. */
const KEEP_MS = 2 * 3_600_000

export class SharedRateLimiter implements Pacer {
  private readonly db: Database.Database

  constructor(
    file: string,
    private readonly bucket: string,
    private readonly limits: Record<Scope, Limit[]>,
  ) {
    this.db = db(file)
  }

  take(scope: Scope): { mark: object } | { ms: number; limit: Limit | null } {
    const times = this.db.prepare('SELECT t FROM sent WHERE bucket = ? AND name = ? AND t > ? ORDER BY t').pluck()
    const insert = this.db.prepare('INSERT INTO sent (bucket, name, req, t) VALUES (?, ?, ?, ?)')
    return this.db
      .transaction(() => {
        const now = realClock.now()
        let best: { ms: number; limit: Limit | null } = { ms: 0, limit: null }
        for (const l of this.limits[scope]) {
          const ts = times.all(this.bucket, l.name, now - l.windowMs) as number[]
          if (ts.length < l.max) continue
          // the oldest request that must leave the window for one more to fit
          const ms = ts[ts.length - l.max]! + l.windowMs - now
          if (ms > best.ms) best = { ms, limit: l }
        }
        if (best.ms > 0) return best
        const req = crypto.randomInt(2 ** 47)
        for (const l of this.limits[scope]) insert.run(this.bucket, l.name, req, now)
        if (req % 64 === 0) this.db.prepare('DELETE FROM sent WHERE t < ?').run(now - KEEP_MS)
        return { mark: { req } }
      })
      .immediate()
  }

  settle(mark: object): void {
    const { req } = mark as { req: number }
    this.db.prepare('UPDATE sent SET t = max(t, ?) WHERE req = ?').run(realClock.now(), req)
  }
}

/** The pacing file of a database: beside it (so the app and the CLI on one database share it); none in memory. */
export const pacingFile = (dbFile: string): string | null => (dbFile === ':memory:' ? null : path.join(path.dirname(dbFile), 'posthog-pacing.db'))
