// The prompt for one session summary call. Kept short: rules that stop the usual failures (crying
// wolf over unnoticed errors, inventing problems, citing nothing), the reduced event table, and
// the offline detectors' flags as hints to check rather than facts to repeat.
import { stringify } from 'csv-stringify/sync'
import type { NewFlag } from '../store/flags'
import { renderReduced, type ReducedRow, type ReducedSession } from '../sessions'
import type { SessionSummaryOut } from './schema'

export const SYSTEM = `You analyse one recorded user session of a website or app for a support and product team.
You get the session's events as a CSV table (aliases like url_3 or el_2 are defined above it) and hints from offline detectors.
Return JSON for the given schema:
- goal: what the user was trying to do, inferred from their actions.
- outcome: succeeded, partly, failed or unclear, judged by whether the goal was reached.
- segments: consecutive phases of the session with start/end in seconds and what happened.
- key_moments: the few moments that explain the outcome.
- flags: problems, each labelled blocking (it stopped the user), friction (it slowed or annoyed them) or noise (errors the user never noticed).
Rules:
- Judge by what the user did next. Errors followed by the user carrying on and succeeding are noise, not blocking.
- Errors from third-party scripts or background code were filtered out; do not guess at them.
- A detector hint is a lead to check against the rows, not a fact; drop it if the rows contradict it.
- Cite evidence by row number (e). Never invent events, pages or errors that are not in the table.
- Values in [brackets] such as [email] or [value] were redacted; do not guess them.
- If the user succeeded without problems, return no flags.`

export function hintsCsv(flags: Pick<NewFlag, 'time_ms' | 'type' | 'label' | 'title' | 'evidence'>[], r: ReducedSession): string {
  if (flags.length === 0) return 'Detector hints: none.'
  const rowOf = new Map<number, number>()
  for (const row of r.rows) for (const id of row.ids) rowOf.set(id, row.e)
  const rows = flags.map((f) => [
    ((f.time_ms - r.start_ms) / 1000).toFixed(1),
    f.type,
    f.label,
    f.title,
    [...new Set(f.evidence.map((id) => rowOf.get(id)).filter((e): e is number => e !== undefined))].join(' '),
  ])
  return `Detector hints (offline heuristics; verify against the rows):\n${stringify([['t', 'type', 'label', 'title', 'rows'], ...rows]).trimEnd()}`
}

export const SUMMARY_SO_FAR_PLACEHOLDER = '(the summary returned for the previous segments goes here)'

/** The user message of one call; for segment k > 1 it carries the summary so far. */
export function userMessage(r: ReducedSession, rows: ReducedRow[], hints: string, seg: { index: number; count: number }, soFar: SessionSummaryOut | string | null): string {
  const parts: string[] = []
  if (seg.count > 1) {
    parts.push(
      `This session is too long for one call and comes in ${seg.count} consecutive segments. This is segment ${seg.index + 1} of ${seg.count} (rows ${rows[0]!.e}–${rows.at(-1)!.e}).` +
        (seg.index > 0 ? ' Update the summary so far with it and return the summary of the whole session up to the end of this segment.' : ' Return the summary of the session up to the end of this segment.'),
    )
    if (soFar !== null) parts.push(`Summary so far:\n${typeof soFar === 'string' ? soFar : JSON.stringify(soFar)}`)
  }
  parts.push(renderReduced(r, rows))
  parts.push(hints)
  return parts.join('\n\n')
}
