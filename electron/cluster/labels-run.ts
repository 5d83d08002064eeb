// Agent labels for a stored run: its clusters (offline labels as the start), their traces' titles
// and summaries from the store, the agent's labels written back (source 'agent'); then its topics:
// a topic of one cluster takes that cluster's label, the others are named from their clusters'
// labels with the budget left. A re-cut (the topic slider) keeps a written topic label for a
// topic of the same clusters (keptTopicLabels).
import type { ClusterGroup, ClusterLabelResult } from '../../shared/cluster'
import { UserError } from '../errors'
import type { Provider } from '../llm/types'
import type { Store } from '../store'
import { labelTopicsWithAgent, labelWithAgent, type AgentBudget, type AgentCluster } from './labels-agent'

export async function labelRun(store: Store, provider: Provider, runId: string, budget: AgentBudget, signal?: AbortSignal): Promise<ClusterLabelResult> {
  const run = store.clusters.get(runId)
  if (!run) throw new UserError(`No cluster run ${runId}.`)
  if (!provider.toolsTurn) throw new UserError(`${provider.name} cannot call tools yet; use an OpenAI-compatible server for agent labels (offline labels stay).`)
  const summaries = new Map(store.traceSummaries.latestAll().map((s) => [s.trace_id, s]))
  const title = (id: string | number) => summaries.get(String(id))?.title ?? `trace ${id}`
  const members = new Map<number, { id: string; title: string; m: number }[]>()
  for (const p of run.points) {
    if (p.cluster < 0) continue
    if (!members.has(p.cluster)) members.set(p.cluster, [])
    members.get(p.cluster)!.push({ id: String(p.id), title: title(p.id), m: p.membership ?? 0 })
  }
  const clusters: AgentCluster[] = run.clusters
    .filter((c) => c.id >= 0)
    .map((c) => ({
      id: c.id,
      size: c.size,
      label: c.label,
      keywords: c.keywords ?? [],
      traces: (members.get(c.id) ?? []).sort((a, b) => b.m - a.m).map(({ id, title }) => ({ id, title })),
    }))
  const details = (ids: string[]) =>
    Object.fromEntries(
      ids.map((id) => {
        const s = summaries.get(id)
        return [id, s ? [s.title, ...s.summary_bullets.map((b) => `- ${b.text}`)].join('\n') : 'no summary stored']
      }),
    )
  const r = await labelWithAgent(provider, clusters, details, budget, signal)
  let labelled = 0
  for (const [id, l] of r.labels) {
    if (l.source !== 'agent') continue
    store.clusters.setLabel(runId, 'cluster', id, l.title, l.description || null, 'agent')
    labelled++
  }
  // Topics, from the clusters' labels as they are now.
  const labelOf = new Map([...r.labels].map(([id, l]) => [id, l]))
  const membersOf = new Map<number, number[]>()
  for (const c of run.clusters) if (c.id >= 0 && c.topic !== undefined && c.topic !== null && c.topic >= 0) membersOf.set(c.topic, [...(membersOf.get(c.topic) ?? []), c.id])
  const wide: { id: number; size: number; clusters: { id: number; label: string }[] }[] = []
  for (const t of run.topics) {
    const members = membersOf.get(t.id)
    if (t.id < 0 || !members) continue
    const one = members.length === 1 ? labelOf.get(members[0]!) : undefined
    if (one?.source === 'agent') store.clusters.setLabel(runId, 'topic', t.id, one.title, one.description || null, 'agent')
    else wide.push({ id: t.id, size: t.size, clusters: members.map((c) => ({ id: c, label: labelOf.get(c)?.title ?? `Cluster ${c}` })) })
  }
  let calls = r.calls
  const usage = { ...r.usage }
  let error = r.error
  if (!error && wide.length) {
    const left = { maxCalls: budget.maxCalls - calls, maxTokens: budget.maxTokens - usage.input_tokens - usage.output_tokens }
    const t = await labelTopicsWithAgent(provider, wide, left, signal)
    for (const [id, l] of t.labels) store.clusters.setLabel(runId, 'topic', id, l.title, l.description || null, 'agent')
    calls += t.calls
    usage.input_tokens += t.usage.input_tokens
    usage.output_tokens += t.usage.output_tokens
    error = t.error
  }
  return { run_id: runId, model: provider.model, labelled, clusters: clusters.length, calls, usage, phase: r.phase, finalized: r.finalized, error }
}

/** A written topic label (agent or manual) and the clusters of the topic it named. */
export interface KeptTopicLabel {
  clusters: number[]
  label: string
  description: string | null
  label_source: string
}

const keyOf = (clusters: number[]) => [...clusters].sort((a, b) => a - b).join(',')

/**
 * For a re-cut: the written topic labels to keep — those already kept (`stored`) and the run's
 * current topics not labelled offline, by their set of clusters — and the label each new topic
 * gets: a kept one for the same set of clusters, or for a topic of one cluster that cluster's
 * written label; null keeps the offline label.
 */
export function keptTopicLabels(stored: KeptTopicLabel[], current: { topics: ClusterGroup[]; clusters: (ClusterGroup & { topic?: number | null })[] }, topicOfCluster: ArrayLike<number>): { kept: KeptTopicLabel[]; labelOf: (topic: number) => KeptTopicLabel | null } {
  const library = new Map(stored.map((k) => [keyOf(k.clusters), k]))
  const clusters = current.clusters.filter((c) => c.id >= 0)
  for (const t of current.topics) {
    if (t.id < 0 || !t.label_source || t.label_source === 'offline') continue
    const members = clusters.filter((c) => c.topic === t.id).map((c) => c.id)
    if (members.length) library.set(keyOf(members), { clusters: members.sort((a, b) => a - b), label: t.label, description: t.description ?? null, label_source: t.label_source })
  }
  const members = new Map<number, number[]>()
  Array.from(topicOfCluster).forEach((t, c) => members.set(t, [...(members.get(t) ?? []), c]))
  const byCluster = new Map(clusters.map((c) => [c.id, c]))
  return {
    kept: [...library.values()],
    labelOf: (topic) => {
      const m = members.get(topic)
      if (!m) return null
      const hit = library.get(keyOf(m))
      if (hit) return hit
      const one = m.length === 1 ? byCluster.get(m[0]!) : undefined
      return one?.label_source && one.label_source !== 'offline' ? { clusters: m, label: one.label, description: one.description ?? null, label_source: one.label_source } : null
    },
  }
}
