// A fake PostHog REST API on 127.0.0.1 (real HTTP) for `sightline pull`, written from PostHog's own
// server code so that a client that would fail on PostHog fails here. It serves recordings built
// from the shared sample capture files (`*.posthog-events.jsonl`) and refuses what PostHog refuses:
// - auth: a personal API key (401) with scopes (403 "API key missing required scope '…'",
//   posthog/permissions.py APIScopePermission): session_recording:read for recordings, query:read
//   for the query API, project:read for the project lists;
// - projects: /api/projects/<id>, /api/environments/<id>, /api/projects/@current (the key's user's
//   current project), and the lists /api/projects/ and /api/environments/ with each `api_token`
//   (posthog/api/shared.py ProjectBackwardCompatBasicSerializer), paged with DRF's `next`;
// - snapshots (posthog/session_recordings/session_recording_api.py): the listing (blob_v2 blocks, or
//   one blob_v2_lts source for a recording in long-term storage); blob_v2 ranges of at most 20 keys
//   past the start key with a personal key (400), an end key past the last block 404 "Block index
//   out of range", `decompress=false` as length-prefixed snappy records (one per block), blocks that
//   fail to load left out of a 200 (_fetch_blocks_parallel) or, when all fail, 502
//   recording_blocks_unavailable; 410 recording_deleted; blob_v2_lts by its exact key (else 404);
//   sources other than blob_v2/blob_v2_lts refused (400) on current servers;
// - HogQL (posthog/hogql/user_query_validator.py, hogql_query_runner.py, constants.py): any OFFSET
//   refused (400, OFFSET 0 too, and `LIMIT n, m`), `hasMore: null` for queries with a LIMIT, 100
//   rows and a real `hasMore` without one, LIMIT capped at 50,000; the WHERE clause is evaluated
//   (session id, timestamp and uuid comparisons, AND/OR/parentheses), so keyset paging works or fails
//   as it would;
// - rate limits (posthog/rate_limit.py, session_recording_api.py, settings/session_replay.py): per key
//   and scope, DRF's SimpleRateThrottle (sliding window; every throttle that allows a request counts
//   it) with 429, `Retry-After` and "Request was throttled. Expected available in N seconds.".
// Older servers are kept as snapshot styles (`blob`, `realtime`), and faults (a status with headers,
// slowness, a raw body) are consumed one per request, optionally by path.
import fs from 'node:fs'
import http from 'node:http'
import zlib from 'node:zlib'
import { compress } from 'snappyjs'
import { closeLocal, listenLocal } from './http'
import { listRecordings, summaryOf } from './posthog-list'

/**
 * - 'blob_v2' (default): blob_v2 blocks (listed only when asked with `blob_v2=true`, as some PostHog
 *   versions do), a range answered as JSON lines, or with decompress=false as snappy records.
 * - 'blob_v2_lts': the recording is in long-term storage: one blob_v2_lts source, JSON lines.
 * - 'blob_v2-snappy': every range as `[4-byte big-endian length][raw snappy block]` records.
 * - 'blob_v2-snappy-block': every range as one raw snappy block.
 * - 'blob': an older server: every blob key is a blob file, gzipped as S3 keeps it, served as stored.
 * - 'blob+realtime': blob files, but the last key's events are still only in the realtime buffer.
 * - 'realtime': everything still in the realtime buffer.
 */
export type SnapshotStyle = 'blob_v2' | 'blob_v2_lts' | 'blob_v2-snappy' | 'blob_v2-snappy-block' | 'blob' | 'blob+realtime' | 'realtime'

export interface FakeRecording {
  projectId: string
  sessionId: string
  /** One JSON-lines body per blob key. */
  blobs: string[]
  /** Product events as capture events ({uuid, event, timestamp, properties}). */
  events: Record<string, unknown>[]
  start_time: string
  end_time: string
  distinct_id: string | null
  snapshots?: SnapshotStyle | undefined
  /** Blocks the recording service fails to load (left out of a range; all of a range: 502). */
  failingBlocks?: number[] | undefined
  /** Permanently deleted: snapshot content answers 410. */
  deleted?: boolean | undefined
}

export type PosthogFault = { path?: RegExp } & (
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'slow'; ms: number }
  /** A 200 whose body is this text, whatever was asked (e.g. an HTML page). */
  | { kind: 'raw'; text: string }
  /** A 200 whose body is these bytes (e.g. damaged snappy data). */
  | { kind: 'bytes'; data: Buffer }
)

export interface Seen {
  method: string
  path: string
  auth: string | undefined
  body: unknown
  /** When it arrived, on the server's clock. */
  at: number
}

/** PostHog's throttle scopes for a personal key: name → [requests, window ms]. */
export type Limits = Record<string, [number, number]>
const MIN = 60_000
const HOUR = 3_600_000
/** Snapshot rates per plan (posthog/settings/session_replay.py SNAPSHOT_RATE_*). */
export const SNAPSHOT_RATES: Record<'free' | 'paid' | 'enterprise', Limits> = {
  free: { snapshots_burst: [12, MIN], snapshots_sustained: [60, HOUR] },
  paid: { snapshots_burst: [60, MIN], snapshots_sustained: [300, HOUR] },
  enterprise: { snapshots_burst: [100, MIN], snapshots_sustained: [400, HOUR] },
}
/** posthog/rate_limit.py: ClickHouseBurst/Sustained (recordings), HogQLQueryThrottle, Burst/Sustained (the rest). */
export const BASE_LIMITS: Limits = {
  clickhouse_burst: [240, MIN],
  clickhouse_sustained: [1200, HOUR],
  query: [120, HOUR],
  burst: [480, MIN],
  sustained: [4800, HOUR],
}

/** posthog/hogql/user_query_validator.py */
export const OFFSET_NOT_ALLOWED_MESSAGE =
  'OFFSET is not supported on queries made with a personal API key. For pagination, use keyset pagination on the `timestamp` column, e.g. `WHERE timestamp > :last_seen_timestamp ORDER BY timestamp LIMIT N`. For bulk data extraction, use batch exports: https://posthog.com/docs/cdp/batch-exports'

/** Reads a sample capture file into a recording split into `blobCount` blob keys. */
export function recordingFromCaptureFile(file: string, projectId: string, blobCount = 3): FakeRecording {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { event: string; timestamp?: string; properties: Record<string, unknown> })
  const blobLines: string[] = []
  const events: Record<string, unknown>[] = []
  let sessionId = ''
  let distinct: string | null = null
  let min = Infinity
  let max = -Infinity
  for (const ev of lines) {
    const p = ev.properties
    if (ev.event === '$snapshot') {
      sessionId ||= String(p.$session_id)
      const data = (Array.isArray(p.$snapshot_data) ? p.$snapshot_data : [p.$snapshot_data]) as { timestamp: number }[]
      for (const item of data) {
        blobLines.push(JSON.stringify([p.$window_id, item]))
        min = Math.min(min, item.timestamp)
        max = Math.max(max, item.timestamp)
      }
    } else {
      events.push(ev)
      distinct ??= typeof p.distinct_id === 'string' ? p.distinct_id : null
    }
  }
  const per = Math.ceil(blobLines.length / blobCount)
  const blobs = Array.from({ length: blobCount }, (_, i) => blobLines.slice(i * per, (i + 1) * per).map((l) => l + '\n').join(''))
  return { projectId, sessionId, blobs, events, start_time: new Date(min).toISOString(), end_time: new Date(max).toISOString(), distinct_id: distinct }
}

const snappyRecord = (text: string) => {
  const block = compress(Buffer.from(text))
  const len = Buffer.alloc(4)
  len.writeUInt32BE(block.length)
  return Buffer.concat([len, block])
}

/** A blob body's events, in order, grouped into `{window_id, data}` lines as the older ingestion wrote them. */
function windowDataLines(blob: string): { lines: string[]; start: number; end: number } {
  const items = blob
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as [string, { timestamp: number }])
  const lines: string[] = []
  for (let i = 0; i < items.length; ) {
    let j = i
    while (j < items.length && items[j]![0] === items[i]![0] && j - i < 50) j++
    lines.push(JSON.stringify({ window_id: items[i]![0], data: items.slice(i, j).map((x) => x[1]) }))
    i = j
  }
  const ts = items.map((x) => x[1].timestamp)
  return { lines, start: Math.min(...ts), end: Math.max(...ts) }
}

// ── time as HogQL has it: microseconds since the epoch, ISO text out (Python isoformat, 'Z' for UTC)
const ISO_IN = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/

/** ISO text → µs; no offset: UTC (the fake project's timezone). null: not a time PostHog would parse. */
export function micros(v: unknown): number | null {
  const m = typeof v === 'string' ? ISO_IN.exec(v) : null
  if (!m) return null
  const whole = Date.parse(`${m[1]}T${m[2]}${m[4] && m[4] !== 'Z' ? m[4] : 'Z'}`)
  return Number.isNaN(whole) ? null : whole * 1000 + Number((m[3] ?? '').padEnd(6, '0').slice(0, 6))
}

/** µs → what the query API returns: `2024-01-01T10:00:00.123000Z`, no fraction when it is zero. */
function isoOut(us: number): string {
  const s = new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)
  const frac = us % 1_000_000
  return `${s}${frac ? `.${String(frac).padStart(6, '0')}` : ''}Z`
}

// ── a small HogQL WHERE evaluator: AND, OR, parentheses, comparisons of the columns a pull uses
type Value = string | number
type Row = { uuid: string; us: number; sessionId: string; event: string; distinctId: string; props: Record<string, unknown> }
type Expr = (r: Row) => boolean
class HogQLError extends Error {}

/**
 * `all` gives the rows a subquery reads: `col IN (SELECT properties.x FROM events WHERE …)` (HogQL
 * runs subqueries without the top-level LIMIT).
 */
function parseWhere(src: string, all: () => Row[] = () => []): Expr {
  const tokens = src.match(/'(?:[^'\\]|\\.)*'|>=|<=|!=|[()=<>,]|[A-Za-z_$][\w$.]*|\d+/g) ?? []
  let i = 0
  const peek = () => tokens[i]
  const take = (t?: string) => {
    const v = tokens[i++]
    if (v === undefined || (t && v.toUpperCase() !== t)) throw new HogQLError(`expected ${t ?? 'more'} at ${v ?? 'the end'}`)
    return v
  }
  const operand = (): ((r: Row) => Value) => {
    const t = take()
    if (t.startsWith("'")) {
      const s = t.slice(1, -1).replace(/\\(.)/g, '$1')
      return () => s
    }
    if (/^\d+$/.test(t)) return () => Number(t)
    if (peek() === '(') {
      take('(')
      const args: ((r: Row) => Value)[] = []
      while (peek() !== ')') {
        args.push(operand())
        if (peek() === ',') take(',')
      }
      take(')')
      if (t === 'toDateTime') {
        const f = args[0]!
        return (r) => {
          const us = micros(f(r))
          if (us === null) throw new HogQLError(`toDateTime: cannot parse ${String(f(r))}`)
          return us
        }
      }
      if (t === 'toString' && args.length === 1) return args[0]!
      throw new HogQLError(`function ${t} is not known to the fake`)
    }
    if (t === 'timestamp') return (r) => r.us
    if (t === 'uuid') return (r) => r.uuid
    if (t === 'properties.$session_id') return (r) => r.sessionId
    if (t === 'event') return (r) => r.event
    if (t === 'distinct_id') return (r) => r.distinctId
    if (t.startsWith('properties.')) {
      const k = t.slice('properties.'.length)
      return (r) => (r.props[k] === undefined || r.props[k] === null ? '' : String(r.props[k]))
    }
    throw new HogQLError(`column ${t} is not known to the fake`)
  }
  const compare = (): Expr => {
    const a = operand()
    if (peek()?.toUpperCase() === 'IN' || (peek()?.toUpperCase() === 'NOT' && tokens[i + 1]?.toUpperCase() === 'IN')) {
      const negate = take().toUpperCase() === 'NOT'
      if (negate) take('IN')
      take('(')
      if (peek()?.toUpperCase() === 'SELECT') {
        take('SELECT')
        const col = operand()
        take('FROM')
        take('EVENTS')
        take('WHERE')
        const sub = or()
        take(')')
        let set: Set<Value> | null = null
        return (r) => {
          set ??= new Set(all().filter(sub).map(col))
          return set.has(a(r)) !== negate
        }
      }
      const list: ((r: Row) => Value)[] = []
      while (peek() !== ')') {
        list.push(operand())
        if (peek() === ',') take(',')
      }
      take(')')
      return (r) => list.some((f) => f(r) === a(r)) !== negate
    }
    const op = take()
    const b = operand()
    const cmp = { '=': (x: Value, y: Value) => x === y, '!=': (x: Value, y: Value) => x !== y, '>': (x: Value, y: Value) => x > y, '<': (x: Value, y: Value) => x < y, '>=': (x: Value, y: Value) => x >= y, '<=': (x: Value, y: Value) => x <= y }[op]
    if (!cmp) throw new HogQLError(`operator ${op} is not known to the fake`)
    return (r) => cmp(a(r), b(r))
  }
  const unary = (): Expr => {
    if (peek() === '(') {
      take('(')
      const e = or()
      take(')')
      return e
    }
    return compare()
  }
  const and = (): Expr => {
    const parts = [unary()]
    while (peek()?.toUpperCase() === 'AND') {
      take('AND')
      parts.push(unary())
    }
    return (r) => parts.every((p) => p(r))
  }
  const or = (): Expr => {
    const parts = [and()]
    while (peek()?.toUpperCase() === 'OR') {
      take('OR')
      parts.push(and())
    }
    return (r) => parts.some((p) => p(r))
  }
  const e = or()
  if (i < tokens.length) throw new HogQLError(`unexpected ${tokens[i]}`)
  return e
}

/** A column of an events row for count(DISTINCT …); null as ClickHouse has it for a missing property (not counted). */
function columnValue(r: Row, name: string): unknown {
  if (name.startsWith('properties.')) return r.props[name.slice('properties.'.length)] ?? null
  if (name === 'distinct_id') return r.distinctId
  if (name === 'event') return r.event
  if (name === 'uuid') return r.uuid
  throw new HogQLError(`column ${name} is not known to the fake`)
}

const COLUMNS = ['uuid', 'event', 'timestamp', 'distinct_id', 'properties', 'elements_chain']

export class FakePosthogApi {
  readonly recordings = new Map<string, FakeRecording>()
  readonly requests: Seen[] = []
  readonly faults: PosthogFault[] = []
  /** 429s answered, and HogQL rows served (to see that paging fetched every row once). */
  throttled = 0
  rowsServed = 0
  /** The key's scopes (posthog/permissions.py: a :write scope also grants :read). */
  scopes = new Set(['session_recording:read', 'query:read', 'project:read'])
  /** The project `@current` means (the key's user's current project); default: the first recording's. */
  currentProject: string | null = null
  /** The organization's plan, which picks the snapshot rates. */
  plan: 'free' | 'paid' | 'enterprise' = 'free'
  /** Per scope overrides of PostHog's rates (tests); `rateLimits: false` turns throttling off. */
  limits: Limits = {}
  rateLimits = true
  /** false: a server from before 2024-04, whose realtime answer is always `{snapshots: [...]}`. */
  realtimeVersioned = true
  /** Page size of the project lists (DRF LimitOffsetPagination). */
  listPageSize = 100
  /** The server's clock, for its rate windows (tests share a virtual one with the client). */
  now: () => number = () => Date.now()
  /** Events that belong to no recording (LLM analytics `$ai_*` events), by project. */
  readonly extraEvents = new Map<string, Record<string, unknown>[]>()
  private readonly history = new Map<string, number[]>()
  private server!: http.Server
  url = ''

  constructor(readonly apiKey = 'phx_test_personal_key_123456') {}

  add(r: FakeRecording): this {
    this.recordings.set(`${r.projectId}/${r.sessionId}`, r)
    return this
  }

  /** Events outside any recording (capture events with uuid and timestamp), e.g. `$ai_generation`. */
  addEvents(projectId: string, events: Record<string, unknown>[]): this {
    this.extraEvents.set(projectId, [...(this.extraEvents.get(projectId) ?? []), ...events])
    return this
  }

  /** The project token (api_token) of a project, as posthog-js writes it into replay links. */
  projectToken(projectId: string): string {
    return `phc_fake${projectId.padStart(8, '0')}Tok3n`
  }

  private projects(): string[] {
    return [...new Set([...this.recordings.values()].map((r) => r.projectId))].sort()
  }

  async start(): Promise<this> {
    ;({ server: this.server, url: this.url } = await listenLocal(
      (req, res) => this.onRequest(req, res),
      (res, detail) => this.json(res, 599, { detail }),
    ))
    return this
  }

  close(): Promise<void> {
    return closeLocal(this.server)
  }

  replayUrl(r: FakeRecording): string {
    return `${this.url}/project/${r.projectId}/replay/${r.sessionId}`
  }

  /** Forgets every request counted against the rate limits (a new window for the next test). */
  resetRateLimits(): void {
    this.history.clear()
  }

  /** DRF's SimpleRateThrottle over the scopes guarding a request: null if allowed, else the wait in s. */
  private throttle(scopes: string[]): number | null {
    if (!this.rateLimits) return null
    const rates = { ...BASE_LIMITS, ...SNAPSHOT_RATES[this.plan], ...this.limits }
    const now = this.now()
    const waits: number[] = []
    for (const scope of scopes) {
      const [max, window] = rates[scope]!
      const h = (this.history.get(scope) ?? []).filter((t) => t > now - window)
      if (h.length >= max) waits.push(((window - (now - h[0]!)) / (max - h.length + 1)) / 1000)
      else h.push(now)
      this.history.set(scope, h)
    }
    return waits.length ? Math.max(...waits) : null
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const u = new URL(req.url ?? '/', 'http://x')
    let body: unknown = null
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      body = text
    }
    this.requests.push({ method: req.method ?? '', path: u.pathname + u.search, auth: req.headers.authorization, body, at: this.now() })
    res.on('error', () => {})
    const fi = this.faults.findIndex((f) => !f.path || f.path.test(u.pathname + u.search))
    const fault = fi >= 0 ? this.faults.splice(fi, 1)[0] : undefined
    if (fault?.kind === 'slow') {
      await new Promise((r) => setTimeout(r, fault.ms))
      if (res.destroyed || !res.socket || res.socket.destroyed) return
    }
    if (fault?.kind === 'status') return this.json(res, fault.status, fault.body ?? { detail: `injected ${fault.status}` }, fault.headers)
    if (fault?.kind === 'raw') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end(fault.text)
    }
    if (fault?.kind === 'bytes') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      return void res.end(fault.data)
    }

    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return this.json(res, 401, { type: 'authentication_error', code: 'authentication_failed', detail: 'Personal API key found in request Authorization header is invalid.', attr: null })
    }
    const route = this.route(req.method ?? 'GET', u.pathname)
    if (!route) return this.json(res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null })
    const [scope, throttles, handle] = route
    if (!this.scopes.has(scope) && !this.scopes.has(scope.replace(':read', ':write'))) {
      return this.json(res, 403, { type: 'authentication_error', code: 'permission_denied', detail: `API key missing required scope '${scope}'`, attr: null })
    }
    const wait = this.throttle(throttles)
    if (wait !== null) {
      // DRF: Retry-After '%d' % wait; the detail rounds up
      this.throttled++
      return this.json(res, 429, { type: 'throttled_error', code: 'throttled', detail: `Request was throttled. Expected available in ${Math.ceil(wait)} seconds.`, attr: null }, { 'retry-after': String(Math.floor(wait)) })
    }
    return handle(u, body, res)
  }

  /** The route: the scope it needs, the throttles guarding it, and its handler. */
  private route(method: string, pathname: string): [string, string[], (u: URL, body: unknown, res: http.ServerResponse) => void] | null {
    const projectOf = (p: string) => (p === '@current' ? (this.currentProject ?? this.projects()[0] ?? '') : p)
    if (method === 'GET' && /^\/api\/(projects|environments)\/?$/.test(pathname)) {
      return ['project:read', ['burst', 'sustained'], (u, _b, res) => this.projectList(u, res)]
    }
    const list = /^\/api\/(?:projects|environments)\/(\d+|@current)\/session_recordings\/?$/.exec(pathname)
    if (list && method === 'GET') {
      const project = projectOf(list[1]!)
      return ['session_recording:read', ['clickhouse_burst', 'clickhouse_sustained'], (u, _b, res) => this.list(project, u, res)]
    }
    let m = /^\/api\/(?:projects|environments)\/(\d+|@current)\/session_recordings\/([^/]+)\/?$/.exec(pathname)
    if (m && method === 'GET') {
      const key = `${projectOf(m[1]!)}/${m[2]}`
      return ['session_recording:read', ['clickhouse_burst', 'clickhouse_sustained'], (_u, _b, res) => this.metadata(key, res)]
    }
    m = /^\/api\/(?:projects|environments)\/(\d+|@current)\/session_recordings\/([^/]+)\/snapshots\/?$/.exec(pathname)
    if (m && method === 'GET') {
      const key = `${projectOf(m[1]!)}/${m[2]}`
      return ['session_recording:read', ['clickhouse_burst', 'clickhouse_sustained', 'snapshots_burst', 'snapshots_sustained'], (u, _b, res) => this.snapshots(key, u, res)]
    }
    m = /^\/api\/(?:projects|environments)\/(\d+|@current)\/query\/?$/.exec(pathname)
    if (m && method === 'POST') {
      const project = projectOf(m[1]!)
      return ['query:read', ['query'], (_u, body, res) => this.query(project, body, res)]
    }
    return null
  }

  private projectList(u: URL, res: http.ServerResponse): void {
    const all = this.projects().map((id) => ({ id: Number(id), uuid: `0190-${id}`, organization: 'org-1', api_token: this.projectToken(id), name: `Project ${id}` }))
    const offset = Number(u.searchParams.get('offset') ?? 0)
    const limit = Math.min(Number(u.searchParams.get('limit') ?? this.listPageSize), this.listPageSize)
    const next = offset + limit < all.length ? `${this.url}${u.pathname}?limit=${limit}&offset=${offset + limit}` : null
    this.json(res, 200, { count: all.length, next, previous: null, results: all.slice(offset, offset + limit) })
  }

  private list(project: string, u: URL, res: http.ServerResponse): void {
    const all = [...this.recordings.values()].filter((r) => r.projectId === project && !r.deleted)
    const out = listRecordings(all, u, this.now())
    if ('error' in out) return this.invalid(res, out.error[1])
    this.json(res, 200, out.body)
  }

  private metadata(key: string, res: http.ServerResponse): void {
    const r = this.recordings.get(key)
    if (!r) return this.notFound(res, 'Recording not found')
    this.json(res, 200, {
      id: r.sessionId,
      distinct_id: r.distinct_id,
      viewed: false,
      recording_duration: Math.round((Date.parse(r.end_time) - Date.parse(r.start_time)) / 1000),
      start_time: r.start_time,
      end_time: r.end_time,
      snapshot_source: 'web',
      person: { id: 1, name: r.distinct_id, distinct_ids: [r.distinct_id], properties: {} },
    })
  }

  private ltsKey(r: FakeRecording): string {
    return `session_recordings_lts/team_id/${r.projectId}/session_id/${r.sessionId}/data`
  }

  private snapshots(key: string, u: URL, res: http.ServerResponse): void {
    const r = this.recordings.get(key)
    if (!r) return this.notFound(res, 'Recording not found')
    const source = u.searchParams.get('source')
    const style = r.snapshots ?? 'blob_v2'
    const v2 = style.startsWith('blob_v2')
    // Older styles: blob files for every key (but the last one with 'blob+realtime'), then the realtime buffer.
    const files = style === 'blob' ? r.blobs : style === 'blob+realtime' ? r.blobs.slice(0, -1) : []
    const realtime = style === 'realtime' ? r.blobs : style === 'blob+realtime' ? r.blobs.slice(-1) : []
    const fileKeys = files.map((f) => windowDataLines(f)).map((f) => `${f.start}-${f.end}`)
    if (!source) {
      const span = (Date.parse(r.end_time) - Date.parse(r.start_time)) / r.blobs.length
      const at = (i: number) => new Date(Date.parse(r.start_time) + i * span).toISOString()
      const sources =
        style === 'blob_v2_lts'
          ? [{ source: 'blob_v2_lts', start_timestamp: null, end_timestamp: null, blob_key: this.ltsKey(r) }]
          : v2
            ? u.searchParams.get('blob_v2') === 'true'
              ? r.blobs.map((_, i) => ({ source: 'blob_v2', start_timestamp: at(i), end_timestamp: at(i + 1), blob_key: String(i) }))
              : []
            : [
                ...fileKeys.map((k, i) => ({ source: 'blob', start_timestamp: at(i), end_timestamp: at(i + 1), blob_key: k })),
                ...(realtime.length ? [{ source: 'realtime', start_timestamp: at(files.length), end_timestamp: null }] : []),
              ]
      return this.json(res, 200, { sources })
    }
    if (source === 'blob' && !v2) {
      const k = u.searchParams.get('blob_key') ?? ''
      if (!/^\d+(-\d+)*$/.test(k)) return this.invalid(res, 'Invalid blob key: ' + k)
      const i = fileKeys.indexOf(k)
      if (i < 0) return this.notFound(res, 'Snapshot file not found')
      // The object as the older ingestion stored it (gzip), passed through without a content-encoding.
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(zlib.gzipSync(windowDataLines(files[i]!).lines.join('\n') + '\n'))
    }
    if (source === 'realtime' && !v2) {
      const lines = realtime.flatMap((b) => windowDataLines(b).lines)
      const version = u.searchParams.get('version')
      if (this.realtimeVersioned && version === '2024-04-30') {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        return void res.end(lines.join('\n'))
      }
      if (this.realtimeVersioned && version) return this.invalid(res, `Invalid version: ${version}`)
      return this.json(res, 200, { snapshots: lines.map((l) => JSON.parse(l) as unknown) })
    }
    // Current servers: SessionRecordingSnapshotsRequestSerializer.validate
    if (source !== 'blob_v2' && source !== 'blob_v2_lts') return this.invalid(res, 'Invalid source must be one of [blob_v2, blob_v2_ts, None]')
    if (r.deleted) {
      return this.json(res, 410, { error: 'recording_deleted', message: 'This recording has been permanently deleted', deleted_at: '2026-05-01T10:00:00Z', deleted_by: 'admin@example.com' })
    }
    if (source === 'blob_v2_lts') {
      const k = u.searchParams.get('blob_key')
      if (!k) return this.invalid(res, 'Must provide a blob key')
      if (style !== 'blob_v2_lts' || k.replace(/^\/+/, '') !== this.ltsKey(r)) return this.notFound(res, 'Recording not found')
      res.writeHead(200, { 'content-type': 'application/jsonl', 'cache-control': 'max-age=86400' })
      return void res.end(r.blobs.join(''))
    }
    const sa = u.searchParams.get('start_blob_key')
    const sb = u.searchParams.get('end_blob_key')
    if (!sa || !sb) return this.invalid(res, 'Must provide both start blob key and end blob key')
    const a = Number(sa)
    const b = Number(sb)
    if (!Number.isInteger(a) || !Number.isInteger(b)) return this.invalid(res, 'Blob keys must be integers')
    if (b - a > 20) return this.invalid(res, 'Cannot request more than 20 blob keys at once')
    if (style === 'blob_v2_lts' || r.blobs.length === 0) return this.notFound(res, 'Session recording not found')
    if (b >= r.blobs.length) return this.notFound(res, 'Block index out of range')
    const wanted = Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i)
    const loaded = wanted.filter((i) => !r.failingBlocks?.includes(i))
    if (wanted.length && !loaded.length) {
      return this.json(res, 502, { type: 'server_error', code: 'recording_blocks_unavailable', detail: "Couldn't load this recording's data. Try again, and if it keeps happening contact support.", attr: null })
    }
    const range = loaded.map((i) => r.blobs[i]!)
    if (style === 'blob_v2-snappy' || (style === 'blob_v2' && u.searchParams.get('decompress') === 'false')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      return void res.end(Buffer.concat(range.map(snappyRecord)))
    }
    if (style === 'blob_v2-snappy-block') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      return void res.end(compress(Buffer.from(range.join(''))))
    }
    res.writeHead(200, { 'content-type': 'application/jsonl' })
    return void res.end(range.join('').replace(/\n+$/, ''))
  }

  private query(project: string, body: unknown, res: http.ServerResponse): void {
    const q = (body as { query?: { kind?: string; query?: string } } | null)?.query
    if (q?.kind !== 'HogQLQuery' || typeof q.query !== 'string') return this.invalid(res, 'The fake answers HogQLQuery only')
    const sql = q.query.replace(/\s+/g, ' ').trim()
    // user_query_validator: any OFFSET (OFFSET 0 too), also `LIMIT m, n` and `LIMIT n BY … OFFSET`
    if (/\bOFFSET\b/i.test(sql) || /\bLIMIT\s+\d+\s*,\s*\d+/i.test(sql)) return this.json(res, 400, { type: 'validation_error', code: 'query_error', detail: OFFSET_NOT_ALLOWED_MESSAGE, attr: null })
    if (/ FROM session_replay_events\b/i.test(sql)) return this.replayQuery(project, sql, res)
    const m = /^SELECT (.+?) FROM events WHERE (.+?)(?: ORDER BY (.+?))?(?: LIMIT (\d+))?$/i.exec(sql)
    if (!m) return this.invalid(res, 'Query not understood by the fake')
    const columns = m[1]!.split(',').map((c) => c.trim())
    // aggregates: count() and count(DISTINCT <column>), one row (no LIMIT needed, hasMore false)
    const aggregate = columns.map((c) => (/^count\(\)$/i.test(c) ? { distinct: null } : /^count\(DISTINCT ([\w$.]+)\)$/i.exec(c) ? { distinct: /^count\(DISTINCT ([\w$.]+)\)$/i.exec(c)![1]! } : null))
    if (aggregate.some(Boolean) && (aggregate.some((a) => !a) || m[3])) return this.invalid(res, `Aggregates with columns or ORDER BY are not known to the fake: ${m[1]}`)
    if (!aggregate.some(Boolean) && columns.some((c) => !COLUMNS.includes(c))) return this.invalid(res, `Columns not known to the fake: ${m[1]}`)
    let where: Expr
    try {
      where = parseWhere(m[2]!, () => this.rowsOf(project, null).map((x) => x.row))
    } catch (e) {
      return this.invalid(res, `Query not understood by the fake: ${(e as Error).message}`)
    }
    if (m[3] && !/^timestamp( ASC)?, (toString\(uuid\)|uuid)( ASC)?$/i.test(m[3])) return this.invalid(res, `ORDER BY not known to the fake: ${m[3]}`)
    // Only the recordings a session-id condition can match (speed with thousands of recordings; the
    // WHERE is still evaluated in full below).
    const named = /properties\.\$session_id (?:= '([^']*)'|IN \(([^)]*)\))/i.exec(m[2]!)
    const ids = named ? new Set(named[1] !== undefined ? [named[1]] : [...named[2]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!)) : null
    const rows = this.rowsOf(project, ids)
    let hits: typeof rows
    try {
      hits = rows.filter((x) => where(x.row))
    } catch (e) {
      return this.invalid(res, (e as Error).message)
    }
    if (aggregate.some(Boolean)) {
      let values: unknown[]
      try {
        values = aggregate.map((a) => (a!.distinct === null ? hits.length : new Set(hits.map((x) => columnValue(x.row, a!.distinct!)).filter((v) => v !== null)).size))
      } catch (e) {
        return this.invalid(res, (e as Error).message)
      }
      return this.json(res, 200, { columns, types: [], hasMore: false, limit: 100, offset: 0, results: [values] })
    }
    hits.sort((x, y) => x.row.us - y.row.us || (x.row.uuid < y.row.uuid ? -1 : x.row.uuid > y.row.uuid ? 1 : 0))
    // hogql_query_runner: a query with its own LIMIT gets no paginator, so hasMore is null
    const limit = m[4] ? Math.min(Number(m[4]), 50_000) : 100
    const page = hits.slice(0, limit)
    this.rowsServed += page.length
    const value = (x: (typeof rows)[number], c: string) =>
      c === 'uuid' ? x.e.uuid : c === 'event' ? x.e.event : c === 'timestamp' ? isoOut(x.row.us) : c === 'distinct_id' ? (x.e.distinct_id ?? x.props.distinct_id ?? null) : c === 'properties' ? JSON.stringify(x.props) : (x.props.$elements_chain ?? '')
    this.json(res, 200, {
      columns,
      types: [],
      hasMore: m[4] ? null : hits.length > limit,
      limit: m[4] ? null : limit,
      offset: m[4] ? null : 0,
      results: page.map((x) => columns.map((c) => value(x, c))),
    })
  }

  /** The events table of a project as HogQL rows: recordings' events (those of `ids` only, when given) and the others. */
  private rowsOf(project: string, ids: Set<string> | null) {
    return [...[...this.recordings.values()].filter((r) => r.projectId === project && (!ids || ids.has(r.sessionId))).flatMap((r) => r.events), ...(ids ? [] : (this.extraEvents.get(project) ?? []))].map((e) => {
      const props = e.properties as Record<string, unknown>
      return { e, props, row: { uuid: String(e.uuid), us: micros(e.timestamp) ?? 0, sessionId: String(props.$session_id ?? ''), event: String(e.event), distinctId: String(e.distinct_id ?? props.distinct_id ?? '') , props } as Row }
    })
  }

  /**
   * HogQL over session_replay_events (one row per recording part; the fake has one per recording):
   * `SELECT session_id[, distinct_id, min_first_timestamp, ...] FROM session_replay_events [WHERE …]
   * [GROUP BY session_id] [ORDER BY …] [LIMIT n]`. WHERE takes session_id, distinct_id and
   * min_first_timestamp comparisons. No LIMIT: 100 rows and hasMore, as for any HogQL query.
   */
  private replayQuery(project: string, sql: string, res: http.ServerResponse): void {
    const m = /^SELECT (.+?) FROM session_replay_events(?: WHERE (.+?))?(?: GROUP BY session_id)?(?: ORDER BY (.+?))?(?: LIMIT (\d+))?$/i.exec(sql)
    if (!m) return this.invalid(res, 'Query over session_replay_events not understood by the fake')
    const cols = m[1]!.split(',').map((c) => c.trim())
    const known: Record<string, (s: ReturnType<typeof summaryOf>) => unknown> = {
      session_id: (s) => s.id,
      distinct_id: (s) => s.distinct_id,
      'min(min_first_timestamp)': (s) => isoOut(s.start * 1000),
      min_first_timestamp: (s) => isoOut(s.start * 1000),
      'max(max_last_timestamp)': (s) => isoOut(s.end * 1000),
      'sum(console_error_count)': (s) => s.console_error_count,
    }
    const base = (c: string) => c.replace(/\s+as\s+\w+$/i, '')
    if (cols.some((c) => !known[base(c)])) return this.invalid(res, `Columns not known to the fake: ${m[1]}`)
    let where: Expr = () => true
    if (m[2]) {
      const w = m[2]
        .replace(/\bsession_id\b/g, 'properties.$session_id')
        .replace(/\bmin_first_timestamp\b/g, 'timestamp')
      try {
        where = parseWhere(w)
      } catch (e) {
        return this.invalid(res, `Query not understood by the fake: ${(e as Error).message}`)
      }
    }
    let rows: ReturnType<typeof summaryOf>[]
    try {
      rows = [...this.recordings.values()]
        .filter((r) => r.projectId === project && !r.deleted)
        .map((r) => summaryOf(r))
        .filter((s) => where({ uuid: '', us: s.start * 1000, sessionId: s.id, event: '', distinctId: s.distinct_id ?? '', props: {} }))
    } catch (e) {
      return this.invalid(res, (e as Error).message)
    }
    const desc = /\bDESC\b/i.test(m[3] ?? '')
    rows.sort((a, b) => (desc ? -1 : 1) * (a.start - b.start || (a.id < b.id ? -1 : 1)))
    const limit = m[4] ? Math.min(Number(m[4]), 50_000) : 100
    this.json(res, 200, {
      columns: cols.map((c) => /\s+as\s+(\w+)$/i.exec(c)?.[1] ?? c),
      types: [],
      hasMore: m[4] ? null : rows.length > limit,
      limit: m[4] ? null : limit,
      offset: m[4] ? null : 0,
      results: rows.slice(0, limit).map((s) => cols.map((c) => known[base(c)]!(s))),
    })
  }

  private notFound(res: http.ServerResponse, detail = 'Not found.'): void {
    this.json(res, 404, { type: 'invalid_request', code: 'not_found', detail, attr: null })
  }

  private invalid(res: http.ServerResponse, detail: string): void {
    this.json(res, 400, { type: 'validation_error', code: 'invalid_input', detail, attr: null })
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
}
