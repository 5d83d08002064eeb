// Summaries stage: the session summary prompt and schema, the run (one call or sequential
// segments, checkpointed), and what the UI reads back (latest version, all versions, failures).
import type { SummaryFailure, SummaryResult, SummaryVersion } from '../../shared/summary'
import type { Store } from '../store'

export { summarizeSession, planSegments, type SummarizeOptions, type SummarizeResult } from './run'
export { SessionSummarySchema, type SessionSummaryOut } from './schema'
export { applyVerdicts } from './verdicts'

export interface SummaryView {
  latest: SummaryVersion | null
  /** Every version, newest first, without flags (pick one with its version number). */
  versions: Omit<SummaryVersion, 'flags'>[]
  /** Recent model answers that were not valid JSON for the schema, verbatim. */
  failures: SummaryFailure[]
}

export function summaryView(store: Store, sessionId: string, version?: number): SummaryView {
  const latest = version === undefined ? store.summaries.latest(sessionId) : store.summaries.byVersion(sessionId, version)
  return { latest: latest ?? null, versions: store.summaries.versions(sessionId), failures: store.summaries.failures(sessionId) }
}


/** A stored version in brief: what a summary job returns. */
export function summaryResult(s: SummaryVersion): SummaryResult {
  return {
    session_id: s.session_id,
    version: s.version,
    kind: s.kind,
    outcome: s.outcome,
    flags: s.flags.map((f) => ({ id: f.id, type: f.type, time_ms: f.time_ms, blocking: f.blocking, status: f.status })),
    usage: s.usage,
  }
}
