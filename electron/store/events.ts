import type { Database } from 'better-sqlite3'
import type { EventRecord } from './staging'

export interface EventRow extends EventRecord {
  id: number
  source_id: number | null
}

const COLS = `uuid, origin, session_id, window_id, time_ms, type, distinct_id, url, el_text, el_selector,
  exc_type, exc_message, http_status, http_method, http_url, properties`

/** Product events and events derived from recordings, with their hot columns. */
export class EventQueries {
  constructor(private readonly db: Database) {}

  /** Inserts what is new (by uuid); returns how many rows landed. */
  insertMany(events: EventRecord[], sourceId: number): number {
    const ins = this.db.prepare(
      `INSERT OR IGNORE INTO events (${COLS}, source_id) VALUES (@uuid, @origin, @session_id, @window_id, @time_ms, @type,
        @distinct_id, @url, @el_text, @el_selector, @exc_type, @exc_message, @http_status, @http_method, @http_url, @properties, @source_id)`,
    )
    let n = 0
    for (const e of events) n += ins.run({ ...e, source_id: sourceId }).changes
    return n
  }

  /** Copies a staging table's events of one origin in one statement; returns how many were new. */
  insertFromStaging(stagingTable: string, origin: 'product' | 'rrweb', sourceId: number): number {
    return this.db
      .prepare(`INSERT OR IGNORE INTO events (${COLS}, source_id) SELECT ${COLS}, ? FROM temp.${stagingTable} WHERE origin = ? ORDER BY time_ms`)
      .run(sourceId, origin).changes
  }

  stagedCount(stagingTable: string, origin: 'product' | 'rrweb'): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM temp.${stagingTable} WHERE origin = ?`).get(origin) as { n: number }).n
  }

  /** Staged derived events of a window that is being merged (they are recomputed instead). */
  dropStagedDerived(stagingTable: string, sessionId: string, windowId: string): void {
    this.db.prepare(`DELETE FROM temp.${stagingTable} WHERE origin = 'rrweb' AND session_id = ? AND window_id = ?`).run(sessionId, windowId)
  }

  /** Renames a window id inside a staging table (a window matched to one stored under another id). */
  renameStagedWindow(stagingTable: string, sessionId: string, from: string, to: string): void {
    this.db.prepare(`UPDATE temp.${stagingTable} SET window_id = ? WHERE session_id = ? AND window_id = ?`).run(to, sessionId, from)
  }

  stagedWindows(stagingTable: string): { session_id: string; window_id: string }[] {
    return this.db
      .prepare(`SELECT DISTINCT session_id, window_id FROM temp.${stagingTable} WHERE origin = 'product' AND session_id IS NOT NULL AND window_id IS NOT NULL`)
      .all() as { session_id: string; window_id: string }[]
  }

  stagedSessions(stagingTable: string): { session_id: string; distinct_id: string | null }[] {
    return this.db
      // The latest distinct id: after an $identify it is the person's, not the anonymous device's.
      .prepare(
        `SELECT session_id, (SELECT e2.distinct_id FROM temp.${stagingTable} e2 WHERE e2.session_id = e.session_id AND e2.origin = 'product'
           AND e2.distinct_id IS NOT NULL ORDER BY e2.time_ms DESC LIMIT 1) AS distinct_id
         FROM temp.${stagingTable} e WHERE origin = 'product' AND session_id IS NOT NULL GROUP BY session_id`,
      )
      .all() as { session_id: string; distinct_id: string | null }[]
  }

  /** Window ids of a session's product events, by their first event: the order tabs opened. */
  windowsByFirstEvent(sessionId: string): string[] {
    return (
      this.db
        .prepare(
          `SELECT window_id FROM events WHERE session_id = ? AND origin = 'product' AND window_id IS NOT NULL
           GROUP BY window_id ORDER BY min(time_ms)`,
        )
        .all(sessionId) as { window_id: string }[]
    ).map((r) => r.window_id)
  }

  deleteDerived(sessionId: string, windowId: string): void {
    this.db.prepare(`DELETE FROM events WHERE origin = 'rrweb' AND session_id = ? AND window_id = ?`).run(sessionId, windowId)
  }

  bySession(sessionId: string, opts: { origin?: 'product' | 'rrweb'; type?: string } = {}): EventRow[] {
    return this.db
      .prepare(
        `SELECT * FROM events WHERE session_id = @sid AND (@origin IS NULL OR origin = @origin) AND (@type IS NULL OR type = @type)
         ORDER BY time_ms, id`,
      )
      .all({ sid: sessionId, origin: opts.origin ?? null, type: opts.type ?? null }) as EventRow[]
  }

  countBySource(sourceId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM events WHERE source_id = ?').get(sourceId) as { n: number }).n
  }
}
