// `sightline pull --project URL [--filter EXPR | --hogql QUERY] [--since DATE] [--limit N]`: the
// recordings that match, pulled concurrently under PostHog's rate limits, each imported like a file
// (pullRecording), with a sync point per project and query so a re-run pulls only what is new.
//
// The listing runs oldest first from the sync point (list.ts), less an overlap window: PostHog lists
// a recording only once its first block is ingested, stamped with the client's start time, so one
// can appear after a pull has passed its start (ingestion lag, a client's clock behind, a mobile app
// sending what it queued offline). Each run lists that window again; the items pulled in it are kept
// by id (pull_sync_items) until the window has passed them, so nothing is imported twice.
//
// For each page: the product events of its recordings come in one paged HogQL query (PostHog allows
// 120 queries an hour, so not one per recording), written to a file per session; then `concurrency`
// recordings are pulled at once, all paced by the one limiter of this host and key. Each pulled
// recording is recorded at once (pull_sync_items), so a pull killed half way resumes without pulling
// it again; the import's own idempotency (the file's sha256) covers a kill between the import and
// that record. When a page is done the sync point moves past the longest run of its recordings that
// are done (never back). A recording PostHog no longer has (404/410) is done too; any other failure
// keeps the sync point before it, so the next run tries it again.
import fs from 'node:fs'
import path from 'node:path'
import type { ProgressFn } from '../../shared/model'
import type { PullPreview, PullSyncResult } from '../../shared/pull'
import type { Filter } from '../../shared/session-filter'
import { CancelledError, UserError } from '../errors'
import { MissingKeyError, NetworkGuard } from '../net'
import type { Store } from '../store'
import { type Clock, realClock } from './clock'
import { absoluteDate } from './dates'
import { pullEvents } from './events'
import { checkHost, DEFAULT_HTTP, type HttpOptions, PosthogHttp } from './http'
import { pullRecording } from './index'
import { jsonBody } from './json'
import { cursorAfter, type Listed, listRecordings, type Position, positionOf, queryOfFilter, type RecordingsQuery, sessionsOfHogql } from './list'
import { resolveProject } from './project'
import { limiterFor, limitsFor, type Plan, RateLimiter, type Scope } from './rate-limits'
import { pacingFile } from './shared-pacer'
import { canonicalLink, parseProjectUrl } from './url'
import { scratchDir } from '../scratch'

export interface ByQueryInput {
  /** Any page of the project, e.g. https://us.posthog.com/project/12345 */
  project: string
  apiKey: string
  offline: boolean
  /** The Library's filter (parsed), or none: every recording. */
  filter?: Filter | undefined
  /** The filter as the user wrote it (part of the sync point's key). */
  filterText?: string | undefined
  /** A HogQL query whose rows carry session ids (instead of the list). */
  hogql?: string | undefined
  /** Recordings that started at or after this (ISO date, or PostHog's relative '-7d'); default '-90d'. */
  since?: string | undefined
  /** At most this many new recordings this run. */
  limit?: number | undefined
  /** Recordings pulled at once (default 4). */
  concurrency?: number | undefined
  /** The organization's plan (snapshot rates); 'none' for a self-hosted PostHog without throttles. Default free. */
  plan?: Plan | undefined
  /** Recordings per list page (default 100). */
  pageSize?: number | undefined
  http?: Partial<Pick<HttpOptions, 'timeoutMs' | 'retries' | 'baseDelayMs' | 'rateLimitWaits'>> | undefined
  eventsPageSize?: number | undefined
  /** How far before the sync point each run lists again (default OVERLAP_MS). */
  overlapMs?: number | undefined
}

/**
 * A day: PostHog's own ingestion drops events more than 7 days off (message-parser.ts
 * MESSAGE_TIMESTAMP_DIFF_THRESHOLD_DAYS), but lag past a day is rare, and every run lists this
 * window again (list requests only: what was pulled in it is skipped by id).
 */
export const OVERLAP_MS = 24 * 3_600_000

export type ByQueryResult = PullSyncResult

export interface ByQueryHooks {
  signal?: AbortSignal | undefined
  onProgress?: ProgressFn | undefined
  clock?: Clock | undefined
  pace?: boolean | undefined
}

/** The sync point's key: host, project, what is asked. */
export function syncKey(kind: 'recordings' | 'traces', apiBase: string, projectId: string, query: Record<string, unknown>): string {
  const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''))
  return `${kind} ${apiBase}/project/${projectId} ${JSON.stringify(q, Object.keys(q).sort())}`
}

/** Checks that need no request: the project link, offline mode, the key, filter or HogQL (not both). */
export function preflightByQuery(input: Pick<ByQueryInput, 'project' | 'apiKey' | 'offline' | 'filter' | 'hogql'>): { apiBase: string; projectId: string; query: RecordingsQuery | null } {
  const p = parseProjectUrl(input.project)
  checkHost(new NetworkGuard(input.offline), p.apiBase)
  if (!input.apiKey) throw new MissingKeyError('PostHog', 'POSTHOG_API_KEY')
  if (input.filter && input.hogql) throw new UserError('Give a filter or a HogQL query, not both.', 'invalid_request')
  return { apiBase: p.apiBase, projectId: p.project.kind === 'id' ? p.project.id : '', query: input.hogql ? null : input.filter ? queryOfFilter(input.filter) : {} }
}

export function httpFor(store: Store, apiBase: string, input: Pick<ByQueryInput, 'apiKey' | 'offline' | 'http' | 'plan'>, hooks: ByQueryHooks, report: (m: string) => void): PosthogHttp {
  const clock = hooks.clock ?? realClock
  return new PosthogHttp({
    ...DEFAULT_HTTP,
    ...input.http,
    apiKey: input.apiKey,
    guard: new NetworkGuard(input.offline),
    signal: hooks.signal,
    clock,
    limiter: hooks.pace === false ? undefined : limiterFor(clock, apiBase, input.apiKey, input.plan, pacingFile(store.file)),
    onRetry: (_what, attempt, ms, why) => report(`${why}; retry ${attempt} in ${(ms / 1000).toFixed(1)} s`),
    onWait: report,
  })
}

/** Runs `fn` over `items`, `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!)
    }),
  )
}

/** Where the listing starts: the sync point less the overlap window (null: from --since). */
function listStart(cursor: string | null, overlapMs: number): { after: string | null; at: Position | null } {
  const at = cursor ? positionOf(cursor) : null
  if (!at) return { after: null, at: null }
  return { after: cursorAfter({ start_time: new Date(at.t - overlapMs).toISOString(), id: '' }), at }
}

const after = (a: Position, b: Position) => a.t > b.t || (a.t === b.t && a.id > b.id)
const positionOfRow = (r: Listed): Position => ({ t: Date.parse(r.start_time), id: r.id })

const gone = (e: unknown) => e instanceof UserError && e.code === 'not_found' && /gone|does not exist|expired|permanently/i.test(e.message)

export async function pullByQuery(store: Store, input: ByQueryInput, hooks: ByQueryHooks = {}): Promise<ByQueryResult> {
  const { signal } = hooks
  const pre = preflightByQuery(input)
  let status = 'Listing recordings'
  const tell = (fraction: number | null, message: string) => hooks.onProgress?.({ fraction, message })
  const http = httpFor(store, pre.apiBase, input, hooks, (m) => tell(null, `${status}: ${m}`))
  const project = await resolveProject(http, pre.apiBase, { kind: 'id', id: pre.projectId }, jsonBody)
  const since = input.since?.trim() || '-90d'
  const sinceIso = absoluteDate(since, (hooks.clock ?? realClock).now(), '--since')
  const key = syncKey('recordings', pre.apiBase, pre.projectId, { filter: input.filterText?.trim(), hogql: input.hogql?.trim(), since })
  const sp = store.sync.ensure({ key, kind: 'recordings', project_url: `${pre.apiBase}/project/${pre.projectId}`, query: JSON.stringify({ filter: input.filterText ?? null, hogql: input.hogql ?? null, since }) })
  const out: ByQueryResult = { project: `${pre.apiBase}/project/${pre.projectId}`, sync_key: key, listed: 0, skipped: 0, pulled: 0, late: 0, failed: [], more: false, results: [] }
  const overlapMs = Math.max(0, input.overlapMs ?? OVERLAP_MS)
  const start = listStart(sp.cursor, overlapMs)
  const limit = input.limit ?? Infinity
  const concurrency = Math.max(1, Math.min(16, input.concurrency ?? 4))
  const tmp = scratchDir('sightline-pull-many-')
  const progress = () => tell(Number.isFinite(limit) ? Math.min(1, out.pulled / limit) : null, `Pulled ${out.pulled}${Number.isFinite(limit) ? `/${limit}` : ''}${out.failed.length ? `, ${out.failed.length} failed` : ''}${out.skipped ? ` (${out.skipped} from before)` : ''}`)

  /** Pulls the rows (events fetched for all at once); returns the ids done. */
  const pullPage = async (rows: (Listed | { id: string; start_time?: undefined; end_time?: undefined })[]): Promise<Set<string>> => {
    const done = store.sync.done(key, rows.map((r) => r.id))
    // Done ones in the window listed again are not news; past the sync point they are a resumed run's.
    const past = (r: (typeof rows)[number]) => !r.start_time || !start.at || after(positionOfRow(r as Listed), start.at)
    out.skipped += rows.filter((r) => done.has(r.id) && past(r)).length
    let todo = rows.filter((r) => !done.has(r.id))
    out.listed += todo.length
    if (todo.length > limit - out.pulled) {
      todo = todo.slice(0, Math.max(0, limit - out.pulled))
      out.more = true
    }
    if (!todo.length) return done
    // ── the page's product events, one paged query, a file per session
    const files = new Map(todo.map((r) => [r.id, path.join(tmp, `${r.id}.events.jsonl`)]))
    const starts = todo.map((r) => (r.start_time ? Date.parse(r.start_time) : NaN)).filter((t) => !Number.isNaN(t))
    const ends = todo.map((r) => (r.end_time ? Date.parse(r.end_time) : r.start_time ? Date.parse(r.start_time) : NaN)).filter((t) => !Number.isNaN(t))
    const streams = new Map<string, fs.WriteStream>()
    status = 'Events'
    try {
      await pullEvents({
        http,
        projectPath: project.apiPath,
        sessionId: todo.map((r) => r.id),
        // HogQL rows give no times: the events from --since on (a query without bounds reads every partition)
        window: starts.length === todo.length ? { start: new Date(Math.min(...starts)).toISOString(), end: new Date(Math.max(...ends)).toISOString() } : { start: sinceIso, end: new Date((hooks.clock ?? realClock).now()).toISOString() },
        pageSize: Math.min(50_000, Math.max(1, input.eventsPageSize ?? 5000)),
        what: `the events of ${todo.length} recordings in ${project.label}`,
        signal,
        onEvent: async (line, sid) => {
          const file = files.get(sid)
          if (!file) return
          let s = streams.get(sid)
          if (!s) streams.set(sid, (s = fs.createWriteStream(file)))
          if (!s.write(line)) await new Promise<void>((r) => s.once('drain', () => r()))
        },
      })
    } finally {
      await Promise.all([...streams.values()].map((s) => new Promise<void>((r) => s.end(r))))
    }
    for (const f of files.values()) if (!fs.existsSync(f)) fs.writeFileSync(f, '')
    // ── the recordings, `concurrency` at once
    status = 'Snapshots'
    await pool(todo, concurrency, async (r) => {
      if (signal?.aborted) return
      const url = canonicalLink(pre.apiBase, { kind: 'id', id: pre.projectId }, r.id)
      try {
        const result = await pullRecording(
          store,
          { url, apiKey: input.apiKey, offline: input.offline, http: input.http, plan: input.plan, eventsFile: files.get(r.id), known: r.start_time ? { start_time: r.start_time, end_time: r.end_time ?? null } : undefined },
          { signal, clock: hooks.clock, pace: hooks.pace },
        )
        out.results.push(result)
        if (result.error) out.failed.push({ session_id: r.id, error: result.error })
        else {
          store.sync.markDone(key, r.id, r.start_time ? Date.parse(r.start_time) : null)
          done.add(r.id)
          out.pulled++
          if (!past(r)) out.late++
        }
      } catch (e) {
        if (e instanceof CancelledError || signal?.aborted) return
        if (gone(e)) {
          // PostHog will not have it later either: done, so the sync point can pass it.
          store.sync.markDone(key, r.id, r.start_time ? Date.parse(r.start_time) : null)
          done.add(r.id)
        }
        out.failed.push({ session_id: r.id, error: (e as Error).message })
      } finally {
        fs.rmSync(files.get(r.id)!, { force: true })
        progress()
      }
    })
    if (signal?.aborted) throw new CancelledError()
    return done
  }

  try {
    if (input.hogql) {
      status = 'HogQL'
      const ids = await sessionsOfHogql(http, project.apiPath, input.hogql, `the --hogql query in ${project.label}`)
      for (let i = 0; i < ids.length && out.pulled < limit; i += 100) await pullPage(ids.slice(i, i + 100).map((id) => ({ id })))
      return out
    }
    const q: RecordingsQuery = { ...pre.query, date_from: since }
    let blocked = false
    let at = start.at
    for await (const rows of listRecordings(http, project.apiPath, q, { pageSize: Math.max(1, Math.min(500, input.pageSize ?? 100)), after: start.after, what: `the recordings list of ${project.label}` })) {
      if (signal?.aborted) throw new CancelledError()
      // A recording still being recorded would be pulled half: it waits for a later run.
      const ready: Listed[] = []
      for (const r of rows) {
        if (r.ongoing) break
        ready.push(r)
      }
      const done = await pullPage(ready)
      // The sync point moves past the longest run of done recordings from the start, never back;
      // after a failure it stays (later pages' recordings are kept as items, so a re-run skips them).
      if (!blocked) {
        let n = 0
        while (n < ready.length && done.has(ready[n]!.id)) n++
        const last = n > 0 ? ready[n - 1]! : null
        if (last && (!at || after(positionOfRow(last), at))) {
          at = positionOfRow(last)
          store.sync.advance(key, cursorAfter(last), { dropBeforeMs: at.t - overlapMs })
        }
        blocked = n < ready.length
      }
      if (ready.length < rows.length || out.pulled >= limit) break
    }
    return out
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

export type Preview = PullPreview

/** How long `requests` take under PostHog's limits, simulated with the pacer itself. */
export function paceEstimate(requests: Partial<Record<Scope, number>>, plan: Plan = 'free'): { ms: number; bound: string } {
  if (plan === 'none') return { ms: 0, bound: 'none' }
  let worst = { ms: 0, bound: 'none' }
  for (const [scope, n] of Object.entries(requests) as [Scope, number][]) {
    let t = 0
    const clock = { now: () => t, sleep: async () => {} }
    const l = new RateLimiter(clock, limitsFor(plan))
    // the limit that made the pull wait longest in all sets the pace
    const waited = new Map<string, number>()
    for (let i = 0; i < n; i++) {
      const w = l.wait(scope)
      if (w.ms > 0) {
        t += w.ms
        const name = w.limit?.name ?? 'its rate limit'
        waited.set(name, (waited.get(name) ?? 0) + w.ms)
      }
      l.note(scope)
    }
    const bound = [...waited].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none'
    if (t > worst.ms) worst = { ms: t, bound }
  }
  return { ms: worst.ms, bound: worst.bound }
}

/** What a pull by query would fetch (the list only; nothing is imported) and how long it would take. */
export async function previewByQuery(store: Store, input: ByQueryInput, hooks: ByQueryHooks = {}): Promise<Preview> {
  const pre = preflightByQuery(input)
  const http = httpFor(store, pre.apiBase, input, hooks, (m) => hooks.onProgress?.({ fraction: null, message: m }))
  const project = await resolveProject(http, pre.apiBase, { kind: 'id', id: pre.projectId }, jsonBody)
  const since = input.since?.trim() || '-90d'
  const key = syncKey('recordings', pre.apiBase, pre.projectId, { filter: input.filterText?.trim(), hogql: input.hogql?.trim(), since })
  const start = listStart(store.sync.get(key)?.cursor ?? null, Math.max(0, input.overlapMs ?? OVERLAP_MS))
  const limit = input.limit ?? Infinity
  let matching = 0
  let fresh = 0
  if (input.hogql) {
    const ids = await sessionsOfHogql(http, project.apiPath, input.hogql, `the --hogql query in ${project.label}`)
    matching = ids.length
    fresh = ids.length - store.sync.done(key, ids).size
  } else {
    for await (const rows of listRecordings(http, project.apiPath, { ...pre.query, date_from: since }, { pageSize: 500, after: start.after, what: `the recordings list of ${project.label}` })) {
      const done = store.sync.done(key, rows.map((r) => r.id))
      // the window listed again counts only for what is new in it
      matching += rows.filter((r) => !done.has(r.id) || !start.at || after(positionOfRow(r), start.at)).length
      fresh += rows.length - done.size
      if (fresh >= limit) break
    }
  }
  const recordings = Math.min(fresh, limit)
  const pages = Math.ceil(recordings / Math.max(1, input.pageSize ?? 100))
  // Per recording: the snapshot sources and one range of up to 20 blocks (longer recordings take more).
  const requests = { snapshots: 2 * recordings, queries: pages, recording: 2 * recordings + pages }
  const plan = input.plan ?? 'free'
  const est = paceEstimate({ snapshots: requests.snapshots, query: requests.queries }, plan)
  return { project: `${pre.apiBase}/project/${pre.projectId}`, recordings, matching, requests, estimate_ms: est.ms, bound_by: est.bound, plan }
}
