// A session's product events through PostHog's query API (HogQL), paged on (timestamp, uuid).
// PostHog refuses OFFSET on any query made with a personal API key, OFFSET 0 included
// (posthog/hogql/user_query_validator.py OFFSET_NOT_ALLOWED_MESSAGE: "use keyset pagination on the
// `timestamp` column"), and answers `hasMore: null` when the query has its own LIMIT (its
// HogQLHasMorePaginator only runs for queries without one: posthog/hogql_queries/hogql_query_runner.py),
// so the end is a page shorter than the LIMIT. LIMIT may go up to 50,000 (posthog/hogql/constants.py
// MAX_SELECT_RETURNED_ROWS). Timestamps come back as ISO text with microseconds (or none when they
// are zero) and are passed back verbatim into the next page's condition, so no precision is lost.
import { UserError } from '../errors'
import type { PosthogHttp } from './http'
import { jsonBody } from './json'

const COLUMNS = ['uuid', 'event', 'timestamp', 'distinct_id', 'properties', 'elements_chain']
/** What the next page's condition may quote: ISO date-time text and UUIDs, nothing else. */
export const ISO = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)?$/
export const UUID = /^[0-9a-fA-F-]{32,36}$/
const MAX_PAGES = 10_000

export interface EventsQuery {
  http: PosthogHttp
  /** `${apiBase}/api/projects/<id>` */
  projectPath: string
  /** One session, or several (a pull by query fetches the events of a page of recordings at once). */
  sessionId: string | string[]
  /** Recording start and end (ISO), to keep the query on few partitions. */
  window: { start?: unknown; end?: unknown }
  pageSize: number
  what: string
  signal?: AbortSignal | undefined
  /** Each event as a capture-event JSON line, with its session. */
  onEvent: (line: string, sessionId: string) => Promise<void>
  onPage?: (pages: number, events: number) => void
}

/** The HogQL of one page; `after` is the last row of the previous page. */
export function eventsQuery(sessionId: string | string[], window: EventsQuery['window'], pageSize: number, after: { timestamp: string; uuid: string } | null): string {
  const ids = Array.isArray(sessionId) ? sessionId : [sessionId]
  for (const id of ids) if (!/^[\w-]{1,200}$/.test(id)) throw new UserError(`Session id ${JSON.stringify(id)} has characters a session id cannot have.`)
  const conds = [ids.length === 1 ? `properties.$session_id = '${ids[0]}'` : `properties.$session_id IN (${ids.map((id) => `'${id}'`).join(', ')})`, ...timeWindow(window)]
  if (after) {
    const t = `toDateTime('${after.timestamp}', 6, 'UTC')`
    conds.push(`(timestamp > ${t} OR (timestamp = ${t} AND toString(uuid) > '${after.uuid}'))`)
  }
  return `SELECT ${COLUMNS.join(', ')} FROM events WHERE ${conds.join(' AND ')} ORDER BY timestamp ASC, toString(uuid) ASC LIMIT ${pageSize}`
}

/** Fetches every page; returns the number of events written. */
export async function pullEvents(q: EventsQuery): Promise<number> {
  let after: { timestamp: string; uuid: string } | null = null
  let count = 0
  for (let pages = 1; pages <= MAX_PAGES; pages++) {
    const body = { query: { kind: 'HogQLQuery', query: eventsQuery(q.sessionId, q.window, q.pageSize, after) }, name: 'sightline pull' }
    const answer = (await q.http.request(q.what, `${q.projectPath}/query/`, { method: 'POST', body, scope: 'query' }, jsonBody)) as { results?: unknown; columns?: unknown }
    const rows = Array.isArray(answer.results) ? (answer.results as unknown[]) : []
    const columns = Array.isArray(answer.columns) ? (answer.columns as string[]) : COLUMNS
    for (const row of rows) {
      const line = eventLine(row, columns)
      if (line) {
        await q.onEvent(line.text, line.sessionId)
        count++
      }
    }
    q.onPage?.(pages, count)
    if (rows.length < q.pageSize) return count
    const last = rows[rows.length - 1] as unknown[]
    const timestamp = last[columns.indexOf('timestamp')]
    const uuid = last[columns.indexOf('uuid')]
    if (typeof timestamp !== 'string' || !ISO.test(timestamp) || typeof uuid !== 'string' || !UUID.test(uuid)) {
      throw new UserError(`PostHog answered ${q.what} with a row whose timestamp or uuid (${JSON.stringify(timestamp)}, ${JSON.stringify(uuid)}) cannot mark where the next page starts.`)
    }
    after = { timestamp, uuid }
  }
  throw new UserError(`${q.what} did not end after ${MAX_PAGES} pages of ${q.pageSize}; Sightline stopped.`)
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A HogQL row as a capture event line (properties arrive as a JSON string). */
export function eventLine(row: unknown, columns: string[]): { text: string; sessionId: string } | null {
  if (!Array.isArray(row)) return null
  const get = (c: string) => row[columns.indexOf(c)]
  let props = get('properties')
  if (typeof props === 'string') {
    try {
      props = JSON.parse(props)
    } catch {
      props = {}
    }
  }
  const ev = {
    uuid: get('uuid'),
    event: get('event'),
    timestamp: get('timestamp'),
    distinct_id: get('distinct_id'),
    properties: isObj(props) ? props : {},
    ...(typeof get('elements_chain') === 'string' && get('elements_chain') ? { elements_chain: get('elements_chain') } : {}),
  }
  return typeof ev.event === 'string' && ev.event ? { text: JSON.stringify(ev) + '\n', sessionId: String(ev.properties.$session_id ?? '') } : null
}

/** Events of a session lie near its recording: a day either side keeps the query on few partitions. */
function timeWindow(meta: EventsQuery['window']): string[] {
  const start = typeof meta.start === 'string' ? Date.parse(meta.start) : NaN
  const end = typeof meta.end === 'string' ? Date.parse(meta.end) : NaN
  if (Number.isNaN(start) || Number.isNaN(end)) return []
  const day = 86_400_000
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z'
  return [`timestamp >= toDateTime('${iso(start - day)}')`, `timestamp <= toDateTime('${iso(end + day)}')`]
}
