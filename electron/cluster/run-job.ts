// A cluster run from start to store: the vectors (an .npy file, or the stored embeddings of one
// model), the engine, offline labels from the traces' summaries, and a new run record.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ClusterGroup, ClusterJobResult } from '../../shared/cluster'
import type { ProgressFn } from '../../shared/model'
import { UserError } from '../errors'
import type { Store } from '../store'
import { OUTLIERS, offlineLabels } from './labels'
import { readNpy } from './npy'
import { clusterVectors, defaultParams, type ClusterParams } from './run'
import { outlierTopics } from './topics'

export interface ClusterJobInput {
  /** An .npy file of vectors (float32 or float64); point ids are its row numbers. */
  embeddings?: string | undefined
  /** Stored embeddings of this model (default: the newest model stored). */
  model?: string | undefined
  min_cluster_size?: number | undefined
  min_samples?: number | undefined
  /** UMAP dimension for clustering (default 10; PostHog: 100). */
  dims?: number | undefined
  /** Number of topics (default: chosen automatically, topics.ts). */
  topics?: number | undefined
  seed?: number | undefined
  epochs?: number | undefined
}

interface Vectors {
  ids: (string | number)[]
  n: number
  d: number
  data: Float32Array
  input: Record<string, unknown>
  source: string
  titles: (string | null)[]
  texts: (string | null)[]
}

/** Where the vectors come from, checked before a job starts: a readable .npy, or stored embeddings. */
export function checkClusterInput(store: Store, r: ClusterJobInput): ClusterJobInput {
  if (r.embeddings) {
    const file = path.resolve(r.embeddings)
    if (!fs.existsSync(file)) throw new UserError(`No such file: ${file}`)
    return { ...r, embeddings: file }
  }
  const models = store.embeddings.models()
  if (!models.length) throw new UserError('No embeddings are stored: run `sightline embed` first, or pass --embeddings FILE.npy.')
  const model = r.model ?? models[0]!.model
  if (!models.some((m) => m.model === model)) throw new UserError(`No embeddings of ${model} are stored (stored: ${models.map((m) => m.model).join(', ')}).`)
  return { ...r, model }
}

function loadVectors(store: Store, r: ClusterJobInput): Vectors {
  if (r.embeddings) {
    const buf = fs.readFileSync(r.embeddings)
    const m = readNpy(buf, path.basename(r.embeddings))
    return {
      ids: Array.from({ length: m.rows }, (_, i) => i),
      n: m.rows,
      d: m.cols,
      data: m.data,
      source: `npy:${path.basename(r.embeddings)}`,
      input: { kind: 'npy', file: r.embeddings, sha256: createHash('sha256').update(buf).digest('hex'), rows: m.rows, dim: m.cols, dtype: m.descr },
      titles: new Array<null>(m.rows).fill(null),
      texts: new Array<null>(m.rows).fill(null),
    }
  }
  const model = r.model!
  const e = store.embeddings.load(model)
  const { texts, titles } = labelTexts(store, e.ids)
  return {
    ids: e.ids,
    n: e.ids.length,
    d: e.dim,
    data: e.data,
    source: `embeddings:${model}`,
    input: { kind: 'embeddings', model, rows: e.ids.length, dim: e.dim, ids_sha256: createHash('sha256').update(e.ids.join('\n')).digest('hex') },
    titles,
    texts,
  }
}

/** What the offline labels read per trace: its latest summary's title and bullets (null: no summary). */
export function labelTexts(store: Store, ids: string[]): { texts: (string | null)[]; titles: (string | null)[] } {
  const summaries = new Map(store.traceSummaries.latestAll().map((s) => [s.trace_id, s]))
  return {
    texts: ids.map((id) => {
      const s = summaries.get(id)
      return s ? [s.title, ...s.summary_bullets.map((b) => b.text)].join('\n') : null
    }),
    titles: ids.map((id) => summaries.get(id)?.title ?? null),
  }
}

/** Each point's topic: its cluster's, or for a noise point the topic outlierTopics gave it (−1: none). */
export function topicsOfPoints(clusterOf: Int32Array, topicOfCluster: Int32Array, outliers: Map<number, number>): Int32Array {
  return Int32Array.from(clusterOf, (c, i) => (c < 0 ? (outliers.get(i) ?? -1) : topicOfCluster[c]!))
}

export async function runClustering(store: Store, r: ClusterJobInput, o: { signal?: AbortSignal; progress?: ProgressFn; now?: () => number } = {}): Promise<ClusterJobResult> {
  const v = loadVectors(store, r)
  if (v.n < 3) throw new UserError(`Clustering needs at least 3 vectors; ${v.source} has ${v.n}.`)
  const over: Partial<ClusterParams> = {}
  if (r.min_cluster_size !== undefined) over.minClusterSize = r.min_cluster_size
  if (r.min_samples !== undefined) over.minSamples = r.min_samples
  if (r.dims !== undefined) over.clusterDim = r.dims
  if (r.topics !== undefined) over.topics = r.topics
  if (r.seed !== undefined) over.seed = r.seed
  if (r.epochs !== undefined) over.epochs = r.epochs
  const params = defaultParams(v.n, over)
  const out = await clusterVectors(v.data, v.n, v.d, params, {
    signal: o.signal,
    progress: (fraction, message) => o.progress?.({ fraction, message }),
  }, v.texts.some((t) => t) ? v.texts : undefined)
  const topicOfPoint = topicsOfPoints(out.labels, out.topic.topicOfCluster, outlierTopics(out.topic.outliers, out.topic.merges, out.clusters, out.topic.topics))
  const sizes = (groups: Int32Array, count: number) => {
    const s = new Array<number>(count).fill(0)
    for (const g of groups) if (g >= 0) s[g]!++
    return s
  }
  const clusterSizes = sizes(out.labels, out.clusters)
  const topicSizes = sizes(topicOfPoint, out.topic.topics)
  const noise = out.labels.reduce((s, c) => s + (c < 0 ? 1 : 0), 0)
  // Noise at the topic level: the noise points no topic took (outlierTopics).
  const topicNoise = topicOfPoint.reduce((s, t) => s + (t < 0 ? 1 : 0), 0)
  const common = { texts: v.texts, titles: v.titles, centrality: out.membership }
  const clusterLabels = offlineLabels({ ...common, groups: out.labels, count: out.clusters, kind: 'Cluster' })
  const topicLabels = offlineLabels({ ...common, groups: topicOfPoint, count: out.topic.topics, kind: 'Topic' })
  const outliers = (size: number): ClusterGroup => ({ id: -1, label: OUTLIERS, size, keywords: [], label_source: 'offline' })
  const run_id = `cr_${(o.now ?? Date.now)().toString(36)}_${randomBytes(3).toString('hex')}`
  store.clusters.save({
    id: run_id,
    created_ms: (o.now ?? Date.now)(),
    source: v.source,
    params: { ...params, topic_scores: out.topic.scores, topic_merges: out.topic.merges, topic_tree: out.topic.tree },
    topicOutliers: out.topic.outliers,
    input: v.input,
    timings: { ...out.timings },
    topics: [...(topicNoise ? [outliers(topicNoise)] : []), ...topicLabels.map((l) => ({ id: l.id, label: l.label, keywords: l.keywords, size: topicSizes[l.id]!, label_source: 'offline' }))],
    clusters: [
      ...(noise ? [{ ...outliers(noise), topic: -1 }] : []),
      ...clusterLabels.map((l) => ({ id: l.id, label: l.label, keywords: l.keywords, size: clusterSizes[l.id]!, topic: out.topic.topicOfCluster[l.id]!, label_source: 'offline' })),
    ],
    points: v.ids.map((id, i) => ({
      id,
      cluster: out.labels[i]!,
      topic: topicOfPoint[i]!,
      x: out.xy[i * 2]!,
      y: out.xy[i * 2 + 1]!,
      membership: out.membership[i]!,
      outlier: out.outlier[i]!,
    })),
  })
  return { run_id, points: v.n, clusters: out.clusters, topics: out.topic.topics, noise, timings: { ...out.timings } }
}

