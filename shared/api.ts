// The contract between the renderer and the core: every channel declared once, with the zod schema
// its request must pass and the type of its answer. electron/api.ts implements it; main.ts (IPC)
// and serve.ts (HTTP) only carry it. The renderer is untrusted on both paths.
import { z } from 'zod'
import type { AiCall, TraceDetail, TreeRow } from './trace-model'
import type { EmbeddingModelInfo, TraceSummary, TraceSummaryEstimate } from './trace-summary'
import type { AppInfo, ConsoleEntry, JobInfo, ReplayMeta, SampleInfo, SessionEvent, SessionRow, Settings, TraceRow } from './model'
import type { PullPreview, PullTracesPreview, SyncPointInfo } from './pull'
import { ClipRenderInput } from './clips'
import { VerifyInput, type VerifyEstimate } from './verify'
import type { ClusterRunInfo } from './cluster'
import type { Packed } from './columns'
import { ClusterRowsInput, ClusterRunId, PipelineInput, PointIndices, type ClusterTraceRow, type PointColumns, type PointsMeta, type TracePlace, type ViewGroup } from './cluster-view'
import { REDACT_CATEGORIES, type DryRun, type FlagRow, type SummaryFailure, type SummaryVersion } from './summary'

// Curried so that the request type is inferred from the schema and only the answer is spelled out.
const channel =
  <Res>() =>
  <Req extends z.ZodType>(req: Req) => ({ req, res: undefined as unknown as Res })

const Page = {
  q: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
  dir: z.enum(['asc', 'desc']).default('desc'),
}

export const SettingsPatch = z
  .object({
    provider: z.enum(['none', 'openai', 'gemini']),
    model: z.string().max(200),
    base_url: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    embedding_model: z.string().max(200),
    offline: z.boolean(),
    theme: z.enum(['system', 'light', 'dark']),
    clip_mask_text: z.boolean(),
  })
  .partial()
  .strict()

/** A pull by query (pull:list, pull:sync). */
const PullQuery = z
  .object({
    project: z.string().trim().min(1).max(4096),
    filter: z.string().max(4000).optional(),
    hogql: z.string().max(20_000).optional(),
    since: z.string().trim().max(100).optional(),
    limit: z.number().int().min(1).max(1_000_000).optional(),
    /** The organization's PostHog plan (its snapshot rate limits); default free. */
    plan: z.enum(['free', 'paid', 'enterprise', 'none']).optional(),
  })
  .strict()

/** A traces pull (pull:traces, pull:traces-preview): `model` / `person` pick whole traces with an event of theirs in the range. */
const PullTraces = z
  .object({
    project: z.string().trim().min(1).max(4096),
    since: z.string().trim().max(100).optional(),
    until: z.string().trim().max(100).optional(),
    model: z.string().trim().max(200).optional(),
    person: z.string().trim().max(500).optional(),
  })
  .strict()

export const api = {
  'app:info': channel<AppInfo>()(z.object({}).strict()),
  'sessions:list': channel<{ rows: SessionRow[]; total: number }>()(
    z
      .object({
        ...Page,
        /** The session filter language (README, "Session filters"), e.g. "did $rageclick and duration > 30s". */
        filter: z.string().max(4000).optional(),
        sort: z.enum(['start_ms', 'duration_ms', 'active_ms', 'events', 'errors', 'first_url', 'flags']).default('start_ms'),
      })
      .strict(),
  ),
  'sessions:get': channel<SessionRow>()(z.object({ id: z.string().min(1).max(500) }).strict()),
  /** Windows, chunk index and inactive gaps of a session: what the player plans its loading from. */
  'replay:meta': channel<ReplayMeta>()(z.object({ id: z.string().min(1).max(500) }).strict()),
  /** rrweb events of the given chunks of one window, in order. */
  'replay:chunks': channel<{ seq: number; events: unknown[] }[]>()(
    z.object({ id: z.string().min(1).max(500), window_id: z.string().max(500), seqs: z.array(z.number().int().min(0)).min(1).max(200) }).strict(),
  ),
  /** Product and derived events of a session, time-ordered, for the panes and the timeline. */
  'sessions:events': channel<SessionEvent[]>()(z.object({ id: z.string().min(1).max(500) }).strict()),
  /** Console messages of every level recorded in the session (read from the recording). */
  'sessions:console': channel<ConsoleEntry[]>()(z.object({ id: z.string().min(1).max(500) }).strict()),
  'traces:list': channel<{ rows: TraceRow[]; total: number }>()(
    z.object({ ...Page, sort: z.enum(['start_ms', 'spans', 'name']).default('start_ms') }).strict(),
  ),
  /** Starts an import job over files the main process can read; progress arrives as job events. */
  'import:files': channel<{ job: JobInfo }>()(
    z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }).strict(),
  ),
  /**
   * "Paste a replay link": pulls one recording from PostHog's REST API and imports it exactly like
   * a file. `url` is a replay link as PostHog shows it (us/eu cloud or self-hosted):
   * `https://us.posthog.com/project/<project_id>/replay/<session_id>`, or any PostHog page with
   * `?sessionRecordingId=<id>` / `#sessionRecordingId=<id>` (links from the recordings list, a
   * playlist, a person or an event). Needs the 'posthog' key (keys:set, or POSTHOG_API_KEY in web
   * mode): a personal API key with session_recording:read and query:read.
   * Refused at once, as an error envelope (no job): a link that names no project or recording
   * (invalid_request / user_error), offline mode on for a host other than this machine (turn
   * Settings → offline off), no key. Otherwise `job` runs in a worker: watch the 'job' event
   * (progress 0…1, message = the current step); cancel with jobs:cancel. When done, job.result is
   * `ImportResult[]` with one entry, as import:files gives (its `file` is the canonical replay
   * URL; `error` set when PostHog's data could not be imported; `already_imported` on a repeat pull
   * with nothing new), and a 'changed' event fires; the session id is the recording's id. A failed
   * job's error says what to do: 401 bad key, 403 no access to the project, 404 no such recording
   * in that project, 429/5xx/timeouts after retries.
   */
  'pull:start': channel<{ job: JobInfo }>()(z.object({ url: z.string().trim().min(1).max(4096) }).strict()),
  /**
   * "Pull from PostHog…" by query: `project` is any page of the project
   * (`https://us.posthog.com/project/<id>`); `filter` the Library's filter language (mapped onto
   * PostHog's recordings list; what it cannot answer is refused with why) or `hogql` a query whose
   * rows include session_id; `since` an ISO date or '-7d' (default '-90d'); `limit` at most this
   * many new recordings. pull:list answers how many recordings are new since this query's sync
   * point and how long PostHog's rate limits make pulling them (the free plan's); imports nothing.
   * pull:sync runs the pull as a job (result: PullSyncResult); a re-run pulls only what is new.
   */
  'pull:list': channel<PullPreview>()(PullQuery),
  'pull:sync': channel<{ job: JobInfo }>()(PullQuery),
  /** LLM analytics events ($ai_*) of a date range (model, person) into the trace store; job result: PullTracesResult. */
  'pull:traces': channel<{ job: JobInfo }>()(PullTraces),
  /** How many $ai_ events (and traces) pull:traces would fetch, new since its sync point, and how long PostHog's 120 queries an hour make it; imports nothing. */
  'pull:traces-preview': channel<PullTracesPreview>()(PullTraces),
  /** Every sync point of pulls by query: project, query, up to where it has pulled. */
  'pull:sync-points': channel<SyncPointInfo[]>()(z.object({}).strict()),
  /** Forgets a sync point (key) or every one of a project: the next pull of that query starts over from its since (what was imported stays). */
  'pull:reset-sync': channel<{ reset: string[] }>()(z.union([z.object({ key: z.string().min(1).max(10_000) }).strict(), z.object({ project: z.string().trim().min(1).max(4096) }).strict()])),
  /** The PostHog page a pulled session or trace came from ("Open in PostHog"); url null when none. */
  'pull:link': channel<{ url: string | null }>()(z.object({ kind: z.enum(['session', 'trace']), id: z.string().min(1).max(500) }).strict()),
  /** One trace with all its spans and the display order of its tree (orphans under the root). */
  'traces:get': channel<{ trace: TraceDetail; tree: TreeRow[] }>()(z.object({ id: z.string().min(1).max(500) }).strict()),
  /** The L001: text representation, downsampled to `max_lines` when given. */
  'traces:text': channel<{ text: string; total_lines: number; shown_lines: number; sampled: boolean }>()(
    z.object({ id: z.string().min(1).max(500), max_lines: z.number().int().min(10).max(100_000).optional() }).strict(),
  ),
  /** Model calls of the traces that carry this session id, for the session's timeline. */
  'sessions:ai-calls': channel<AiCall[]>()(z.object({ id: z.string().min(1).max(500) }).strict()),
  'samples:list': channel<SampleInfo[]>()(z.object({}).strict()),
  'samples:import': channel<{ job: JobInfo }>()(
    z.object({ names: z.array(z.string().regex(/^[\w.-]+$/)).min(1) }).strict(),
  ),
  'jobs:list': channel<JobInfo[]>()(z.object({}).strict()),
  'jobs:cancel': channel<{ cancelled: boolean }>()(z.object({ id: z.string().min(1) }).strict()),
  /** Runs again what a job (e.g. an interrupted import) was asked to do; the old record is cleared. */
  'jobs:rerun': channel<{ job: JobInfo }>()(z.object({ id: z.string().min(1) }).strict()),
  /** Forgets a job that is not running (an interrupted one the user has dealt with). */
  'jobs:clear': channel<{ cleared: boolean }>()(z.object({ id: z.string().min(1) }).strict()),
  'settings:get': channel<Settings>()(z.object({}).strict()),
  'settings:set': channel<Settings>()(SettingsPatch),
  // ── Session summary and flags. Flags have two origins: 'heuristic' (offline detectors, run at
  // import and by flags:detect; a flag found again keeps its id and status) and 'model' (the
  // flags of one summary version). Times are epoch ms; evidence = ids of rows of sessions:events.
  /**
   * Flags of a session as stored: the heuristic ones and those of the latest summary version (or
   * `version`), time-ordered, each flag once: a version's flag that restates a detected one has its
   * id (one flag, one id, from detection through every version; status and verdict go with the id)
   * and is listed in the version's words. `summary_version` says which version's flags are in.
   * `stale`: the heuristic flags were found by an older version
   * of the detectors (or never) — offer flags:detect. Listing never detects.
   */
  'flags:list': channel<{ flags: FlagRow[]; summary_version: number | null; stale: boolean }>()(
    z
      .object({
        id: z.string().min(1).max(500),
        origin: z.enum(['all', 'heuristic', 'model']).default('all'),
        version: z.number().int().min(1).optional(),
      })
      .strict(),
  ),
  /** Runs the offline detectors again over these sessions (none given: every session whose flags are stale). */
  'flags:detect': channel<{ job: JobInfo }>()(z.object({ ids: z.array(z.string().min(1).max(500)).max(100_000).optional() }).strict()),
  /** Renders a clip around a moment (a flag's, to verify it by eye); job.result: ClipJobResult. */
  'clips:render': channel<{ job: JobInfo }>()(ClipRenderInput),
  /** Gets frame pages ready for a first clip (answers at once; the app calls it when flags show). */
  'clips:warm': channel<{ warming: boolean }>()(z.object({}).strict()),
  /** A recorded clip's .webm bytes (binary: an ArrayBuffer over IPC, application/octet-stream over HTTP). */
  'clips:data': channel<ArrayBuffer>()(z.object({ clip_id: z.number().int().min(1) }).strict()),
  /**
   * Manual verification: a person confirms or denies a flag (or marks it inconclusive). The
   * decision wins over a model's; the summary gets a version that takes it into account.
   */
  'flags:set-status': channel<FlagRow>()(
    z
      .object({
        flag_id: z.number().int().min(1),
        status: z.enum(['unverified', 'confirmed', 'denied', 'inconclusive']),
        note: z.string().max(2000).optional(),
      })
      .strict(),
  ),
  /** What verifying these flags with a model would send and cost (nothing is sent). */
  'verify:estimate': channel<VerifyEstimate>()(VerifyInput),
  /**
   * Verifies flags with a multimodal model: a clip of each flag's moment (video for Gemini, frames
   * for OpenAI-style models), a verdict stored with the flag, and a summary version that takes the
   * verdicts into account. job.result: VerifyJobResult.
   */
  'flags:verify': channel<{ job: JobInfo }>()(VerifyInput),
  /**
   * The summary of a session: `latest` (or the given `version`) with its flags, every version
   * (newest first, without flags) and recent model answers that were not valid JSON (verbatim).
   * `latest` is null before the first run. kind 'heuristic' = made offline, without a model.
   */
  'summary:get': channel<{ latest: SummaryVersion | null; versions: Omit<SummaryVersion, 'flags'>[]; failures: SummaryFailure[] }>()(
    z.object({ id: z.string().min(1).max(500), version: z.number().int().min(1).optional() }).strict(),
  ),
  /**
   * Summarizes a session with the provider in Settings (provider/model may be overridden here;
   * base URL and offline mode come only from Settings). With dryRun nothing is sent: the answer's
   * `dry_run` shows exactly what would be sent after redaction, estimated tokens and cost, and
   * whether offline mode would refuse it. Otherwise `job` runs it: watch the 'job' event; when
   * done, job.result = {session_id, version, kind, outcome, flags: [{id, type, time_ms, blocking,
   * status}], usage} and summary:get shows the new version. Re-running adds a version, never
   * overwrites; re-running an interrupted run resumes without repeating finished model calls.
   */
  'summary:run': channel<{ job: JobInfo | null; dry_run: DryRun | null }>()(
    z
      .object({
        id: z.string().min(1).max(500),
        provider: z.enum(['none', 'openai', 'gemini']).optional(),
        model: z.string().min(1).max(200).optional(),
        dryRun: z.boolean().default(false),
        /** Redaction categories to turn off for this run (all are on by default). */
        redact_off: z.array(z.enum(REDACT_CATEGORIES)).max(REDACT_CATEGORIES.length).optional(),
      })
      .strict(),
  ),
  // ── Trace summaries and embeddings (README "Trace summaries and embeddings").
  /**
   * Summarizes traces (`ids`, else all; `limit`: a random sample) with the provider in Settings
   * (or `provider`/`model`); ones already summarized from the same content are skipped. With
   * `estimate` nothing is sent: the answer's `estimate` has the tokens and cost it would take.
   * Otherwise `job` runs it; job.result is SummarizeTracesResult.
   */
  'traces:summarize': channel<{ job: JobInfo | null; estimate: TraceSummaryEstimate | null }>()(
    z
      .object({
        provider: z.enum(['none', 'openai', 'gemini']).optional(),
        model: z.string().min(1).max(200).optional(),
        ids: z.array(z.string().min(1).max(500)).max(100_000).optional(),
        limit: z.number().int().min(1).optional(),
        force: z.boolean().optional(),
        estimate: z.boolean().default(false),
      })
      .strict(),
  ),
  /** A trace's newest summary (null before the first) and all it has, newest first. */
  'traces:summary': channel<{ latest: TraceSummary | null; all: TraceSummary[] }>()(z.object({ id: z.string().min(1).max(500) }).strict()),
  /** Embeds the summarized traces with the embedding model in Settings (or offline); job.result is EmbedResult. */
  'traces:embed': channel<{ job: JobInfo }>()(
    z.object({ provider: z.enum(['none', 'openai', 'gemini']).optional(), model: z.string().min(1).max(200).optional(), force: z.boolean().optional() }).strict(),
  ),
  /** Embedding models with stored vectors. */
  'embeddings:models': channel<EmbeddingModelInfo[]>()(z.object({}).strict()),
  // ── The cluster explorer (electron/app/cluster-explorer.ts). Point index = the run's point order.
  /** Cluster runs, newest first (parameters, date, counts), and how many traces are stored. */
  'clusters:runs': channel<{ runs: ClusterRunInfo[]; traces: number }>()(z.object({}).strict()),
  /** A run's points as packed columns (binary: an ArrayBuffer over IPC, application/octet-stream over HTTP). */
  'clusters:points': channel<Packed<PointColumns, PointsMeta>>()(z.object({ run_id: ClusterRunId }).strict()),
  /** Labels and descriptions of a run's clusters and topics, largest first. */
  'clusters:groups': channel<{ topics: ViewGroup[]; clusters: ViewGroup[] }>()(z.object({ run_id: ClusterRunId }).strict()),
  /** The topic slider: cut a run again at `topics` topics (1 … its clusters); the run keeps its id. */
  'clusters:topics': channel<{ run_id: string; clusters: number; topics: number; noise: number }>()(z.object({ run_id: ClusterRunId, topics: z.number().int() }).strict()),
  /** Rows (title, model, tokens, cost, error, date…) of a selection, a cluster or topic, or a search; paged. */
  'clusters:rows': channel<{ rows: ClusterTraceRow[]; total: number }>()(ClusterRowsInput),
  /** Indices of the points whose title, name or id contains q (packed column `idx`). */
  'clusters:search': channel<Packed<{ idx: Uint32Array }, { total: number }>>()(z.object({ run_id: ClusterRunId, q: z.string().min(1).max(500) }).strict()),
  /** Where a trace sits in the newest run that holds it; null when in none. */
  'clusters:place': channel<TracePlace | null>()(z.object({ trace_id: z.string().min(1).max(500) }).strict()),
  /** A selection as CSV (formula cells neutralised) or JSON. */
  'clusters:export': channel<{ filename: string; mime: string; content: string; rows: number }>()(
    z.object({ run_id: ClusterRunId, indices: PointIndices.min(1), format: z.enum(['csv', 'json']) }).strict(),
  ),
  /** What "Run clustering" would send and cost (the summaries stage; offline: nothing). */
  'clusters:pipeline-estimate': channel<TraceSummaryEstimate>()(PipelineInput),
  /** "Run clustering": summaries → embeddings → clusters as one job; job.result: PipelineResult. */
  'clusters:pipeline': channel<{ job: JobInfo }>()(PipelineInput),
  /** Stores an API key in the OS keychain (desktop app only); '' removes it. 'posthog' = a personal API key for pull:start. */
  'keys:set': channel<{ stored: boolean }>()(
    z.object({ name: z.enum(['openai', 'gemini', 'posthog']), value: z.string().max(1000) }).strict(),
  ),
} as const

export type Api = typeof api
export type Channel = keyof Api
export type Req<C extends Channel> = z.input<Api[C]['req']>
export type ParsedReq<C extends Channel> = z.output<Api[C]['req']>
export type Res<C extends Channel> = Api[C]['res']

/** Events pushed from the core to every window (IPC) or every SSE client (HTTP). */
export interface ApiEvents {
  job: JobInfo
  /** The store changed (an import landed, a cluster run was stored or labelled): lists should refresh. */
  changed: { what: 'sessions' | 'traces' | 'settings' | 'clusters' }
  /** Open an in-app route (a sightline:// link arrived). */
  navigate: { hash: string }
}
export type EventName = keyof ApiEvents

export type ErrorCode = 'invalid_request' | 'unknown_channel' | 'not_found' | 'user_error' | 'internal'

export interface ApiError {
  code: ErrorCode
  message: string
  /** What the user can do about it. */
  actions?: string[]
}

/** One envelope for IPC, HTTP and the CLI's --json errors. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiError }

export const isChannel = (name: string): name is Channel => Object.hasOwn(api, name)
