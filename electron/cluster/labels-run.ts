// Agent labels for a stored run: its clusters (offline labels as the start), their traces' titles
// and summaries from the store, the agent's labels written back (source 'agent').
import type { ClusterLabelResult } from '../../shared/cluster'
import { UserError } from '../errors'
import type { Provider } from '../llm/types'
import type { Store } from '../store'
import { labelWithAgent, type AgentBudget, type AgentCluster } from './labels-agent'

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
  return { run_id: runId, model: provider.model, labelled, clusters: clusters.length, calls: r.calls, usage: r.usage, phase: r.phase, finalized: r.finalized, error: r.error }
}
