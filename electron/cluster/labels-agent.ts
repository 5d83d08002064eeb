// Agent labelling with PostHog's eight tools (trace_clustering/labeling_agent): phase 1 labels
// every cluster at once (bulk_set_labels), phase 2 looks into the unclear ones and refines them,
// then finalizes — within a budget of model calls and tokens. The offline labels are the start:
// whatever the model does not set, or if it fails mid-way, every cluster keeps a label.
import { runToolLoop, type ToolHandler } from '../llm/tool-loop'
import type { Provider } from '../llm/types'

export interface AgentCluster {
  id: number
  size: number
  /** The offline label (c-TF-IDF keywords + central title). */
  label: string
  keywords: string[]
  /** Member traces, most central first: id and title. */
  traces: { id: string; title: string }[]
}

export interface AgentLabel {
  title: string
  description: string
  source: 'agent' | 'offline'
}

export interface AgentBudget {
  maxCalls: number
  maxTokens: number
}

export interface AgentResult {
  labels: Map<number, AgentLabel>
  calls: number
  usage: { input_tokens: number; output_tokens: number }
  /** The last phase that ended normally (0: none). */
  phase: 0 | 1 | 2
  finalized: boolean
  /** Why the agent stopped early (the model failed); labels set before stay. */
  error: string | null
}

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required, additionalProperties: false })
const LabelItem = obj({ cluster_id: { type: 'integer' }, title: { type: 'string', description: 'at most 8 words' }, description: { type: 'string' } }, ['cluster_id', 'title', 'description'])

const SYSTEM = `You name clusters of LLM traces for a researcher. Each cluster groups traces whose summaries are alike.
A good title says what users wanted or what the assistant did, in at most 8 words ("Refunds for damaged orders"), not generic words ("Cluster about orders").
Use the tools; do not answer in prose.`

export async function labelWithAgent(provider: Provider, clusters: AgentCluster[], details: (ids: string[]) => Record<string, string>, budget: AgentBudget, signal?: AbortSignal): Promise<AgentResult> {
  const labels = new Map<number, AgentLabel>(clusters.map((c) => [c.id, { title: c.label, description: '', source: 'offline' as const }]))
  const byId = new Map(clusters.map((c) => [c.id, c]))
  let finalized = false
  const known = (id: unknown) => {
    const c = typeof id === 'number' ? byId.get(id) : undefined
    if (!c) throw new Error(`no cluster ${JSON.stringify(id)}; the clusters are ${[...byId.keys()].join(', ')}`)
    return c
  }
  const set = (item: unknown) => {
    const { cluster_id, title, description } = (item ?? {}) as { cluster_id?: unknown; title?: unknown; description?: unknown }
    const c = known(cluster_id)
    if (typeof title !== 'string' || !title.trim()) throw new Error(`cluster ${c.id}: a title is needed`)
    labels.set(c.id, { title: title.trim().slice(0, 120), description: typeof description === 'string' ? description.trim().slice(0, 1000) : '', source: 'agent' })
  }
  const tools: ToolHandler[] = [
    {
      spec: { name: 'get_clusters_overview', description: 'Every cluster: id, size, keywords and its current label.', parameters: obj({}) },
      run: () => clusters.map((c) => ({ cluster_id: c.id, size: c.size, keywords: c.keywords, current_label: labels.get(c.id)!.title })),
    },
    {
      spec: { name: 'get_all_clusters_with_sample_titles', description: 'Every cluster with the titles of its most central traces.', parameters: obj({ titles_per_cluster: { type: 'integer' } }) },
      run: (a) => clusters.map((c) => ({ cluster_id: c.id, size: c.size, titles: c.traces.slice(0, Math.min(30, Number(a.titles_per_cluster) || 10)).map((t) => t.title) })),
    },
    {
      spec: { name: 'get_cluster_trace_titles', description: "One cluster's traces: id and title, most central first.", parameters: obj({ cluster_id: { type: 'integer' }, limit: { type: 'integer' } }, ['cluster_id']) },
      run: (a) => known(a.cluster_id).traces.slice(0, Math.min(100, Number(a.limit) || 30)),
    },
    {
      spec: { name: 'get_trace_details', description: 'The summaries of some traces, by id.', parameters: obj({ trace_ids: { type: 'array', items: { type: 'string' } } }, ['trace_ids']) },
      run: (a) => details((Array.isArray(a.trace_ids) ? a.trace_ids : []).map(String).slice(0, 10)),
    },
    {
      spec: { name: 'get_current_labels', description: 'The label of every cluster now, and who set it.', parameters: obj({}) },
      run: () => [...labels].map(([id, l]) => ({ cluster_id: id, title: l.title, description: l.description, set_by: l.source })),
    },
    {
      spec: { name: 'set_cluster_label', description: "Sets one cluster's title and description.", parameters: LabelItem },
      run: (a) => (set(a), { ok: true }),
    },
    {
      spec: { name: 'bulk_set_labels', description: 'Sets the title and description of many clusters at once.', parameters: obj({ labels: { type: 'array', items: LabelItem } }, ['labels']) },
      run: (a) => {
        const items = Array.isArray(a.labels) ? a.labels : []
        const errors: string[] = []
        for (const item of items) {
          try {
            set(item)
          } catch (e) {
            errors.push((e as Error).message)
          }
        }
        return { set: items.length - errors.length, errors }
      },
    },
    {
      spec: { name: 'finalize_labels', description: 'Ends labelling: call it when every label is final.', parameters: obj({}) },
      run: () => ((finalized = true), { ok: true }),
    },
  ]
  const result: AgentResult = { labels, calls: 0, usage: { input_tokens: 0, output_tokens: 0 }, phase: 0, finalized: false, error: null }
  const spend = (r: { calls: number; usage: { input_tokens: number; output_tokens: number } }) => {
    result.calls += r.calls
    result.usage.input_tokens += r.usage.input_tokens
    result.usage.output_tokens += r.usage.output_tokens
  }
  const left = () => ({ maxCalls: budget.maxCalls - result.calls, maxTokens: budget.maxTokens - result.usage.input_tokens - result.usage.output_tokens })
  const allSet = () => [...labels.values()].every((l) => l.source === 'agent')
  try {
    // Phase 1: bulk. At most half the calls, so phase 2 has room.
    const p1 = await runToolLoop(provider, {
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `There are ${clusters.length} clusters. Phase 1: look at all clusters with sample titles, then label every cluster in one bulk_set_labels call.` },
      ],
      tools,
      ...left(),
      maxCalls: Math.max(1, Math.ceil(budget.maxCalls / 2)),
      done: allSet,
      ...(signal ? { signal } : {}),
    })
    spend(p1)
    result.phase = 1
    // Phase 2: refine what is unclear (short of budget, it simply ends).
    const p2 = await runToolLoop(provider, {
      messages: [
        { role: 'system', content: SYSTEM },
        {
          role: 'user',
          content:
            'Phase 2: every cluster has a label now (get_current_labels). Find the labels that are vague, or alike for different clusters; ' +
            'look into those clusters (get_cluster_trace_titles, get_trace_details), set better labels with set_cluster_label, then call finalize_labels.',
        },
      ],
      tools,
      ...left(),
      done: () => finalized,
      ...(signal ? { signal } : {}),
    })
    spend(p2)
    result.phase = 2
  } catch (e) {
    if ((e as Error).name === 'CancelledError' || signal?.aborted) throw e
    result.error = (e as Error).message
  }
  result.finalized = finalized
  return result
}

export interface AgentTopic {
  id: number
  size: number
  /** Its clusters with their labels (the agent's, where it named them). */
  clusters: { id: number; label: string }[]
}

const TopicItem = obj({ topic_id: { type: 'integer' }, title: { type: 'string', description: 'at most 8 words' }, description: { type: 'string' } }, ['topic_id', 'title', 'description'])

/**
 * Names topics (groups of clusters) from their clusters' labels: one tool, bulk, within the budget
 * left after the clusters. Topics it does not name keep their offline labels; a failure is returned,
 * not thrown (the cluster labels are already set).
 */
export async function labelTopicsWithAgent(provider: Provider, topics: AgentTopic[], budget: AgentBudget, signal?: AbortSignal): Promise<Omit<AgentResult, 'phase' | 'finalized'>> {
  const labels = new Map<number, AgentLabel>()
  const byId = new Map(topics.map((t) => [t.id, t]))
  const tools: ToolHandler[] = [
    {
      spec: { name: 'bulk_set_topic_labels', description: 'Sets the title and description of many topics at once.', parameters: obj({ labels: { type: 'array', items: TopicItem } }, ['labels']) },
      run: (a) => {
        const errors: string[] = []
        for (const item of Array.isArray(a.labels) ? a.labels : []) {
          const { topic_id, title, description } = (item ?? {}) as { topic_id?: unknown; title?: unknown; description?: unknown }
          const t = typeof topic_id === 'number' ? byId.get(topic_id) : undefined
          if (!t) errors.push(`no topic ${JSON.stringify(topic_id)}; the topics are ${[...byId.keys()].join(', ')}`)
          else if (typeof title !== 'string' || !title.trim()) errors.push(`topic ${t.id}: a title is needed`)
          else labels.set(t.id, { title: title.trim().slice(0, 120), description: typeof description === 'string' ? description.trim().slice(0, 1000) : '', source: 'agent' })
        }
        return { set: labels.size, errors }
      },
    },
  ]
  const result = { labels, calls: 0, usage: { input_tokens: 0, output_tokens: 0 }, error: null as string | null }
  if (!topics.length || budget.maxCalls < 1 || budget.maxTokens < 1) return result
  try {
    const r = await runToolLoop(provider, {
      messages: [
        { role: 'system', content: SYSTEM.replace('name clusters', 'name topics (groups of clusters)') },
        { role: 'user', content: `Each topic groups clusters you named. Give every topic a title that covers all of its clusters, in one bulk_set_topic_labels call.\n${JSON.stringify(topics)}` },
      ],
      tools,
      ...budget,
      done: () => labels.size === topics.length,
      ...(signal ? { signal } : {}),
    })
    result.calls = r.calls
    result.usage = r.usage
  } catch (e) {
    if ((e as Error).name === 'CancelledError' || signal?.aborted) throw e
    result.error = (e as Error).message
  }
  return result
}
