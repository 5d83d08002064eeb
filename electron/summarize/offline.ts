// Provider "none": a summary made from the heuristic flags alone, labelled as such (kind
// 'heuristic'). It states what the detectors found and guesses nothing about the user's goal.
import type { Outcome, SummarySegment } from '../../shared/summary'
import type { ReducedSession } from '../sessions'
import type { NewFlag } from '../store/flags'

export interface OfflineSummary {
  goal: string
  outcome: Outcome
  outcome_reason: string
  segments: SummarySegment[]
  key_moments: { time_ms: number; description: string; evidence: number[] }[]
}

export function offlineSummary(r: ReducedSession, flags: Pick<NewFlag, 'time_ms' | 'label' | 'title' | 'evidence' | 'blocking'>[]): OfflineSummary {
  const blocking = flags.filter((f) => f.blocking)
  const friction = flags.filter((f) => f.label === 'friction')
  const pages = [...new Set(r.rows.filter((x) => x.event === 'nav').map((x) => r.aliases.entries('url').find(([a]) => a === x.url)?.[1] ?? x.url))]
  const outcome: Outcome = blocking.length ? 'failed' : 'unclear'
  return {
    goal: 'Not inferred: made offline from heuristics, without a model.',
    outcome,
    outcome_reason: blocking.length
      ? `Heuristics found ${blocking.length} blocking issue(s): ${blocking.map((f) => f.title).join('; ')}.`
      : `Heuristics found no blocking issue${friction.length ? ` (${friction.length} friction signal(s))` : ''}; without a model the outcome is not judged.`,
    segments: [
      {
        start_ms: r.start_ms,
        end_ms: r.end_ms,
        title: 'Whole session (heuristic summary)',
        what_happened: `${r.rows.length} events; pages visited: ${pages.slice(0, 12).join(', ') || 'unknown'}${pages.length > 12 ? ', …' : ''}.`,
      },
    ],
    key_moments: flags.filter((f) => f.label !== 'noise').map((f) => ({ time_ms: f.time_ms, description: f.title, evidence: f.evidence })),
  }
}
