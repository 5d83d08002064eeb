import type { Database } from 'better-sqlite3'
import type { TraceRow } from '../../shared/model'

export interface TraceListQuery {
  q?: string | undefined
  session?: string | undefined
  sort: 'start_ms' | 'spans' | 'name'
  dir: 'asc' | 'desc'
  limit: number
  offset: number
}

const COLUMNS = 'id, name, start_ms, spans, input_tokens, output_tokens, cost_usd, error, session_id'

export class TraceQueries {
  constructor(private readonly db: Database) {}

  list(query: TraceListQuery): { rows: TraceRow[]; total: number } {
    const sort = { start_ms: 'start_ms', spans: 'spans', name: 'name' }[query.sort]
    const dir = query.dir === 'asc' ? 'ASC' : 'DESC'
    const conds: string[] = []
    if (query.q) conds.push(`(id LIKE @q ESCAPE '\\' OR name LIKE @q ESCAPE '\\')`)
    if (query.session) conds.push('session_id = @session')
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : ''
    const params = {
      q: query.q ? `%${query.q.replace(/[\\%_]/g, (c) => '\\' + c)}%` : null,
      session: query.session ?? null,
      limit: query.limit,
      offset: query.offset,
    }
    const rows = (
      this.db
        .prepare(`SELECT ${COLUMNS} FROM traces ${where} ORDER BY ${sort} ${dir}, id LIMIT @limit OFFSET @offset`)
        .all(params) as (Omit<TraceRow, 'error'> & { error: number })[]
    ).map((r) => ({ ...r, error: r.error !== 0 }))
    const { n } = this.db.prepare(`SELECT count(*) AS n FROM traces ${where}`).get(params) as { n: number }
    return { rows, total: n }
  }
}
