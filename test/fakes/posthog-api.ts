// A fake PostHog REST API on 127.0.0.1 (real HTTP) for `sightline pull`: it serves recordings
// built from the shared sample capture files (`*.posthog-events.jsonl`) the way PostHog does —
// personal API key check (401), recording metadata (404 for unknown ids or another project),
// snapshot sources + blob_v2 ranges as JSON lines `[windowId, event]` (as posthog-js sent them),
// and product events through the HogQL query endpoint with LIMIT/OFFSET paging and `hasMore`.
// A recording's `snapshots` picks how the snapshots are served, as PostHog versions differ:
// blob_v2 bodies as length-prefixed snappy blocks or one raw snappy block, or the older sources
// `blob` (gzipped `{window_id, data}` files keyed `<start ms>-<end ms>`) and `realtime`.
// Faults (a status with headers, slowness) are consumed one per request, optionally by path.
import fs from 'node:fs'
import http from 'node:http'
import zlib from 'node:zlib'
import { compress } from 'snappyjs'
import { closeLocal, listenLocal } from './http'

/**
 * - 'blob_v2' (default): blob_v2 blocks (listed only when asked with `blob_v2=true`, as some PostHog
 *   versions do), each range answered as JSON lines.
 * - 'blob_v2-snappy': the same blocks, each a `[4-byte big-endian length][raw snappy block]` record.
 * - 'blob_v2-snappy-block': each range answered as one raw snappy block.
 * - 'blob': an older server: every blob key is a blob file, gzipped as S3 keeps it, served as stored.
 * - 'blob+realtime': blob files, but the last key's events are still only in the realtime buffer.
 * - 'realtime': everything still in the realtime buffer.
 */
export type SnapshotStyle = 'blob_v2' | 'blob_v2-snappy' | 'blob_v2-snappy-block' | 'blob' | 'blob+realtime' | 'realtime'

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
  snapshots?: SnapshotStyle
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
}

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

const hogqlTime = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') : v)

export class FakePosthogApi {
  readonly recordings = new Map<string, FakeRecording>()
  readonly requests: Seen[] = []
  readonly faults: PosthogFault[] = []
  /** PostHog caps a snapshot range; ranges wider than this answer 400. */
  maxBlobRange = 20
  /** false: a server from before 2024-04, whose realtime answer is always `{snapshots: [...]}`. */
  realtimeVersioned = true
  private server!: http.Server
  url = ''

  constructor(readonly apiKey = 'phx_test_personal_key_123456') {}

  add(r: FakeRecording): this {
    this.recordings.set(`${r.projectId}/${r.sessionId}`, r)
    return this
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
    this.requests.push({ method: req.method ?? '', path: u.pathname + u.search, auth: req.headers.authorization, body })
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
    let m = /^\/api\/projects\/(\d+)\/session_recordings\/([^/]+)\/?$/.exec(u.pathname)
    if (m && req.method === 'GET') {
      const r = this.recordings.get(`${m[1]}/${m[2]}`)
      if (!r) return this.notFound(res)
      return this.json(res, 200, {
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
    m = /^\/api\/projects\/(\d+)\/session_recordings\/([^/]+)\/snapshots\/?$/.exec(u.pathname)
    if (m && req.method === 'GET') {
      const r = this.recordings.get(`${m[1]}/${m[2]}`)
      if (!r) return this.notFound(res)
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
        const sources = v2
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
        if (!/^\d+(-\d+)*$/.test(k)) return this.json(res, 400, { type: 'validation_error', code: 'invalid_input', detail: 'Invalid blob key: ' + k })
        const i = fileKeys.indexOf(k)
        if (i < 0) return this.json(res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Snapshot file not found' })
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
        if (this.realtimeVersioned && version) return this.json(res, 400, { type: 'validation_error', code: 'invalid_input', detail: `Invalid version: ${version}` })
        return this.json(res, 200, { snapshots: lines.map((l) => JSON.parse(l) as unknown) })
      }
      const a = Number(u.searchParams.get('start_blob_key'))
      const b = Number(u.searchParams.get('end_blob_key'))
      if (source !== 'blob_v2' || !v2 || !Number.isInteger(a) || !Number.isInteger(b) || b < a || b - a >= this.maxBlobRange || b >= r.blobs.length) {
        return this.json(res, 400, { type: 'validation_error', code: 'invalid_input', detail: 'Invalid blob key range' })
      }
      const range = r.blobs.slice(a, b + 1)
      if (style === 'blob_v2-snappy') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        return void res.end(Buffer.concat(range.map(snappyRecord)))
      }
      if (style === 'blob_v2-snappy-block') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        return void res.end(compress(Buffer.from(range.join(''))))
      }
      res.writeHead(200, { 'content-type': 'application/jsonl' })
      return void res.end(range.join(''))
    }
    m = /^\/api\/projects\/(\d+)\/query\/?$/.exec(u.pathname)
    if (m && req.method === 'POST') {
      const q = (body as { query?: { kind?: string; query?: string } } | null)?.query
      const sql = q?.kind === 'HogQLQuery' && typeof q.query === 'string' ? q.query : ''
      const sid = /properties\.\$session_id = '([^']+)'/.exec(sql)?.[1]
      const limit = Number(/LIMIT (\d+)/.exec(sql)?.[1] ?? 100)
      const offset = Number(/OFFSET (\d+)/.exec(sql)?.[1] ?? 0)
      if (!sid) return this.json(res, 400, { type: 'validation_error', code: 'invalid_input', detail: 'Query not understood by the fake' })
      const r = this.recordings.get(`${m[1]}/${sid}`)
      const all = (r?.events ?? [])
        .slice()
        .sort((x, y) => String(x.timestamp).localeCompare(String(y.timestamp)) || String(x.uuid).localeCompare(String(y.uuid)))
      const page = all.slice(offset, offset + limit)
      const columns = ['uuid', 'event', 'timestamp', 'distinct_id', 'properties', 'elements_chain']
      const props = (e: Record<string, unknown>) => e.properties as Record<string, unknown>
      return this.json(res, 200, {
        columns,
        types: [],
        hasMore: offset + limit < all.length,
        limit,
        offset,
        // HogQL answers DateTime64 columns as ISO with microseconds; properties as a JSON string
        results: page.map((e) => [e.uuid, e.event, hogqlTime(e.timestamp), props(e).distinct_id ?? null, JSON.stringify(props(e)), props(e).$elements_chain ?? '']),
      })
    }
    return this.json(res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.' })
  }

  private notFound(res: http.ServerResponse): void {
    this.json(res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null })
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
}
