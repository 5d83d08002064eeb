// `sightline pull --project URL --traces [--since DATE] [--until DATE] [--model M] [--person ID]`:
// LLM analytics events (`$ai_generation`, `$ai_span`, `$ai_trace`, `$ai_embedding`, `$ai_metric`,
// `$ai_feedback`) of a date range through PostHog's query API, paged on (timestamp, uuid) as PostHog
// requires for personal keys (no OFFSET; events.ts), each page imported into the trace store like a
// file of capture events. The sync point (per project and query) is the last row of the last page
// imported: a re-run asks only for what came after it, and a run killed half way resumes at the page
// it was on (the same page again is the same file: already imported).
// --model and --person pick whole traces: those with an event of that model (or person) in the
// range come with every $ai_ event they have (their $ai_trace, spans, other models' calls, metrics
// and feedback), through a subquery on $ai_trace_id; a trace's events up to a day outside the range
// are its own too (TRACE_MARGIN_MS).
import fs from 'node:fs'
import path from 'node:path'
import type { ProgressFn } from '../../shared/model'
import type { PullTracesPreview, PullTracesResult } from '../../shared/pull'
import { CancelledError, UserError } from '../errors'
import { importFiles } from '../import'
import type { Store } from '../store'
import { type ByQueryHooks, httpFor, paceEstimate, syncKey } from './by-query'
import { realClock } from './clock'
import { absoluteDate } from './dates'
import { eventLine, ISO, UUID } from './events'
import { checkHost } from './http'
import { jsonBody } from './json'
import { MissingKeyError, NetworkGuard } from '../net'
import { resolveProject } from './project'
import type { Plan } from './rate-limits'
import { parseProjectUrl, traceLink } from './url'
import { scratchDir } from '../scratch'

export const AI_EVENTS = ['$ai_generation', '$ai_span', '$ai_trace', '$ai_embedding', '$ai_metric', '$ai_feedback']
const COLUMNS = ['uuid', 'event', 'timestamp', 'distinct_id', 'properties']
const MAX_PAGES = 100_000
/** How far outside the range a picked trace's events are still fetched (a trace that began before --since, or ended after --until). */
const TRACE_MARGIN_MS = 24 * 3_600_000

export interface TracesInput {
  project: string
  apiKey: string
  offline: boolean
  /** From (ISO date or '-7d'); default '-7d'. */
  since?: string | undefined
  /** Up to (exclusive); default: now. */
  until?: string | undefined
  model?: string | undefined
  person?: string | undefined
  plan?: Plan | undefined
  /** Events per query page (default 5000, at most 50,000). */
  pageSize?: number | undefined
  http?: Parameters<typeof httpFor>[2]['http']
}

export type TracesResult = PullTracesResult

/** A HogQL string literal. */
const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** The WHERE of the $ai_ events of a range (and of a model or person, when given). */
function rangeConds(w: { since: string; until: string | null }): string[] {
  const conds = [`event IN (${AI_EVENTS.map(lit).join(', ')})`, `timestamp >= toDateTime(${lit(w.since)})`]
  if (w.until) conds.push(`timestamp < toDateTime(${lit(w.until)})`)
  return conds
}

const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString()

type Window = { since: string; until: string | null; model?: string | undefined; person?: string | undefined }
type After = { timestamp: string; uuid: string } | null

/** The WHERE of the events a traces pull fetches after `after`. */
function tracesWhere(w: Window, after: After): string {
  let conds = rangeConds(w)
  if (w.model || w.person) {
    // whole traces: every $ai_ event of a trace that has one of this model / person in the range
    const pick = rangeConds(w)
    if (w.model) pick.push(`properties.$ai_model = ${lit(w.model)}`)
    if (w.person) pick.push(`distinct_id = ${lit(w.person)}`)
    conds = rangeConds({ since: shift(w.since, -TRACE_MARGIN_MS), until: w.until ? shift(w.until, TRACE_MARGIN_MS) : null })
    conds.push(`properties.$ai_trace_id IN (SELECT properties.$ai_trace_id FROM events WHERE ${pick.join(' AND ')})`)
  }
  if (after) {
    const t = `toDateTime('${after.timestamp}', 6, 'UTC')`
    conds.push(`(timestamp > ${t} OR (timestamp = ${t} AND toString(uuid) > '${after.uuid}'))`)
  }
  return conds.join(' AND ')
}

export function tracesQuery(w: Window, pageSize: number, after: After): string {
  return `SELECT ${COLUMNS.join(', ')} FROM events WHERE ${tracesWhere(w, after)} ORDER BY timestamp ASC, toString(uuid) ASC LIMIT ${pageSize}`
}

/** The checks before any request, the range as dates, and the sync point's key. */
function prepareTraces(input: TracesInput, now: number) {
  const p = parseProjectUrl(input.project)
  checkHost(new NetworkGuard(input.offline), p.apiBase)
  if (!input.apiKey) throw new MissingKeyError('PostHog', 'POSTHOG_API_KEY')
  const since = input.since?.trim() || '-7d'
  const window: Window = { since: absoluteDate(since, now, '--since'), until: input.until ? absoluteDate(input.until, now, '--until') : null, model: input.model, person: input.person }
  const projectId = p.project.kind === 'id' ? p.project.id : ''
  // The key keeps the query as asked ('-7d' stays relative): the sync point carries the run on.
  const key = syncKey('traces', p.apiBase, projectId, { since, until: input.until, model: input.model, person: input.person })
  return { p, since, window, projectId, key }
}

/** How many $ai_ events and traces are new since the sync point, and how long fetching them takes under PostHog's 120 queries an hour; imports nothing. */
export async function previewTraces(store: Store, input: TracesInput, hooks: ByQueryHooks = {}): Promise<PullTracesPreview> {
  const clock = hooks.clock ?? realClock
  const { p, window, key } = prepareTraces(input, clock.now())
  const http = httpFor(store, p.apiBase, input, hooks, (m) => hooks.onProgress?.({ fraction: null, message: m }))
  const project = await resolveProject(http, p.apiBase, p.project, jsonBody)
  const cursor = store.sync.get(key)?.cursor
  const after = cursor ? (JSON.parse(cursor) as After) : null
  const body = { query: { kind: 'HogQLQuery', query: `SELECT count(), count(DISTINCT properties.$ai_trace_id) FROM events WHERE ${tracesWhere(window, after)}` }, name: 'sightline pull --traces --preview' }
  const answer = (await http.request(`the count of LLM analytics events of ${project.label}`, `${project.apiPath}/query/`, { method: 'POST', body, scope: 'query' }, jsonBody)) as { results?: unknown }
  const row = Array.isArray(answer.results) && Array.isArray(answer.results[0]) ? (answer.results[0] as unknown[]) : []
  const events = Number(row[0] ?? 0) || 0
  const traces = Number(row[1] ?? 0) || 0
  const pageSize = Math.min(50_000, Math.max(1, input.pageSize ?? 5000))
  // a page per pageSize events, and the short (or empty) page that ends the run
  const queries = Math.floor(events / pageSize) + 1
  const plan = input.plan ?? 'free'
  const est = paceEstimate({ query: queries }, plan)
  return { project: p.canonical, events, traces, queries, estimate_ms: est.ms, bound_by: est.bound, plan }
}

export async function pullTraces(store: Store, input: TracesInput, hooks: ByQueryHooks & { onProgress?: ProgressFn | undefined } = {}): Promise<TracesResult> {
  const { signal } = hooks
  const clock = hooks.clock ?? realClock
  const { p, since, window, projectId, key } = prepareTraces(input, clock.now())
  const tell = (m: string) => hooks.onProgress?.({ fraction: null, message: m })
  const http = httpFor(store, p.apiBase, input, hooks, tell)
  const project = await resolveProject(http, p.apiBase, p.project, jsonBody)
  const sp = store.sync.ensure({ key, kind: 'traces', project_url: p.canonical, query: JSON.stringify({ since, until: input.until ?? null, model: input.model ?? null, person: input.person ?? null }) })
  let after = sp.cursor ? (JSON.parse(sp.cursor) as { timestamp: string; uuid: string }) : null
  const pageSize = Math.min(50_000, Math.max(1, input.pageSize ?? 5000))
  const out: TracesResult = { project: p.canonical, sync_key: key, events: 0, pages: 0, traces: 0, results: [] }
  const traceIds = new Set<string>()
  const tmp = scratchDir('sightline-pull-traces-')
  try {
    for (let page = 1; page <= MAX_PAGES; page++) {
      if (signal?.aborted) throw new CancelledError()
      const body = { query: { kind: 'HogQLQuery', query: tracesQuery(window, pageSize, after) }, name: 'sightline pull --traces' }
      const what = `LLM analytics events of ${project.label}`
      const answer = (await http.request(what, `${project.apiPath}/query/`, { method: 'POST', body, scope: 'query' }, jsonBody)) as { results?: unknown; columns?: unknown }
      const rows = Array.isArray(answer.results) ? (answer.results as unknown[]) : []
      const columns = Array.isArray(answer.columns) ? (answer.columns as string[]) : COLUMNS
      if (!rows.length) break
      const file = path.join(tmp, `posthog-ai-${page}.jsonl`)
      const lines: string[] = []
      const ids = new Set<string>()
      for (const row of rows) {
        const l = eventLine(row, columns)
        if (!l) continue
        lines.push(l.text)
        const props = (JSON.parse(l.text) as { properties?: Record<string, unknown> }).properties ?? {}
        const id = props.$ai_trace_id
        if (typeof id === 'string' && id) ids.add(id)
      }
      fs.writeFileSync(file, lines.join(''))
      const [result] = await importFiles(store, [{ file, label: `${p.canonical}/llm-analytics/traces (events after ${after ? after.timestamp : window.since})` }], { signal })
      if (result!.error) throw new UserError(`PostHog's LLM analytics events of ${project.label} (page ${page}) could not be imported: ${result!.error}`)
      out.results.push(result!)
      store.sync.setLinks('trace', [...ids].filter((id) => store.spans.traceExists(id)).map((id) => [id, traceLink(p.apiBase, projectId, id)]))
      for (const id of ids) traceIds.add(id)
      out.events += lines.length
      out.pages++
      const last = rows[rows.length - 1] as unknown[]
      const timestamp = last[columns.indexOf('timestamp')]
      const uuid = last[columns.indexOf('uuid')]
      if (typeof timestamp !== 'string' || !ISO.test(timestamp) || typeof uuid !== 'string' || !UUID.test(uuid)) {
        throw new UserError(`PostHog answered ${what} with a row whose timestamp or uuid (${JSON.stringify(timestamp)}, ${JSON.stringify(uuid)}) cannot mark where the next page starts.`)
      }
      after = { timestamp, uuid }
      store.sync.advance(key, JSON.stringify(after), { pulled: lines.length })
      tell(`LLM events ${out.events} (${traceIds.size} traces)`)
      if (rows.length < pageSize) break
    }
    out.traces = traceIds.size
    return out
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}
