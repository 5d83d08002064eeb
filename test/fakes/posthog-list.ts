// The recordings list of the fake PostHog API, written from PostHog's server code:
// GET /api/projects/:id/session_recordings/ (session_recording_api.py list → filter_from_params_to_query:
// every query parameter JSON-decoded when it parses, then RecordingsQuery; the query runs in
// session_recording_list_from_query.py over session_replay_events):
// - date_from defaults to '-3d' (RecordingsQuery), relative ('-7d', '-12h') or ISO; date_to; both on
//   the recording's start (min_first_timestamp);
// - order (start_time, duration, console_error_count, active_seconds) and order_direction (DESC by
//   default), session_id as the tie-breaker;
// - pagination: a cursor by default (HogQLCursorPaginator: LIMIT+1 rows, `after` = base64 of
//   {"order_value", "secondary_value"}, a tuple comparison on (order field, session_id)), OFFSET only
//   when `offset` is given; `{results, has_next, next_cursor, version: 4}`;
// - filters: distinct_ids, session_ids, events [{id, type: 'events', properties}], properties
//   (event properties of any event of the session; person; recording), having_predicates
//   (recording duration, active_seconds, console_error_count), operand AND/OR.
// Also synthetic recordings (tiny but valid rrweb), so a list can have 10,000 of them.
import type { FakeRecording } from './posthog-api'

export interface PropFilter {
  key: string
  type?: string
  operator?: string
  value?: unknown
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A relative date ('-7d', '-12h', '-30m', 'all') or ISO text → ms; null when absent; throws when unparseable. */
export function dateParam(v: string | null, now: number): number | null {
  if (v === null || v === '' || v === 'all') return null
  const rel = /^-(\d+)([hdwmy]|M)$/.exec(v)
  if (rel) {
    const n = Number(rel[1])
    const unit = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, m: 60_000, M: 30 * 86_400_000, y: 365 * 86_400_000 }[rel[2]!]!
    return now - n * unit
  }
  const t = Date.parse(v)
  if (Number.isNaN(t)) throw new Error(`Invalid date: ${v}`)
  return t
}

function matchValue(actual: unknown, operator: string, value: unknown): boolean {
  const vals = Array.isArray(value) ? value : [value]
  const s = actual === undefined || actual === null ? null : String(actual)
  switch (operator) {
    case 'exact':
      return s !== null && vals.some((v) => String(v) === s)
    case 'is_not':
      return s === null || !vals.some((v) => String(v) === s)
    case 'icontains':
      return s !== null && vals.some((v) => s.toLowerCase().includes(String(v).toLowerCase()))
    case 'not_icontains':
      return s === null || !vals.some((v) => s.toLowerCase().includes(String(v).toLowerCase()))
    case 'gt':
      return s !== null && Number(s) > Number(vals[0])
    case 'lt':
      return s !== null && Number(s) < Number(vals[0])
    case 'gte':
      return s !== null && Number(s) >= Number(vals[0])
    case 'lte':
      return s !== null && Number(s) <= Number(vals[0])
    case 'is_set':
      return s !== null
    case 'is_not_set':
      return s === null
    default:
      throw new Error(`operator ${operator} is not known to the fake`)
  }
}

export interface Summary {
  id: string
  distinct_id: string | null
  start: number
  end: number
  duration: number
  active_seconds: number
  console_error_count: number
  start_url: string | null
}

export function summaryOf(r: FakeRecording): Summary {
  const start = Date.parse(r.start_time)
  const end = Date.parse(r.end_time)
  const errors = r.events.filter((e) => e.event === '$exception').length
  const firstUrl = r.events.map((e) => (e.properties as Record<string, unknown>)?.$current_url).find((u) => typeof u === 'string') as string | undefined
  const duration = Math.round((end - start) / 1000)
  return { id: r.sessionId, distinct_id: r.distinct_id, start, end, duration, active_seconds: Math.min(duration, 5), console_error_count: errors, start_url: firstUrl ?? null }
}

/** One row as SessionRecordingSerializer writes it. */
export function serialize(s: Summary, now: number): Record<string, unknown> {
  return {
    id: s.id,
    distinct_id: s.distinct_id,
    viewed: false,
    viewers: [],
    recording_duration: s.duration,
    active_seconds: s.active_seconds,
    inactive_seconds: s.duration - s.active_seconds,
    start_time: new Date(s.start).toISOString(),
    end_time: new Date(s.end).toISOString(),
    click_count: 0,
    keypress_count: 0,
    mouse_activity_count: 0,
    console_log_count: 0,
    console_warn_count: 0,
    console_error_count: s.console_error_count,
    start_url: s.start_url,
    person: { id: 1, name: s.distinct_id, distinct_ids: [s.distinct_id], properties: {} },
    storage: 'object_storage',
    snapshot_source: 'web',
    ongoing: s.end >= now - 5 * 60_000,
    activity_score: 0,
  }
}

const parseJson = (v: string | null): unknown => {
  if (v === null) return undefined
  try {
    return JSON.parse(v) as unknown
  } catch {
    return v
  }
}

/** The list answer, or an error [status, detail]. */
export function listRecordings(all: FakeRecording[], u: URL, now: number): { body: unknown } | { error: [number, string] } {
  const p = (k: string) => u.searchParams.get(k)
  let from: number | null
  let to: number | null
  try {
    from = dateParam(p('date_from') ?? '-3d', now)
    to = dateParam(p('date_to'), now)
  } catch (e) {
    return { error: [400, (e as Error).message] }
  }
  const order = p('order') ?? 'start_time'
  if (!['start_time', 'duration', 'console_error_count', 'active_seconds'].includes(order)) return { error: [400, `Invalid order: ${order}`] }
  const dir = p('order_direction') ?? 'DESC'
  if (dir !== 'ASC' && dir !== 'DESC') return { error: [400, `Invalid order_direction: ${dir}`] }
  const limit = Number(p('limit') ?? 50) || 50
  const distinctIds = parseJson(p('distinct_ids'))
  const sessionIds = parseJson(p('session_ids'))
  const events = (parseJson(p('events')) ?? []) as { id?: string; properties?: PropFilter[] }[]
  const properties = (parseJson(p('properties')) ?? []) as PropFilter[]
  const having = (parseJson(p('having_predicates')) ?? []) as PropFilter[]
  const operand = p('operand') ?? 'AND'
  if (!Array.isArray(events) || !Array.isArray(properties) || !Array.isArray(having)) return { error: [400, 'events, properties and having_predicates must be JSON lists'] }

  const orderValue = (s: Summary): number | string => (order === 'start_time' ? s.start : order === 'duration' ? s.duration : order === 'active_seconds' ? s.active_seconds : s.console_error_count)
  let rows: { s: Summary; r: FakeRecording }[]
  try {
    rows = all
      .map((r) => ({ s: summaryOf(r), r }))
      .filter(({ s, r }) => {
        if (from !== null && s.start < from) return false
        if (to !== null && s.start > to) return false
        if (Array.isArray(distinctIds) && !distinctIds.includes(s.distinct_id)) return false
        if (Array.isArray(sessionIds) && !sessionIds.includes(s.id)) return false
        const props = (e: Record<string, unknown>) => (isObj(e.properties) ? e.properties : {})
        const optional: boolean[] = []
        for (const ev of events) optional.push(r.events.some((e) => (!ev.id || e.event === ev.id) && (ev.properties ?? []).every((f) => matchValue(props(e)[f.key], f.operator ?? 'exact', f.value))))
        for (const f of properties) {
          if (f.type === 'person') optional.push(f.key === 'distinct_id' ? matchValue(s.distinct_id, f.operator ?? 'exact', f.value) : false)
          else optional.push(r.events.some((e) => matchValue(props(e)[f.key], f.operator ?? 'exact', f.value)))
        }
        if (optional.length && !(operand === 'AND' ? optional.every(Boolean) : optional.some(Boolean))) return false
        for (const h of having) {
          const v = h.key === 'duration' ? s.duration : h.key === 'active_seconds' ? s.active_seconds : h.key === 'console_error_count' ? s.console_error_count : undefined
          if (v === undefined) throw new Error(`having predicate ${h.key} is not known to the fake`)
          if (!matchValue(v, h.operator ?? 'exact', h.value)) return false
        }
        return true
      })
  } catch (e) {
    return { error: [400, (e as Error).message] }
  }
  const sign = dir === 'ASC' ? 1 : -1
  rows.sort((a, b) => sign * (Number(orderValue(a.s)) - Number(orderValue(b.s)) || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0)))

  const offset = p('offset')
  let page: typeof rows
  let hasNext: boolean
  let next: string | null = null
  if (offset !== null) {
    const o = Number(offset) || 0
    page = rows.slice(o, o + limit)
    hasNext = rows.length > o + limit
  } else {
    const after = p('after')
    let rest = rows
    if (after) {
      let c: { order_value?: unknown; secondary_value?: unknown }
      try {
        c = JSON.parse(Buffer.from(after, 'base64').toString('utf8')) as typeof c
      } catch {
        return { error: [400, 'Invalid cursor format'] }
      }
      const ov = order === 'start_time' ? Date.parse(String(c.order_value)) : Number(c.order_value)
      const sv = String(c.secondary_value)
      // (order field, session_id) < or > the cursor's, as a tuple
      rest = rows.filter(({ s }) => {
        const v = Number(orderValue(s))
        return dir === 'ASC' ? v > ov || (v === ov && s.id > sv) : v < ov || (v === ov && s.id < sv)
      })
    }
    page = rest.slice(0, limit)
    hasNext = rest.length > limit
    const last = page[page.length - 1]
    if (hasNext && last) {
      // Python's isoformat of the ClickHouse DateTime64: +00:00, microseconds only when non-zero
      const ov = order === 'start_time' ? new Date(last.s.start).toISOString().replace(/\.000Z$/, 'Z').replace('Z', '+00:00').replace(/\.(\d{3})\+/, '.$1000+') : orderValue(last.s)
      next = Buffer.from(JSON.stringify({ order_value: ov, secondary_value: last.s.id })).toString('base64')
    }
  }
  return { body: { results: page.map(({ s }) => serialize(s, now)), has_next: hasNext, next_cursor: next, version: 4 } }
}

/**
 * A small but whole recording: Meta, a full snapshot, one mouse move; a $pageview, and an
 * $exception in every `errorsEvery`-th. Session ids sort in creation order (UUIDv7-like).
 */
export function syntheticRecording(i: number, projectId: string, startMs: number, opts: { errorsEvery?: number; person?: string } = {}): FakeRecording {
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0')
  const sessionId = `0190${hex(Math.floor(startMs / 1000), 8).slice(-8)}-${hex(i >> 16, 4)}-7${hex(i & 0xfff, 3)}-8000-${hex(i, 12)}`
  const wid = `w-${hex(i, 6)}`
  const t = startMs
  const html = { type: 2, tagName: 'html', attributes: {}, childNodes: [{ type: 2, tagName: 'body', attributes: {}, childNodes: [{ type: 3, textContent: `Page ${i}`, id: 5 }], id: 4 }], id: 3 }
  const snaps = [
    { type: 4, data: { href: `https://shop.example/p/${i % 50}`, width: 1280, height: 720 }, timestamp: t },
    { type: 2, data: { node: { type: 0, childNodes: [{ type: 1, name: 'html', publicId: '', systemId: '', id: 2 }, html], id: 1 }, initialOffset: { left: 0, top: 0 } }, timestamp: t + 1 },
    { type: 3, data: { source: 1, positions: [{ x: 10, y: 20, id: 4, timeOffset: 0 }] }, timestamp: t + 4000 },
  ]
  const person = opts.person ?? `user_${i % 97}`
  const ev = (n: number, event: string, props: Record<string, unknown>) => ({
    uuid: `0190${hex(Math.floor((t + n) / 1000), 8).slice(-8)}-${hex(n, 4)}-7000-8000-${hex(i, 12)}`,
    event,
    timestamp: new Date(t + n).toISOString(),
    distinct_id: person,
    properties: { $session_id: sessionId, $window_id: wid, distinct_id: person, $current_url: `https://shop.example/p/${i % 50}`, ...props },
  })
  const events = [ev(10, '$pageview', {})]
  if (opts.errorsEvery && i % opts.errorsEvery === 0) events.push(ev(3000, '$exception', { $exception_type: 'TypeError', $exception_message: `x is undefined (${i})` }))
  return {
    projectId,
    sessionId,
    blobs: [snaps.map((s) => JSON.stringify([wid, s]) + '\n').join('')],
    events,
    start_time: new Date(t).toISOString(),
    end_time: new Date(t + 4000).toISOString(),
    distinct_id: person,
  }
}
