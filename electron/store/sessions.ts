import type { Database } from 'better-sqlite3'
import type { SessionRow } from '../../shared/model'
import type { Filter } from '../../shared/session-filter'
import { compileFilter } from './session-filter'

export interface ListQuery {
  q?: string | undefined
  filter?: Filter | undefined
  sort: 'start_ms' | 'duration_ms' | 'active_ms' | 'events' | 'errors' | 'first_url' | 'flags'
  dir: 'asc' | 'desc'
  limit: number
  offset: number
}

const COLUMNS = `id, distinct_id, start_ms, end_ms, end_ms - start_ms AS duration_ms, active_ms, first_url,
  events, snapshot_events, errors, windows, source_id,
  (SELECT count(*) FROM flags f WHERE f.session_id = s.id AND f.origin = 'heuristic' AND f.blocking = 1 AND f.stale = 0 AND f.status != 'denied') AS flags`

export class SessionQueries {
  constructor(private readonly db: Database) {}

  list(query: ListQuery): { rows: SessionRow[]; total: number } {
    // The sort column comes from a zod enum, never from free text; still, map it explicitly.
    const sort = { start_ms: 'start_ms', duration_ms: '(end_ms - start_ms)', active_ms: 'active_ms', events: 'events', errors: 'errors', first_url: 'first_url', flags: 'flags' }[query.sort]
    const dir = query.dir === 'asc' ? 'ASC' : 'DESC'
    const conds: string[] = []
    const params: unknown[] = []
    if (query.q) {
      conds.push(`(s.id LIKE ? ESCAPE '\\' OR s.first_url LIKE ? ESCAPE '\\' OR s.distinct_id LIKE ? ESCAPE '\\')`)
      const like = `%${query.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`
      params.push(like, like, like)
    }
    if (query.filter) {
      const f = compileFilter(query.filter)
      conds.push(f.sql)
      params.push(...f.params)
    }
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : ''
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM sessions s ${where} ORDER BY ${sort} ${dir}, id LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as SessionRow[]
    const { n } = this.db.prepare(`SELECT count(*) AS n FROM sessions s ${where}`).get(...params) as { n: number }
    return { rows, total: n }
  }

  get(id: string): SessionRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM sessions s WHERE s.id = ?`).get(id) as SessionRow | undefined
  }

  /** Which version of the offline detectors found the session's flags (null: never run). */
  detectorVersion(id: string): number | null {
    const r = this.db.prepare('SELECT detector_version AS v FROM sessions WHERE id = ?').get(id) as { v: number | null } | undefined
    return r?.v ?? null
  }

  setDetectorVersion(id: string, version: number): void {
    this.db.prepare('UPDATE sessions SET detector_version = ? WHERE id = ?').run(version, id)
  }

  /** Sessions whose flags were found by another version of the detectors, or never. */
  staleDetections(version: number): string[] {
    return (this.db.prepare('SELECT id FROM sessions WHERE detector_version IS NOT ? ORDER BY start_ms').all(version) as { id: string }[]).map((r) => r.id)
  }
}
