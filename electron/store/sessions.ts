import type { Database } from 'better-sqlite3'
import type { SessionRow } from '../../shared/model'

export interface ListQuery {
  q?: string | undefined
  sort: 'start_ms' | 'duration_ms' | 'active_ms' | 'events' | 'errors' | 'first_url'
  dir: 'asc' | 'desc'
  limit: number
  offset: number
}

const COLUMNS = `id, distinct_id, start_ms, end_ms, end_ms - start_ms AS duration_ms, active_ms, first_url,
  events, snapshot_events, errors, windows, source_id`

export class SessionQueries {
  constructor(private readonly db: Database) {}

  list(query: ListQuery): { rows: SessionRow[]; total: number } {
    // The sort column comes from a zod enum, never from free text; still, map it explicitly.
    const sort = { start_ms: 'start_ms', duration_ms: 'duration_ms', active_ms: 'active_ms', events: 'events', errors: 'errors', first_url: 'first_url' }[query.sort]
    const dir = query.dir === 'asc' ? 'ASC' : 'DESC'
    const where = query.q ? `WHERE id LIKE @q ESCAPE '\\' OR first_url LIKE @q ESCAPE '\\' OR distinct_id LIKE @q ESCAPE '\\'` : ''
    const params = { q: query.q ? `%${query.q.replace(/[\\%_]/g, (c) => '\\' + c)}%` : null, limit: query.limit, offset: query.offset }
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM sessions ${where} ORDER BY ${sort} ${dir}, id LIMIT @limit OFFSET @offset`)
      .all(params) as SessionRow[]
    const { n } = this.db.prepare(`SELECT count(*) AS n FROM sessions ${where}`).get(params) as { n: number }
    return { rows, total: n }
  }

  get(id: string): SessionRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`).get(id) as SessionRow | undefined
  }
}
