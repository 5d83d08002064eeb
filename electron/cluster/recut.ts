// The topic slider: a stored run cut again at K topics from its stored merge order (cutTree), with
// new offline topic labels over the same texts a run labels (labelTexts). Clusters, points and the
// layout stay; the run keeps its id and records the chosen K in params.topics_cut (and the K it
// was made with in params.topics_made). Written topic labels (agent, manual) are kept by their set
// of clusters (params.topic_labels_kept) and come back for a topic of the same clusters.
import type { ClusterGroup } from '../../shared/cluster'
import { NotFoundError, UserError } from '../errors'
import type { Store } from '../store'
import { OUTLIERS, offlineLabels } from './labels'
import { keptTopicLabels, type KeptTopicLabel } from './labels-run'
import { labelTexts, topicsOfPoints } from './run-job'
import { cutTree, outlierTopics, type OutlierModel } from './topics'

export interface RecutResult {
  run_id: string
  clusters: number
  topics: number
  noise: number
}

type Merges = [number, number, number][]

/** Why a run's topics cannot be re-cut, or null when they can. */
export function recutBlocker(params: Record<string, unknown>, clusters: number): string | null {
  if (!Array.isArray(params.topic_merges)) return 'this run was stored without its topic merge order (made before the topic slider): run clustering again to change its number of topics'
  if (clusters < 1) return 'this run has no clusters (every point is an outlier)'
  return null
}

export function recutTopics(store: Store, runId: string, k: number): RecutResult {
  const info = store.clusters.info(runId)
  if (!info) throw new NotFoundError('cluster run', runId)
  const K = info.clusters
  const blocked = recutBlocker(info.params, K)
  if (blocked) throw new UserError(`Cannot change the topics of cluster run ${runId}: ${blocked}.`)
  if (!Number.isInteger(k) || k < 1 || k > K) throw new UserError(`Cluster run ${runId} has ${K} cluster${K === 1 ? '' : 's'}: the number of topics must be 1…${K}, not ${k}.`)
  const merges = info.params.topic_merges as Merges
  if (merges.length !== K - 1) throw new UserError(`Cluster run ${runId}: its stored topic merges (${merges.length}) do not fit its ${K} clusters.`)
  const run = store.clusters.get(runId)!
  const topicOfCluster = cutTree(merges, K, k)
  const n = run.points.length
  const clusterOf = Int32Array.from(run.points, (p) => p.cluster)
  // Noise points take a topic as the run placed them (a run stored before topic outliers has no model: they stay −1).
  const model = store.clusters.topicOutliers(runId) as OutlierModel | null
  const placed = model ? outlierTopics(model, merges, K, k) : new Map<number, number>()
  const topicOfPoint = topicsOfPoints(clusterOf, topicOfCluster, placed)
  const centrality = Float32Array.from(run.points, (p) => p.membership ?? 0)
  // A run on an .npy file has no texts: its topics are "Topic N", as when it was made.
  const { texts, titles } = info.input.kind === 'npy' ? { texts: new Array<null>(n).fill(null), titles: new Array<null>(n).fill(null) } : labelTexts(store, run.points.map((p) => String(p.id)))
  const sizes = new Array<number>(k).fill(0)
  for (const t of topicOfPoint) if (t >= 0) sizes[t]!++
  const noise = clusterOf.reduce((a, c) => a + (c < 0 ? 1 : 0), 0)
  // "Outliers" at the topic level: the noise points no topic took.
  const topicNoise = n - sizes.reduce((a, b) => a + b, 0)
  const labels = offlineLabels({ groups: topicOfPoint, count: k, texts, titles, centrality, kind: 'Topic' })
  // Written labels (agent, manual) come back for a topic of the same clusters as one they named.
  const written = keptTopicLabels(Array.isArray(info.params.topic_labels_kept) ? (info.params.topic_labels_kept as KeptTopicLabel[]) : [], run, topicOfCluster)
  const topics: ClusterGroup[] = [
    ...(topicNoise ? [{ id: -1, label: OUTLIERS, size: topicNoise, keywords: [], label_source: 'offline' }] : []),
    ...labels.map((l) => {
      const w = written.labelOf(l.id)
      return { id: l.id, label: w?.label ?? l.label, keywords: l.keywords, size: sizes[l.id]!, label_source: w?.label_source ?? 'offline', ...(w?.description ? { description: w.description } : {}) }
    }),
  ]
  // The number the run was made with (automatic or --topics) is kept, so the slider can mark it.
  const made = typeof info.params.topics_made === 'number' ? info.params.topics_made : info.topics
  store.clusters.setTopics(runId, { ...info.params, topics_made: made, topics_cut: k, topic_labels_kept: written.kept }, topics, topicOfCluster, placed)
  return { run_id: runId, clusters: K, topics: k, noise }
}
