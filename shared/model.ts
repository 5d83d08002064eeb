// Domain types both sides use. Plain data, no logic: the main process produces these and the
// renderer shows them. Times are epoch milliseconds; ids are the source's own where it has them.

export type JobState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'

/** What a job does; its result's type is JobResults[kind] (shared/jobs.ts). */
export type JobKind = 'clip' | 'import' | 'pull' | 'pull-sync' | 'pull-traces' | 'summarize' | 'detect' | 'summarize-traces' | 'embed' | 'cluster' | 'cluster-label' | 'cluster-pipeline' | 'verify'

/** How far long work has got: the one shape every stage reports and every job shows. */
export interface Progress {
  /** 0…1, or null while the total is unknown. */
  fraction: number | null
  message?: string | undefined
  /** Units done and in all (bytes of a file, sessions of a batch), when the stage counts them. */
  done?: number | undefined
  total?: number | undefined
}

export type ProgressFn = (p: Progress) => void

export interface JobInfo {
  id: string
  kind: JobKind
  title: string
  state: JobState
  /** 0…1, or null while the total is unknown. */
  progress: number | null
  message: string
  error: string | null
  result: unknown
  created_ms: number
  finished_ms: number | null
}

export interface SessionRow {
  id: string
  distinct_id: string | null
  start_ms: number
  end_ms: number
  duration_ms: number
  active_ms: number
  first_url: string | null
  events: number
  snapshot_events: number
  errors: number
  windows: number
  /** Blocking heuristic flags that a person has not denied. */
  flags: number
  source_id: number | null
}

export interface TraceRow {
  id: string
  name: string | null
  start_ms: number | null
  spans: number
  input_tokens: number
  output_tokens: number
  cost_usd: number | null
  error: boolean
  session_id: string | null
}

/** One source file's outcome, as `sightline import --json` prints it. */
export interface ImportResult {
  file: string
  format: string | null
  sessions: number
  events: number
  snapshot_events: number
  traces: number
  spans: number
  /** OTel log records holding message content for spans (they may arrive in their own file). */
  log_records?: number
  skipped: { reason: string; count: number }[]
  /** What the user should know about what was stored (e.g. a recording the player cannot show). */
  notes?: string[]
  duration_ms: number
  /** Sessions the file added to or changed (absent when none). */
  session_ids?: string[]
  /** Spans whose ids were stored already with different content: kept both (the file's trace beside the stored one). */
  conflicts?: SpanConflict[]
  already_imported: boolean
  error: string | null
}

/** A span of an imported file whose trace and span ids were taken by a stored span of different content. */
export interface SpanConflict {
  trace_id: string
  span_id: string
  /** The trace id the file's version was stored under: `<trace id>~<first 8 hex of the file's sha256>`. */
  stored_as: string
  /** Which fields differ (model, input, output, ...). */
  fields: string[]
}

export type ProviderName = 'none' | 'openai' | 'gemini'

export interface Settings {
  provider: ProviderName
  model: string
  base_url: string
  /** The embedding model ('' = the provider's default); never the chat model. */
  embedding_model: string
  /** When on, no request may leave for a non-loopback host. */
  offline: boolean
  theme: 'system' | 'light' | 'dark'
  /** Clips sent to a model show every recorded text as asterisks (pixels cannot be redacted). */
  clip_mask_text: boolean
}

export interface SampleInfo {
  name: string
  title: string
  kind: 'session' | 'traces'
  bytes: number
}

export interface AppInfo {
  version: string
  transport: 'ipc' | 'http'
  db_path: string
  /** Which secrets are present (never their values). */
  keys: { openai: boolean; gemini: boolean; posthog: boolean }
  ffmpeg: string | null
}

/** One stored slice (~10 s) of a window's recording; the player loads these on demand. */
export interface ReplayChunk {
  seq: number
  start_ms: number
  end_ms: number
  events: number
  /** The chunk holding the full snapshot this one replays from (null: none before it). */
  full_snapshot_seq: number | null
}

export interface ReplayWindow {
  window_id: string
  first_ms: number
  last_ms: number
  chunks: ReplayChunk[]
  /** Spans of user activity [start, end] epoch ms (PostHog's active events): which window the
   * user was in (shared/window-at.ts). */
  activity: [number, number][]
}

export interface ReplayMeta {
  session: SessionRow
  windows: ReplayWindow[]
  /** Gaps with no user activity across all windows, [start, end] epoch ms. */
  inactive: [number, number][]
}

/** The hot columns of a stored event: a product event, or one derived from the recording. */
export interface EventColumns {
  origin: 'product' | 'rrweb'
  time_ms: number
  type: string
  window_id: string | null
  url: string | null
  el_text: string | null
  el_selector: string | null
  exc_type: string | null
  exc_message: string | null
  http_status: number | null
  http_method: string | null
  http_url: string | null
}

/** An event as the side panes and timeline show it. */
export interface SessionEvent extends EventColumns {
  id: number
  duration_ms: number | null
  /** An error of another host's script or benign browser chatter, or a request to another host
   * (shared/noise.ts): shown muted, never counted as an error. */
  noise: boolean
}

export interface ConsoleEntry {
  time_ms: number
  window_id: string
  level: string
  message: string
  trace: string[]
}
