// What pulls by query answer (electron/pull/by-query.ts, traces.ts): the CLI and the renderer read
// these from a job's result or a preview.
import type { ImportResult } from './model'

export interface PullSyncResult {
  /** The project, as `https://<host>/project/<id>`. */
  project: string
  /** The sync point this run moved (per project and query). */
  sync_key: string
  /** Matching recordings listed this run not pulled before (after the sync point, or late in the window before it). */
  listed: number
  /** Listed after the sync point but pulled by an earlier run (a resumed pull). */
  skipped: number
  /** Pulled and imported this run. */
  pulled: number
  /** Of those pulled, how many started before the sync point (PostHog listed them late). */
  late: number
  failed: { session_id: string; error: string }[]
  /** true when the limit stopped the run with matching recordings left. */
  more: boolean
  results: ImportResult[]
}

export interface PullTracesResult {
  project: string
  sync_key: string
  /** `$ai_*` events fetched this run. */
  events: number
  pages: number
  /** Traces the fetched events belong to. */
  traces: number
  results: ImportResult[]
}

export interface PullPreview {
  project: string
  /** Matching recordings not pulled yet (at most the limit). */
  recordings: number
  /** Matching recordings the list or query gave (from the sync point on). */
  matching: number
  /** Requests pulling them takes, by PostHog's throttle scope. */
  requests: { snapshots: number; queries: number; recording: number }
  /** How long PostHog's rate limits make it take on `plan`. */
  estimate_ms: number
  /** The limit that sets the pace. */
  bound_by: string
  /** The plan whose snapshot rates were assumed (PostHog's plan cannot be read with a pull's scopes). */
  plan: 'free' | 'paid' | 'enterprise' | 'none'
}

/** What a traces pull would fetch (new since its sync point) and how long PostHog's query limit makes it. */
export interface PullTracesPreview {
  project: string
  /** `$ai_*` events new since the sync point. */
  events: number
  /** Traces they belong to. */
  traces: number
  /** HogQL queries fetching them takes (pages). */
  queries: number
  estimate_ms: number
  bound_by: string
  plan: 'free' | 'paid' | 'enterprise' | 'none'
}

/** A pull's sync point, as listed for people (sightline pull --sync-points, the pull dialog). */
export interface SyncPointInfo {
  key: string
  kind: 'recordings' | 'traces'
  /** The project, as `https://<host>/project/<id>`. */
  project: string
  /** What is pulled: filter, hogql, since, until, model, person (those given). */
  query: Record<string, string>
  /** Up to where it has pulled (ISO time of the last recording's start or event), null before the first. */
  position: string | null
  /** Recordings (or LLM events) pulled under it in all runs. */
  pulled: number
  updated_ms: number
}
