// Session filters (parsed by electron/sessions/filter.ts) as a SQL condition on `sessions s`.
// Every value travels as a bound parameter; only column names from the fixed map are spliced in.
import type { Cond, Filter } from '../../shared/session-filter'

const COLUMN: Record<string, string> = {
  url: 'url',
  text: 'el_text',
  el_text: 'el_text',
  selector: 'el_selector',
  el_selector: 'el_selector',
  exc_type: 'exc_type',
  exception: 'exc_type',
  message: 'exc_message',
  exc_message: 'exc_message',
  status: 'http_status',
  http_status: 'http_status',
  method: 'http_method',
  http_method: 'http_method',
  http_url: 'http_url',
  window: 'window_id',
  window_id: 'window_id',
  person: 'distinct_id',
  distinct_id: 'distinct_id',
}

const MEASURE = { duration: '(s.end_ms - s.start_ms)', active: 's.active_ms', errors: 's.errors', events: 's.events' }

/** PostHog detector events that a heuristic flag of ours stands for too. */
const FLAGGED_AS: Record<string, string> = { $rageclick: 'rage_click', $dead_click: 'dead_click' }

/** Errors a user can hit: exceptions, console errors and failed or ≥ 400 HTTP requests. */
const IS_ERROR = `(x.type IN ('$exception', 'console_error') OR x.http_status >= 400)`

export interface SqlCondition {
  sql: string
  params: unknown[]
}

function column(alias: string, property: string): { sql: string; params: unknown[] } {
  const hot = COLUMN[property.toLowerCase()]
  if (hot) return { sql: `${alias}.${hot}`, params: [] }
  // Anything else is a key of the event's properties (a "properties." prefix is optional).
  const key = property.replace(/^properties\./, '')
  return { sql: `json_extract(${alias}.properties, ?)`, params: [`$."${key.replace(/"/g, '')}"`] }
}

function cond(alias: string, c: Cond): SqlCondition {
  const col = column(alias, c.property)
  switch (c.op) {
    case 'contains':
      return { sql: `instr(lower(${col.sql}), lower(?)) > 0`, params: [...col.params, String(c.value)] }
    case '=':
    case '!=': {
      // Compare as text so that 404 matches a status stored as a number or a string.
      const neg = c.op === '!=' ? 'NOT ' : ''
      return { sql: `${neg}(CAST(${col.sql} AS TEXT) = ?)`, params: [...col.params, String(c.value)] }
    }
    default:
      return { sql: `CAST(${col.sql} AS REAL) ${c.op} ?`, params: [...col.params, Number(c.value)] }
  }
}

/** Sessions with an event of this type matching the conditions, as an uncorrelated subquery:
 *  SQLite runs it once over the (type, time) index instead of once per session. */
function eventsOf(event: string, where: Cond[], extra = ''): SqlCondition {
  const parts = where.map((c) => cond('e', c))
  return {
    sql: `s.id IN (SELECT e.session_id FROM events e WHERE ${['e.type = ?', ...parts.map((p) => p.sql)].join(' AND ')}${extra})`,
    params: [event, ...parts.flatMap((p) => p.params)],
  }
}

export function compileFilter(f: Filter): SqlCondition {
  switch (f.kind) {
    case 'and':
    case 'or': {
      const items = f.items.map(compileFilter)
      return { sql: `(${items.map((i) => i.sql).join(f.kind === 'and' ? ' AND ' : ' OR ')})`, params: items.flatMap((i) => i.params) }
    }
    case 'not': {
      const inner = compileFilter(f.item)
      return { sql: `NOT ${inner.sql}`, params: inner.params }
    }
    case 'did': {
      const ev = eventsOf(f.event, f.where)
      // PostHog's own detector events, or our detectors' flag of the same kind: a recording
      // without posthog-js's autocapture has rage clicks too (the Library's "Rage clicks" chip).
      const flagType = FLAGGED_AS[f.event]
      if (!flagType || f.where.length) return ev
      return {
        sql: `(${ev.sql} OR s.id IN (SELECT fl.session_id FROM flags fl WHERE fl.type = ? AND fl.origin = 'heuristic' AND fl.stale = 0 AND fl.status != 'denied'))`,
        params: [...ev.params, flagType],
      }
    }
    case 'error_after': {
      const e = eventsOf(f.event, f.where, ` AND EXISTS (SELECT 1 FROM events x WHERE x.session_id = e.session_id
          AND x.time_ms >= e.time_ms AND x.time_ms <= e.time_ms + ? AND ${IS_ERROR})`)
      return { sql: e.sql, params: [...e.params, f.within_ms] }
    }
    case 'measure':
      return { sql: `${MEASURE[f.measure]} ${f.op} ?`, params: [f.value] }
    case 'visited':
      return {
        sql: `(instr(lower(s.first_url), lower(?)) > 0 OR s.id IN (SELECT e.session_id FROM events e WHERE instr(lower(e.url), lower(?)) > 0))`,
        params: [f.url, f.url],
      }
  }
}
