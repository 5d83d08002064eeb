// Domain types both sides use. Plain data, no logic: the main process produces these and the
// renderer shows them. Times are epoch milliseconds; ids are the source's own where it has them.

export type JobState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'

export interface JobInfo {
  id: string
  kind: string
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
  skipped: { reason: string; count: number }[]
  duration_ms: number
  already_imported: boolean
  error: string | null
}

export type ProviderName = 'none' | 'openai' | 'gemini'

export interface Settings {
  provider: ProviderName
  model: string
  base_url: string
  /** When on, no request may leave for a non-loopback host. */
  offline: boolean
  theme: 'system' | 'light' | 'dark'
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
  keys: { openai: boolean; gemini: boolean }
  ffmpeg: string | null
}
