// A stored cluster run with known structure for the explorer's tests: traces (model, tokens,
// cost, error, date), a summary per trace (title, bullets), six clusters in two topics, noise.
import type { Store } from '../../electron/store'
import type { NewClusterRun } from '../../electron/store/clusters'

export const CLUSTERS = [
  { label: 'Refund requests', topic: 0, at: [-6, 4], title: 'Refund for order' },
  { label: 'Shipping delays', topic: 0, at: [-3, 7], title: 'Where is my parcel' },
  { label: 'Invoice questions', topic: 0, at: [-7, 0], title: 'Invoice VAT number' },
  { label: 'Password resets', topic: 1, at: [5, -4], title: 'Reset my password' },
  { label: 'Two-factor codes', topic: 1, at: [7, -1], title: 'No 2FA code arrives' },
  { label: 'Account deletion', topic: 1, at: [3, -7], title: 'Delete my account' },
] as const
export const TOPICS = ['Orders and money', 'Account access']
export const PER_CLUSTER = 80
export const NOISE = 30
export const MODELS = ['gpt-4.1-mini', 'gemini-2.5-flash']

/** Saves the run; returns its id and the trace id of each point in order. */
/** Average-linkage merges of the six clusters, closest first: each topic's three, then the two topics (cut at 2 = TOPICS). */
export const MERGES: [number, number, number][] = [[0, 1, 0.1], [3, 4, 0.12], [6, 2, 0.2], [7, 5, 0.22], [8, 9, 0.9]]

export function seedRun(store: Store, opts: { runId?: string; created_ms?: number; formulaTitle?: boolean; merges?: boolean } = {}): { runId: string; ids: string[] } {
  let seed = 11
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const points: NewClusterRun['points'] = []
  const ids: string[] = []
  const insert = store.db.prepare('INSERT OR IGNORE INTO traces (id, name, start_ms, end_ms, spans, input_tokens, output_tokens, cost_usd, error, models) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)')
  store.transaction(() => {
    const add = (cluster: number, topic: number, x: number, y: number, title: string) => {
      const i = ids.length
      const id = `tr-${String(i).padStart(4, '0')}`
      ids.push(id)
      const start = Date.UTC(2026, 10, 1) + i * 3_600_000
      insert.run(id, `chat ${i}`, start, start + 2000, 200 + Math.round(rnd() * 3000), 50 + Math.round(rnd() * 800), +(rnd() * 0.02).toFixed(5), i % 17 === 0 ? 1 : 0, JSON.stringify([MODELS[i % 2]]))
      store.traceSummaries.put({
        trace_id: id, provider: 'none', model: 'extractive', prompt_version: 't1', content_hash: `h${i}`, kind: 'extractive',
        title, flow_diagram: '', summary_bullets: [{ text: `${title}: the user asked`, line_refs: [] }, { text: 'the assistant answered', line_refs: [] }] as never,
        interesting_notes: [], dropped_refs: 0, usage: { input_tokens: 0, output_tokens: 0, cost_usd: null }, created_ms: 1,
      })
      points.push({ id, cluster, topic, x, y, membership: cluster < 0 ? 0 : 0.5 + rnd() / 2, outlier: cluster < 0 ? 0.6 + rnd() * 0.4 : rnd() * 0.3 })
    }
    CLUSTERS.forEach((c, k) => {
      for (let j = 0; j < PER_CLUSTER; j++) {
        const r = Math.sqrt(rnd()) * 1.2, a = rnd() * 2 * Math.PI
        const title = opts.formulaTitle && k === 0 && j === 0 ? '=HYPERLINK("http://x.test","refund")' : `${c.title} #${j}`
        add(k, c.topic, c.at[0] + r * Math.cos(a), c.at[1] + r * Math.sin(a), title)
      }
    })
    for (let j = 0; j < NOISE; j++) add(-1, -1, rnd() * 20 - 10, rnd() * 20 - 10, `Odd one out #${j}`)
  })
  const runId = opts.runId ?? 'run-fixture'
  store.clusters.save({
    id: runId,
    created_ms: opts.created_ms ?? Date.UTC(2026, 11, 1),
    source: 'embeddings:fixture',
    params: { min_cluster_size: 15, seed: 42, ...(opts.merges ? { topic_merges: MERGES } : {}) },
    input: { kind: 'embeddings', model: 'fixture' },
    timings: { total_ms: 1 },
    topics: [...TOPICS.map((label, id) => ({ id, label, size: PER_CLUSTER * 3, keywords: [] })), { id: -1, label: 'Outliers', size: NOISE, keywords: [] }],
    clusters: [...CLUSTERS.map((c, id) => ({ id, label: c.label, size: PER_CLUSTER, topic: c.topic, keywords: [], description: `Conversations about ${c.label.toLowerCase()}.` })), { id: -1, label: 'Outliers', size: NOISE, topic: -1, keywords: [] }],
    points,
  })
  return { runId, ids }
}
