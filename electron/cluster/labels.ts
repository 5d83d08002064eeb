// Offline labels: c-TF-IDF keywords per group (BERTopic's class-based TF-IDF: a word's frequency
// in the group, weighted by log(1 + average words per group / the word's frequency overall)) plus
// the title of the group's most central point: "refund · order · card — 'Refund for a defective watch'".
// Noise is "Outliers"; without texts a group is "Cluster N" / "Topic N".

export interface LabelInput {
  /** Group per point (−1 noise). */
  groups: Int32Array
  count: number
  /** Text per point (title + what the user asked, a summary…), or null when unknown. */
  texts: (string | null)[]
  /** Short title per point for the "most central" example, or null. */
  titles: (string | null)[]
  /** Higher = more central (HDBSCAN membership strength). */
  centrality: Float32Array
  kind: 'Cluster' | 'Topic'
}

export interface GroupLabel {
  id: number
  label: string
  keywords: string[]
  /** Index of the most central point, −1 when the group is empty. */
  exemplar: number
}

const STOP = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just let me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves please thanks thank hi hello hey can't don't i'm it's get got also like want need one two use using used user assistant system tool tools call calls message messages content text response request model null true false`.split(
    /\s+/,
  ),
)

export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}][\p{L}\p{N}_'-]*/gu) ?? []).map((w) => w.replace(/'s$/, '')).filter((w) => w.length >= 3 && !STOP.has(w))
}

export function offlineLabels(o: LabelInput, topWords = 3): GroupLabel[] {
  const n = o.groups.length
  const counts: Map<string, number>[] = Array.from({ length: o.count }, () => new Map())
  const totals = new Float64Array(o.count)
  const overall = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const g = o.groups[i]!
    const text = o.texts[i]
    if (g < 0 || !text) continue
    for (const w of tokenize(text)) {
      counts[g]!.set(w, (counts[g]!.get(w) ?? 0) + 1)
      overall.set(w, (overall.get(w) ?? 0) + 1)
      totals[g] = totals[g]! + 1
    }
  }
  const avgWords = totals.reduce((s, v) => s + v, 0) / Math.max(1, o.count)
  const out: GroupLabel[] = []
  for (let g = 0; g < o.count; g++) {
    const scored = [...counts[g]!].map(([w, c]) => [w, (c / Math.max(1, totals[g]!)) * Math.log(1 + avgWords / overall.get(w)!)] as const)
    scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    const keywords = scored.slice(0, topWords).map(([w]) => w)
    let exemplar = -1
    for (let i = 0; i < n; i++) if (o.groups[i] === g && (exemplar < 0 || o.centrality[i]! > o.centrality[exemplar]!)) exemplar = i
    const title = exemplar >= 0 ? o.titles[exemplar]?.trim() : undefined
    const parts = [keywords.length ? keywords.join(' · ') : `${o.kind} ${g}`]
    if (title) parts.push(`'${title.length > 80 ? `${title.slice(0, 77)}…` : title}'`)
    out.push({ id: g, label: parts.join(' — '), keywords, exemplar })
  }
  return out
}

export const OUTLIERS = 'Outliers'
