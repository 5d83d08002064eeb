// `sightline pull URL` / pull:start: one PostHog recording fetched over PostHog's REST API and
// imported exactly like a file. The fetched data is written to a temp file in a format the importer
// reads (PostHog capture events: `$snapshot` batches + product events, JSON lines), so there is one
// import path: same transaction, idempotency (the file's sha256), merging and ImportResult.
//
// Endpoints (PostHog's posthog/session_recordings/session_recording_api.py):
//   GET  /api/projects/:project/session_recordings/:id/           metadata (404: no such recording)
//   GET  /api/projects/:project/session_recordings/:id/snapshots?blob_v2=true&blob_v2_lts=true
//                                      {sources: [{source: 'blob_v2', blob_key: '0', …}]}, or for a
//                                      recording in long-term storage one {source: 'blob_v2_lts', blob_key: <path>}
//   GET  …/snapshots?source=blob_v2&start_blob_key=a&end_blob_key=b&decompress=false
//                                      one length-prefixed snappy record per block; at most 20 keys
//                                      with a personal key (SessionRecordingSnapshotsRequestSerializer);
//                                      404 "Block index out of range"; 410 recording_deleted; 502
//                                      recording_blocks_unavailable (final); 503 over capacity
//   GET  …/snapshots?source=blob_v2_lts&blob_key=<path>               JSON lines `[windowId, event]`
//   GET  …/snapshots?source=blob&blob_key=<start>-<end>    older servers: a blob file, `{window_id, data}` lines
//   GET  …/snapshots?source=realtime&version=2024-04-30    older servers: what is not in a file yet, the same
//                                      lines (before 2024-04: `{snapshots: [...]}`; 404 when there is none)
//   POST /api/projects/:project/query/  HogQL over `events` for the session's product events (events.ts)
// Snapshot bodies may also come snappy-compressed or gzipped (snapshots.ts). As PostHog's player does,
// blob_v2 blocks are fetched when any are listed, else every other source in the listed order.
// Every request is paced under PostHog's rate limits (rate-limits.ts). Any failure leaves nothing
// behind: the temp file is imported only once every request succeeded.
import fs from 'node:fs'
import path from 'node:path'
import type { ImportResult, ProgressFn } from '../../shared/model'
import { CancelledError, UserError } from '../errors'
import { importFiles } from '../import'
import { MissingKeyError } from '../net'
import { NetworkGuard } from '../net'
import type { Store } from '../store'
import { type Clock, realClock } from './clock'
import { pullEvents } from './events'
import { checkHost, DEFAULT_HTTP, type HttpOptions, PosthogHttp } from './http'
import { jsonBody } from './json'
import { resolveProject } from './project'
import { limiterFor, type Plan } from './rate-limits'
import { pacingFile } from './shared-pacer'
import { snapshotEventsOf } from './snapshots'
import { canonicalLink, parseReplayUrl, type ReplayRef } from './url'
import { scratchDir } from '../scratch'

export { parseReplayUrl, type ReplayRef } from './url'

export interface PullInput {
  url: string
  /** A PostHog personal API key (session_recording:read, query:read). */
  apiKey: string
  /** Settings' offline mode (or the CLI's override): non-loopback hosts are refused before any socket. */
  offline: boolean
  /** Timeouts and retries (tests shorten them). */
  http?: Partial<Pick<HttpOptions, 'timeoutMs' | 'retries' | 'baseDelayMs' | 'rateLimitWaits'>> | undefined
  /** Product events per query page (HogQL LIMIT). */
  eventsPageSize?: number | undefined
  /** Blob keys per snapshot request (PostHog serves a range of blocks at once; at most 20 with a personal key). */
  blobKeysPerRequest?: number | undefined
  /**
   * A pull by query fetched this recording's product events already (one query for a page of
   * recordings, under PostHog's 120 queries an hour): their capture-event JSON lines, in order.
   */
  eventsFile?: string | undefined
  /** The organization's plan, for the snapshot rates (default free, the strictest). */
  plan?: Plan | undefined
  /** Its start and end as the list gave them: the metadata request is skipped. */
  known?: { start_time: string; end_time: string | null } | undefined
}

export interface PullHooks {
  signal?: AbortSignal | undefined
  onProgress?: ProgressFn | undefined
  /** The clock waits run on (tests: a virtual one). */
  clock?: Clock | undefined
  /** Pace under PostHog's rate limits (default: yes, shared per host and key). false: not at all. */
  pace?: boolean | undefined
}

const SNAPSHOT_BATCH = 200
/** A personal key may ask for 20 blob keys at once (SessionRecordingSnapshotsRequestSerializer.validate). */
const MAX_BLOB_KEYS = 20

/** What can be checked before any request: the link, offline mode, the key. Throws UserError. */
export function preflight(input: Pick<PullInput, 'url' | 'apiKey' | 'offline'>): ReplayRef {
  const ref = parseReplayUrl(input.url)
  checkHost(new NetworkGuard(input.offline), ref.apiBase)
  if (!input.apiKey) throw new MissingKeyError('PostHog', 'POSTHOG_API_KEY')
  return ref
}

interface Source {
  source?: unknown
  blob_key?: unknown
}

/** One snapshot request: its query, what errors call it, whether a 404 just means "none" (realtime), and how many blocks it asks for. */
interface SnapshotRequest {
  q: string
  what: string
  optional?: boolean
  blocks?: number
}

const KNOWN_SOURCES = new Set(['blob_v2', 'blob_v2_lts', 'blob', 'realtime'])

export async function pullRecording(store: Store, input: PullInput, hooks: PullHooks = {}): Promise<ImportResult> {
  const { signal } = hooks
  const report = (fraction: number | null, message: string) => hooks.onProgress?.({ fraction, message })
  const ref = preflight(input)
  const guard = new NetworkGuard(input.offline)
  const clock = hooks.clock ?? realClock
  let phase = ''
  const http = new PosthogHttp({
    ...DEFAULT_HTTP,
    ...input.http,
    apiKey: input.apiKey,
    guard,
    signal,
    clock,
    limiter: hooks.pace === false ? undefined : limiterFor(clock, ref.apiBase, input.apiKey, input.plan, pacingFile(store.file)),
    onRetry: (what, attempt, ms, why) => report(null, `${phase}: ${why}; retry ${attempt} in ${(ms / 1000).toFixed(1)} s`),
    onWait: (message) => report(null, message),
  })
  const host = new URL(ref.apiBase).host

  phase = 'Project'
  const project = await resolveProject(http, ref.apiBase, ref.project, jsonBody)
  const canonical = project.id ? canonicalLink(ref.apiBase, { kind: 'id', id: project.id }, ref.sessionId) : ref.canonical
  const base = `${project.apiPath}/session_recordings/${encodeURIComponent(ref.sessionId)}`
  const named = `recording ${ref.sessionId} in ${project.label} at ${host}`

  phase = 'Recording'
  report(0, `Recording ${ref.sessionId}`)
  const meta = (input.known ?? (await http.request(named, `${base}/`, { scope: 'recording' }, jsonBody))) as { start_time?: unknown; end_time?: unknown }
  const listing = (await http.request(`the snapshot sources of ${named}`, `${base}/snapshots?blob_v2=true&blob_v2_lts=true`, { scope: 'snapshots' }, jsonBody)) as { sources?: Source[] }
  const sources = Array.isArray(listing.sources) ? listing.sources : []

  const tmp = scratchDir('sightline-pull-')
  try {
    const file = path.join(tmp, `posthog-${ref.sessionId}.jsonl`)
    const out = fs.createWriteStream(file)
    const write = (s: string) =>
      new Promise<void>((resolve, reject) => {
        out.write(s, (e) => (e ? reject(e) : resolve()))
      })
    let snapshotEvents = 0
    let productEvents = 0
    try {
      // ── snapshots
      const perRequest = Math.min(MAX_BLOB_KEYS, Math.max(1, input.blobKeysPerRequest ?? MAX_BLOB_KEYS))
      const requests = snapshotRequests(sources, perRequest)
      const other = [...new Set(sources.map((s) => String(s.source)).filter((s) => !KNOWN_SOURCES.has(s)))]
      if (requests.length === 0 && other.length) {
        throw new UserError(`PostHog offers ${named} only as ${other.join(', ')} snapshots, which Sightline cannot read; export it to a file in PostHog and import that.`)
      }
      let done = 0
      phase = 'Snapshots'
      // Batches run across requests: the file (and so its sha256, the import's idempotency key) is
      // the same however the blocks were requested.
      const batcher = new SnapshotBatcher(ref.sessionId)
      for (const r of requests) {
        report(0.05 + (0.55 * done) / requests.length, `Snapshots ${done}/${requests.length}`)
        const what = `${r.what} of ${named}`
        let events: [string, string][]
        try {
          events = await http.request(what, `${base}/snapshots?${r.q}`, { accept: 'application/jsonl, application/json, application/octet-stream, text/plain', scope: 'snapshots' }, (res, touch) =>
            snapshotEventsOf(res, touch, what, r.blocks),
          )
        } catch (e) {
          // The realtime buffer is not always there: PostHog's player takes a 404 as "nothing".
          if (!(r.optional && e instanceof UserError && e.code === 'not_found')) throw e
          events = []
        }
        for (const [wid, json] of events) {
          const line = batcher.add(wid, json)
          if (line) await write(line)
        }
        snapshotEvents += events.length
        done++
      }
      const last = batcher.flush()
      if (last) await write(last)
      // ── product events (HogQL, paged on timestamp and uuid)
      phase = 'Events'
      report(0.6, 'Events')
      if (input.eventsFile) productEvents = await copyLines(input.eventsFile, write)
      else productEvents = await pullEvents({
        http,
        projectPath: project.apiPath,
        sessionId: ref.sessionId,
        window: { start: meta.start_time, end: meta.end_time },
        pageSize: Math.min(50_000, Math.max(1, input.eventsPageSize ?? 5000)),
        what: `the events of ${named}`,
        signal,
        onEvent: write,
        onPage: (pages, n) => report(0.6 + 0.1 * Math.min(1, pages / 20), `Events ${n}`),
      })
    } finally {
      await new Promise<void>((resolve) => out.end(resolve))
    }
    if (signal?.aborted) throw new CancelledError()
    if (snapshotEvents + productEvents === 0) throw new UserError(`PostHog has neither snapshots nor events for ${named} (yet): a recording still in progress appears after a few minutes.`)

    phase = 'Import'
    const [result] = await importFiles(store, [{ file, label: canonical }], {
      signal,
      onProgress: (p) => report(0.7 + (0.3 * p.bytes_read) / Math.max(1, p.total_bytes), 'Importing'),
    })
    // "Open in PostHog": the session keeps the page it came from.
    if (!result!.error) for (const id of new Set([ref.sessionId, ...(result!.session_ids ?? [])])) if (store.sessions.get(id)) store.sync.setLink('session', id, canonical)
    return result!
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

/** Writes every line of a JSON-lines file; returns how many. */
async function copyLines(file: string, write: (s: string) => Promise<void>): Promise<number> {
  const { createInterface } = await import('node:readline')
  let n = 0
  for await (const line of createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    if (!line.trim()) continue
    await write(line + '\n')
    n++
  }
  return n
}

/**
 * What to fetch, as PostHog's player does: the blob_v2 blocks (in ranges of `perRequest` keys) when
 * any are listed; else every other source in the listed order (long-term copy, older blob files,
 * and the realtime buffer, which the listing puts last).
 */
function snapshotRequests(sources: Source[], perRequest: number): SnapshotRequest[] {
  const key = (s: Source) => (typeof s.blob_key === 'string' && s.blob_key ? s.blob_key : null)
  const v2 = sources.filter((s) => s.source === 'blob_v2' && /^\d+$/.test(key(s) ?? '')).map((s) => Number(s.blob_key))
  if (v2.length) {
    return ranges(v2.sort((a, b) => a - b), perRequest).map(([a, b]) => ({
      q: `source=blob_v2&start_blob_key=${a}&end_blob_key=${b}&decompress=false`,
      what: a === b ? `snapshot block ${a}` : `snapshot blocks ${a}–${b}`,
      blocks: b - a + 1,
    }))
  }
  const out: SnapshotRequest[] = []
  for (const s of sources) {
    const k = key(s)
    if (s.source === 'blob_v2_lts' && k) out.push({ q: `source=blob_v2_lts&blob_key=${encodeURIComponent(k)}`, what: 'the long-term snapshot copy' })
    else if (s.source === 'blob' && k) out.push({ q: `source=blob&blob_key=${encodeURIComponent(k)}`, what: `snapshot file ${k}` })
    else if (s.source === 'realtime' && !out.some((r) => r.optional)) out.push({ q: 'source=realtime&version=2024-04-30', what: 'the realtime snapshots', optional: true })
  }
  return out
}

/** Consecutive keys grouped into ranges of at most `max`. */
function ranges(keys: number[], max: number): [number, number][] {
  const out: [number, number][] = []
  for (const k of keys) {
    const last = out[out.length - 1]
    if (last && k === last[1] + 1 && k - last[0] < max) last[1] = k
    else out.push([k, k])
  }
  return out
}


/** `$snapshot` capture events of up to SNAPSHOT_BATCH consecutive events of one window. */
class SnapshotBatcher {
  private wid: string | null = null
  private batch: string[] = []
  constructor(private readonly sessionId: string) {}

  /** Adds one event (as JSON); returns a finished line when the batch closed. */
  add(wid: string, json: string): string | null {
    const out = wid !== this.wid || this.batch.length >= SNAPSHOT_BATCH ? this.flush() : null
    this.wid = wid
    this.batch.push(json)
    return out
  }

  flush(): string | null {
    const line = this.batch.length && this.wid !== null ? `{"event":"$snapshot","properties":{"$session_id":${JSON.stringify(this.sessionId)},"$window_id":${JSON.stringify(this.wid)},"$snapshot_data":[${this.batch.join(',')}]}}\n` : null
    this.batch = []
    return line
  }
}
