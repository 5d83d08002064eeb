// Which recordings match: PostHog's recordings list (GET /api/projects/:id/session_recordings/,
// session_recording_api.py list → RecordingsQuery, session_recording_list_from_query.py) or a
// HogQL query whose rows carry session ids.
//
// The list takes its filters as query parameters, each JSON-encoded (filter_from_params_to_query):
// date_from (default '-3d', so it is always sent), date_to, distinct_ids, events, properties,
// having_predicates, operand. It is ordered by start_time, then session_id, ASC here so that a sync
// point only moves forward; pages come by cursor (HogQLCursorPaginator: `after` = base64 of
// {"order_value", "secondary_value"}, the answer's `next_cursor`), and by offset on servers that
// answer `has_next` without a cursor. Requests count against the recording endpoints' limits.
//
// The Library's filter language maps where PostHog's list can answer it (README "Pull by query"):
//   did EVENT [where P OP V …]  → events: [{id: EVENT, properties: […]}]   (person = X → distinct_ids)
//   visited TEXT                → properties: [$current_url icontains TEXT]
//   duration|active OP D        → having_predicates duration|active_seconds (seconds)
//   errors OP N                 → having_predicates console_error_count
//   a and b                     → all of them; a or b → operand OR (predicates of one kind only)
// Everything else (not, error within, events OP N, Sightline's derived events) is refused with why.
import type { Cond, Filter } from '../../shared/session-filter'
import { UserError } from '../errors'
import type { PosthogHttp } from './http'
import { jsonBody } from './json'

interface PropertyFilter {
  key: string
  type: 'event' | 'person' | 'recording'
  operator: string
  value: string | number | (string | number)[]
}

export interface RecordingsQuery {
  date_from?: string
  date_to?: string
  distinct_ids?: string[]
  events?: { id: string; name: string; type: 'events'; order: number; properties: PropertyFilter[] }[]
  properties?: PropertyFilter[]
  having_predicates?: PropertyFilter[]
  operand?: 'AND' | 'OR'
}

export interface Listed {
  id: string
  start_time: string
  end_time: string | null
  duration: number | null
  distinct_id: string | null
  start_url: string | null
  console_error_count: number | null
  ongoing: boolean
}

/** Sightline's events made from recordings, which PostHog does not have. */
const DERIVED = new Set(['click', 'input', 'navigation', 'console_error', 'network'])
const OPS: Record<string, string> = { '=': 'exact', '!=': 'is_not', contains: 'icontains', '>': 'gt', '<': 'lt', '>=': 'gte', '<=': 'lte' }
const PROPERTY_KEYS: Record<string, string> = { url: '$current_url', text: '$el_text', exc_type: '$exception_type', message: '$exception_message', window: '$window_id' }

const refuse = (what: string, why: string) =>
  new UserError(`The filter's ${what} cannot be asked of PostHog's recordings list (${why}). Pull with a simpler filter (or --hogql), then filter in the Library.`, 'invalid_request')

/** The Library filter as RecordingsQuery filters (without dates). */
export function queryOfFilter(f: Filter): RecordingsQuery {
  const q: Required<Pick<RecordingsQuery, 'events' | 'properties' | 'having_predicates'>> & RecordingsQuery = { events: [], properties: [], having_predicates: [] }
  const items = f.kind === 'and' || f.kind === 'or' ? f.items : [f]
  if (f.kind === 'or') {
    if (items.some((i) => i.kind !== 'did' && i.kind !== 'visited')) throw refuse('"or"', 'PostHog joins event and URL filters with OR, but durations and counts always with AND')
    q.operand = 'OR'
  }
  for (const item of items) add(q, item)
  return q
}

function add(q: Required<Pick<RecordingsQuery, 'events' | 'properties' | 'having_predicates'>> & RecordingsQuery, f: Filter): void {
  switch (f.kind) {
    case 'and':
    case 'or':
      throw refuse('nested and/or', 'the list takes one level of AND or OR')
    case 'not':
      throw refuse('"not"', 'Sightline does not map negations onto it')
    case 'error_after':
      throw refuse('"error within … after"', 'it has no time-ordered event conditions')
    case 'visited':
      q.properties.push({ key: '$current_url', type: 'event', operator: 'icontains', value: f.url })
      return
    case 'measure': {
      if (f.measure === 'events') throw refuse('"events"', 'it does not count events')
      const key = f.measure === 'duration' ? 'duration' : f.measure === 'active' ? 'active_seconds' : 'console_error_count'
      const n = f.measure === 'errors' ? f.value : f.value / 1000
      // PostHog's recording filters compare with gt, lt and exact; ≥ and ≤ become gt/lt one below/above.
      const [operator, value] = f.op === '>=' ? ['gt', n - 1] : f.op === '<=' ? ['lt', n + 1] : f.op === '!=' ? [null, n] : [OPS[f.op]!, n]
      if (!operator) throw refuse(`"${f.measure} !="`, 'it has no "not equal" for durations and counts')
      q.having_predicates.push({ key, type: 'recording', operator, value: Math.round(Number(value)) })
      return
    }
    case 'did': {
      if (DERIVED.has(f.event)) throw refuse(`event "${f.event}"`, `"${f.event}" is an event Sightline derives from the recording; PostHog's are $pageview, $autocapture, $rageclick, $exception, …`)
      const properties: PropertyFilter[] = []
      for (const c of f.where) {
        if (c.property === 'person') {
          if (c.op !== '=') throw refuse('"person" condition', 'a person is matched by equality')
          q.distinct_ids = [...(q.distinct_ids ?? []), String(c.value)]
        } else properties.push(propertyOf(c))
      }
      q.events.push({ id: f.event, name: f.event, type: 'events', order: q.events.length, properties })
      return
    }
  }
}

function propertyOf(c: Cond): PropertyFilter {
  if (['status', 'method', 'http_url', 'selector'].includes(c.property)) throw refuse(`"${c.property}" condition`, 'it is a property of events Sightline derives from the recording')
  const key = PROPERTY_KEYS[c.property] ?? c.property.replace(/^properties\./, '')
  return { key, type: 'event', operator: OPS[c.op]!, value: c.value }
}

/** Query parameters as PostHog's list reads them (each value JSON-encoded, strings as they are). */
export function listParams(q: RecordingsQuery, page: { limit: number; after?: string | null; offset?: number }): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue
    p.set(k, typeof v === 'string' ? v : JSON.stringify(v))
  }
  p.set('order', 'start_time')
  p.set('order_direction', 'ASC')
  p.set('limit', String(page.limit))
  if (page.offset !== undefined) p.set('offset', String(page.offset))
  else if (page.after) p.set('after', page.after)
  return p.toString()
}

/** A cursor in PostHog's form that resumes the (ASC) list after this row. */
export const cursorAfter = (row: Pick<Listed, 'id' | 'start_time'>) => Buffer.from(JSON.stringify({ order_value: row.start_time, secondary_value: row.id })).toString('base64')

/** A place in the (ASC) list: a recording's start and id. */
export interface Position {
  t: number
  id: string
}

/** The (start, id) a cursor of cursorAfter() points after; null when it is not one. */
export function positionOf(cursor: string): Position | null {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { order_value?: unknown; secondary_value?: unknown }
    const t = Date.parse(String(c.order_value))
    return Number.isNaN(t) ? null : { t, id: String(c.secondary_value ?? '') }
  } catch {
    return null
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : null)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** Pages of matching recordings after `after` (a cursor from cursorAfter), oldest first. */
export async function* listRecordings(http: PosthogHttp, projectPath: string, q: RecordingsQuery, o: { pageSize: number; after: string | null; what: string }): AsyncGenerator<Listed[]> {
  let after = o.after
  let offset: number | undefined
  for (let page = 0; page < 100_000; page++) {
    const body = (await http.request(o.what, `${projectPath}/session_recordings/?${listParams(q, { limit: o.pageSize, after, offset })}`, { scope: 'recording' }, jsonBody)) as {
      results?: unknown
      has_next?: unknown
      next_cursor?: unknown
    }
    if (!Array.isArray(body.results)) throw new UserError(`PostHog answered ${o.what} without a list of results.`)
    const rows: Listed[] = []
    for (const r of body.results as Record<string, unknown>[]) {
      const id = str(r.id) ?? str(r.session_id)
      const start = str(r.start_time)
      if (!id || !start) continue
      rows.push({ id, start_time: start, end_time: str(r.end_time), duration: num(r.recording_duration) ?? num(r.duration), distinct_id: str(r.distinct_id), start_url: str(r.start_url), console_error_count: num(r.console_error_count), ongoing: r.ongoing === true })
    }
    yield rows
    if (body.has_next !== true || rows.length === 0) return
    if (typeof body.next_cursor === 'string' && body.next_cursor) {
      after = body.next_cursor
    } else {
      // Servers before cursor pagination: has_next with offsets.
      offset = (offset ?? 0) + rows.length
    }
  }
}

/** Session ids from a HogQL query's rows (a `session_id` or `$session_id` column). */
export async function sessionsOfHogql(http: PosthogHttp, projectPath: string, hogql: string, what: string): Promise<string[]> {
  const body = { query: { kind: 'HogQLQuery', query: hogql }, name: 'sightline pull --hogql' }
  const answer = (await http.request(what, `${projectPath}/query/`, { method: 'POST', body, scope: 'query' }, jsonBody)) as { results?: unknown; columns?: unknown; hasMore?: unknown }
  const columns = Array.isArray(answer.columns) ? (answer.columns as unknown[]).map(String) : []
  const at = columns.findIndex((c) => c === 'session_id' || c === '$session_id' || c === 'properties.$session_id')
  if (at < 0) throw new UserError(`The --hogql query's rows have no session_id column (its columns: ${columns.join(', ') || 'none'}); select session_id, e.g. SELECT session_id FROM session_replay_events WHERE … GROUP BY session_id LIMIT 1000.`, 'invalid_request')
  if (answer.hasMore === true) throw new UserError('The --hogql query has more rows than PostHog returns without a LIMIT (100); add LIMIT n (at most 50,000) to the query.', 'invalid_request')
  const ids = (Array.isArray(answer.results) ? (answer.results as unknown[][]) : []).map((r) => r[at]).filter((v): v is string => typeof v === 'string' && /^[\w-]{1,200}$/.test(v))
  return [...new Set(ids)]
}
