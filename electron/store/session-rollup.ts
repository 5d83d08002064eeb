import type { Database } from 'better-sqlite3'
import { isNoiseEvent } from '../../shared/noise'
import { cached } from './statements'

/**
 * Recomputes a session's row from what is stored for it (recordings and events), so that a
 * merge of a second export gives the same numbers as importing both at once.
 */
export class SessionRollup {
  constructor(private readonly db: Database) {}

  recompute(sessionId: string, o: { sourceId: number; distinctId: string | null; activeMs: number }): void {
    const rec = cached(
      this.db,
      `SELECT min(first_ms) AS start_ms, max(last_ms) AS end_ms, sum(snapshot_events) AS snaps, sum(unplayable) AS unplayable
         FROM session_windows WHERE session_id = ? AND first_ms IS NOT NULL`,
    ).get(sessionId) as { start_ms: number | null; end_ms: number | null; snaps: number | null; unplayable: number | null }
    const ev = cached(
      this.db,
      `SELECT min(time_ms) AS start_ms, max(time_ms) AS end_ms, count(*) AS n,
           (SELECT distinct_id FROM events WHERE session_id = @sid AND origin = 'product' AND distinct_id IS NOT NULL ORDER BY time_ms DESC LIMIT 1) AS distinct_id
         FROM events WHERE session_id = @sid AND origin = 'product'`,
    ).get({ sid: sessionId }) as { start_ms: number | null; end_ms: number | null; n: number; distinct_id: string | null }
    const { exceptions, consoleErrors } = this.errors(sessionId)
    const firstUrl = (
      cached(this.db, `SELECT first_url FROM session_windows WHERE session_id = ? AND first_url IS NOT NULL ORDER BY first_ms LIMIT 1`).get(sessionId) as { first_url: string } | undefined
    )?.first_url ??
      (
        cached(this.db, `SELECT url FROM events WHERE session_id = ? AND origin = 'product' AND url IS NOT NULL ORDER BY time_ms LIMIT 1`).get(sessionId) as { url: string } | undefined
      )?.url ??
      null
    const windows = (cached(this.db, 'SELECT count(*) AS n FROM session_windows WHERE session_id = ?').get(sessionId) as { n: number }).n
    // Bounds: the recording's when there is one (as PostHog's player shows), else the events'.
    const recording = rec.start_ms !== null
    const start = recording ? rec.start_ms! : (ev.start_ms ?? 0)
    const end = recording ? rec.end_ms! : (ev.end_ms ?? start)
    const row = {
      id: sessionId,
      // Stored product events decide (latest wins: identified after $identify), whatever the import order.
      distinct_id: ev.distinct_id ?? o.distinctId,
      start_ms: start,
      end_ms: end,
      active_ms: o.activeMs,
      first_url: firstUrl,
      events: ev.n,
      snapshot_events: rec.snaps ?? 0,
      // Product exceptions and recorded console errors usually report the same failures twice;
      // third-party and benign ones are noise, shown muted and never counted.
      errors: Math.max(exceptions, consoleErrors),
      windows,
      source_id: o.sourceId,
      recording: recording ? 1 : 0,
      unplayable: rec.unplayable ?? 0,
    }
    cached(
      this.db,
      `INSERT INTO sessions (id, distinct_id, start_ms, end_ms, active_ms, first_url, events, snapshot_events, errors, windows, source_id, recording, unplayable)
         VALUES (@id, @distinct_id, @start_ms, @end_ms, @active_ms, @first_url, @events, @snapshot_events, @errors, @windows, @source_id, @recording, @unplayable)
         ON CONFLICT(id) DO UPDATE SET distinct_id = coalesce(excluded.distinct_id, sessions.distinct_id), start_ms = excluded.start_ms,
           end_ms = excluded.end_ms, active_ms = excluded.active_ms, first_url = excluded.first_url, events = excluded.events,
           snapshot_events = excluded.snapshot_events, errors = excluded.errors, windows = excluded.windows,
           recording = excluded.recording, unplayable = excluded.unplayable`,
    ).run(row)
  }

  /** Counts a session's errors again (a database from before noise was left out of the count). */
  recountErrors(sessionId: string): void {
    const { exceptions, consoleErrors } = this.errors(sessionId)
    cached(this.db, 'UPDATE sessions SET errors = ? WHERE id = ?').run(Math.max(exceptions, consoleErrors), sessionId)
  }

  /** The session's product exceptions and recorded console errors that are not noise (shared/noise.ts). */
  private errors(sessionId: string): { exceptions: number; consoleErrors: number } {
    const rows = cached(
      this.db,
      `SELECT type, url, exc_message, properties FROM events WHERE session_id = ?
         AND ((origin = 'product' AND type = '$exception') OR (origin = 'rrweb' AND type = 'console_error'))`,
    ).all(sessionId) as { type: string; url: string | null; exc_message: string | null; properties: string }[]
    let exceptions = 0
    let consoleErrors = 0
    for (const r of rows) {
      if (isNoiseEvent({ ...r, http_url: null }, JSON.parse(r.properties) as Record<string, unknown>)) continue
      if (r.type === '$exception') exceptions++
      else consoleErrors++
    }
    return { exceptions, consoleErrors }
  }
}

