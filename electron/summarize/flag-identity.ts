// One flag, one id: a summary's flag that restates a detected flag, or a flag of the previous
// version, is linked to it (store: detected_flag_id) so that it keeps that id, its status and its
// verdict. Two flags are the same when they cite the same event, or have the same kind within 2 s.
import type { FlagRow } from '../../shared/summary'
import type { NewFlag } from '../store/flags'

const SAME_MOMENT_MS = 2_000

/** The flags with `detected_flag_id` set where one of `earlier` is the same flag (each used once). */
export function linkFlags(flags: NewFlag[], earlier: FlagRow[]): NewFlag[] {
  const pairs: { i: number; id: number; score: number }[] = []
  flags.forEach((f, i) => {
    const cited = new Set(f.evidence)
    for (const e of earlier) {
      const shared = e.evidence.filter((x) => cited.has(x)).length
      const near = e.type === f.type && Math.abs(e.time_ms - f.time_ms) <= SAME_MOMENT_MS
      // Shared evidence counts most; a nearer moment breaks ties.
      if (shared > 0 || near) pairs.push({ i, id: e.id, score: shared * 10 + (near ? 5 : 0) - Math.abs(e.time_ms - f.time_ms) / 1e6 })
    }
  })
  pairs.sort((a, b) => b.score - a.score)
  const link = new Map<number, number>()
  const used = new Set<number>()
  for (const p of pairs) {
    if (link.has(p.i) || used.has(p.id)) continue
    link.set(p.i, p.id)
    used.add(p.id)
  }
  return flags.map((f, i) => ({ ...f, detected_flag_id: link.get(i) ?? null }))
}

/** A stored flag said again in a new summary version: the same flag, with the same id. */
export const restate = (f: FlagRow, key: string): NewFlag => ({
  key,
  type: f.type,
  label: f.label,
  severity: f.severity,
  blocking: f.blocking,
  time_ms: f.time_ms,
  window_id: f.window_id,
  evidence: f.evidence,
  confidence: f.confidence,
  title: f.title,
  detail: f.detail,
  detected_flag_id: f.id,
})
