// A summary version that takes the verdicts into account: made from the version the model (or the
// detectors) wrote, with denied flags no longer called blocking and the outcome told again when
// nothing blocking is left. The versions before stay as they were; status and verdict live on the
// flag (one id across versions), so every version shows the current decision.
import type { FlagRow, Outcome, SummaryVersion } from '../../shared/summary'
import type { Store } from '../store'
import type { NewFlag } from '../store/flags'
import { restate } from './flag-identity'

/** Adds a version when the verdicts change what the latest one says; returns it, or null. */
export function applyVerdicts(store: Store, sessionId: string, now: number): SummaryVersion | null {
  const latest = store.summaries.latest(sessionId)
  if (!latest) return null
  const base = latest.verified_from === null ? latest : (store.summaries.byVersion(sessionId, latest.verified_from) ?? latest)
  // The base's flags read with today's status and verdict (they live on the flag, not the version).
  const flags = base.flags.map((f) => ({ ...restated(f, f.status), status: f.status, verdict: f.verdict }))
  const { outcome, outcome_reason } = retold(base, flags)
  const same =
    outcome === latest.outcome &&
    outcome_reason === latest.outcome_reason &&
    flags.length === latest.flags.length &&
    flags.every((f, i) => f.detected_flag_id === latest.flags[i]!.id && f.blocking === latest.flags[i]!.blocking && f.label === latest.flags[i]!.label)
  if (same) return null
  return store.summaries.insert(
    {
      session_id: sessionId,
      provider: base.provider,
      model: base.model,
      kind: base.kind,
      goal: base.goal,
      outcome,
      outcome_reason,
      segments: base.segments,
      key_moments: base.key_moments,
      usage: { input_tokens: 0, output_tokens: 0, calls: 0, cost_usd: 0 },
      run_key: null,
      verified_from: base.id,
      flags: flags.map(({ status: _s, verdict: _v, ...f }) => f),
    },
    now,
  )
}

/** A base version's flag restated in a new version: a denied one is noise, not blocking. */
function restated(f: FlagRow, status: FlagRow['status']): NewFlag {
  const same = restate(f, `verified:${f.id}`)
  return status === 'denied' ? { ...same, label: 'noise', severity: 'low', blocking: false } : same
}

type Judged = NewFlag & { status: FlagRow['status']; verdict: FlagRow['verdict'] }

function retold(base: SummaryVersion, flags: Judged[]): { outcome: Outcome; outcome_reason: string } {
  const wasBlocking = base.flags.filter((f) => f.blocking).map((f) => f.id)
  const blockingLeft = flags.filter((f) => f.blocking)
  const notes = flags
    .filter((f) => f.status !== 'unverified')
    .map((f) => `"${f.title}" ${f.status === 'inconclusive' ? 'could not be told' : f.status}${f.verdict?.saw ? ` (${f.verdict.saw.replace(/\.$/, '')})` : ''}`)
  const verified = notes.length ? ` Verified on the replay: ${notes.join('; ')}.` : ''
  if (base.outcome === 'failed' && wasBlocking.length > 0 && blockingLeft.length === 0)
    return {
      outcome: 'unclear',
      outcome_reason: `Every blocking issue was denied on the replay, so the failure is not shown.${verified} Before verification: ${base.outcome_reason}`,
    }
  return { outcome: base.outcome, outcome_reason: `${base.outcome_reason}${verified}` }
}
