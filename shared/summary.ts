// Session summaries and flags as both sides see them. Plain data: the core produces these
// (electron/summarize, electron/sessions) and the Session page shows them. Times are epoch ms.

/** What a person (or, later, the verifier) decided about a flag. Starts 'unverified'. */
/** What redaction removes before anything is sent to a cloud model; each can be turned off per run. */
export const REDACT_CATEGORIES = ['emails', 'phones', 'cards', 'ibans', 'keys', 'input_values'] as const
export type RedactCategory = (typeof REDACT_CATEGORIES)[number]

export type FlagStatus = 'unverified' | 'confirmed' | 'denied' | 'inconclusive'
/** How much a flag matters: blocking stopped the user, friction slowed them, noise did neither. */
export type FlagLabel = 'blocking' | 'friction' | 'noise'
export type FlagSeverity = 'high' | 'medium' | 'low'
/** 'heuristic': the offline detectors (no model); 'model': a flag from a summary version. */
export type FlagOrigin = 'heuristic' | 'model'
export type Outcome = 'succeeded' | 'partly' | 'failed' | 'unclear'

export interface FlagRow {
  id: number
  session_id: string
  origin: FlagOrigin
  /** The summary version a model flag belongs to; null for heuristic flags. */
  summary_id: number | null
  summary_version: number | null
  /** rage_click, dead_click, http_error_after_action, exception_avalanche, ... (free text for model flags). */
  type: string
  label: FlagLabel
  severity: FlagSeverity
  blocking: boolean
  time_ms: number
  window_id: string | null
  /** Ids of rows in the events table that show it (click, error, request, ...). */
  evidence: number[]
  /** 0…1 for model flags; heuristic flags carry their own fixed confidence. */
  confidence: number | null
  title: string
  detail: string
  status: FlagStatus
  status_by: 'user' | 'model' | null
  status_note: string | null
  status_ms: number | null
  /** What the clip of the flag's moment showed, once a model or a person looked (null before). */
  verdict: Verdict | null
}

/** A verification of a flag: what the user saw, what they did next, and what it cost to find out. */
export interface Verdict {
  saw: string | null
  next: string | null
  /** Moments in the clip that show it (epoch ms). */
  evidence_ms: number[]
  clip_id: number | null
  /** Who judged the clip: a model's provider and name, or null for a person. */
  provider: string | null
  model: string | null
  tokens: number | null
  cost_usd: number | null
}

export interface SummarySegment {
  start_ms: number
  end_ms: number
  title: string
  what_happened: string
}

export interface KeyMoment {
  time_ms: number
  description: string
  evidence: number[]
}

export interface Usage {
  input_tokens: number
  output_tokens: number
  /** Model calls made (more than one when a long session went in sequential segments). */
  calls: number
  /** Estimated from the price table; null when the model has no price (local models). */
  cost_usd: number | null
}

/** One stored version of a session summary. Versions are never overwritten: a re-run adds one. */
export interface SummaryVersion {
  id: number
  session_id: string
  version: number
  created_ms: number
  provider: 'openai' | 'gemini' | 'none'
  model: string
  /** 'heuristic' when made offline by provider none (no model involved; say so in the UI). */
  kind: 'model' | 'heuristic'
  goal: string
  outcome: Outcome
  outcome_reason: string
  segments: SummarySegment[]
  key_moments: KeyMoment[]
  usage: Usage
  /** The version this one was made from by applying verdicts (null for a model's or the detectors' own). */
  verified_from: number | null
  flags: FlagRow[]
}

/** What `summary:run` with dryRun (and `sightline summarize --dry-run`) shows before any call. */
export interface DryRun {
  provider: 'openai' | 'gemini' | 'none'
  model: string
  base_url: string | null
  /** Whether the request would leave this machine (non-loopback host). */
  cloud: boolean
  /** Offline mode is on and the host is not loopback: a real run would be refused. */
  offline_refused: boolean
  /** Exactly what would be sent, after redaction: one entry per model call. */
  requests: { system: string; user: string }[]
  estimated_input_tokens: number
  estimated_output_tokens: number
  /** null when the price table has no entry for the model. */
  estimated_cost_usd: number | null
  redaction: { category: string; count: number }[]
  segments: number
  /** Prompt budget used to decide on segments (the model's context, or the override). */
  context_tokens: number
}

/** A model answer that was not valid JSON for the schema, kept verbatim. */
export interface SummaryFailure {
  id: number
  created_ms: number
  segment: number | null
  error: string
  raw: string
}

/** What a summary job returns (`sightline summarize --json`): the new version in brief. */
export interface SummaryResult {
  session_id: string
  version: number
  kind: SummaryVersion['kind']
  outcome: SummaryVersion['outcome']
  flags: { id: number; type: string; time_ms: number; blocking: boolean; status: FlagStatus }[]
  usage: SummaryVersion['usage']
}
