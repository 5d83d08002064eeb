// The clustering pipeline over a matrix of vectors: normalize, PCA (wide inputs), one exact kNN
// and one fuzzy graph, UMAP twice (the clustering space and the 2-D plot), HDBSCAN, topics. Each
// step is timed; the same seed gives the same result.
import { dropIncoherent } from './cohesion'
import { hdbscan } from './hdbscan'
import { exactKnn, normalizeRows } from './knn'
import { layoutInWorker } from './layout-thread'
import { pca } from './pca'
import { Pacer, type EngineContext } from './run-pace'
import { topicsOf, type TopicResult } from './topics'
import { fuzzyGraph, layout } from './umap'

export interface ClusterParams {
  seed: number
  nNeighbors: number
  /** UMAP dimension HDBSCAN runs in (PostHog: 100). */
  clusterDim: number
  clusterMinDist: number
  plotMinDist: number
  /** Inputs wider than this are reduced by PCA to pcaDim before the neighbour search. */
  pcaAbove: number
  pcaDim: number
  minClusterSize: number
  minSamples: number
  /** UMAP epochs (umap-learn: 500 up to 10k points, 200 above). From the PCA start layout 200 reach the same ARI on the benchmark at 40 % of the time. */
  epochs: number | null
  /** Number of topics; chosen automatically when null (topics.ts). */
  topics: number | null
  /** false: HDBSCAN on the (PCA) vectors directly, for measuring what UMAP adds. */
  umap: boolean
}

export const DEFAULT_CLUSTER_DIM = 10

/** PostHog's parameters (research/trace-formats.md) with our defaults where we measured better ones. */
export function defaultParams(n: number, over: Partial<ClusterParams> = {}): ClusterParams {
  const mcs = Math.min(n, Math.max(5, Math.floor(n * 0.01)))
  const p: ClusterParams = {
    seed: 42,
    nNeighbors: 15,
    clusterDim: DEFAULT_CLUSTER_DIM,
    clusterMinDist: 0,
    plotMinDist: 0.1,
    pcaAbove: 100,
    pcaDim: 50,
    minClusterSize: mcs,
    minSamples: 5,
    epochs: 200,
    topics: null,
    umap: true,
    ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)),
  }
  p.minClusterSize = Math.max(2, Math.min(n, p.minClusterSize))
  p.minSamples = Math.max(1, Math.min(p.minSamples, p.minClusterSize))
  // Small inputs (under 120 points): 15 neighbours span several intents' worth of points (40 traces
  // of 8 intents: 5 each) and UMAP blends them; the neighbourhood stays within an eighth of the
  // points and HDBSCAN's min_samples within half of that (llm-tasks, 40 traces: 3 clusters,
  // ARI 0.307 → 8, 1.000; bench/topics-heldout.ts, docs/clustering.md). Given values are kept.
  const share = Math.floor(n / 8)
  if (over.nNeighbors === undefined) p.nNeighbors = Math.min(p.nNeighbors, Math.max(2, share))
  if (over.minSamples === undefined) p.minSamples = Math.min(p.minSamples, Math.max(2, Math.floor(share / 2)))
  p.nNeighbors = Math.max(2, Math.min(p.nNeighbors, n - 1))
  return p
}

export interface Timings {
  normalize_ms: number
  pca_ms: number
  knn_ms: number
  graph_ms: number
  umap_cluster_ms: number
  umap_plot_ms: number
  hdbscan_ms: number
  topics_ms: number
  total_ms: number
}

export interface ClusterOutput {
  n: number
  params: ClusterParams
  labels: Int32Array
  clusters: number
  membership: Float32Array
  outlier: Float32Array
  /** 2-D plot coordinates. */
  xy: Float32Array
  topic: TopicResult
  /** Clusters HDBSCAN found in the UMAP layout that the input's neighbour graph does not hold together (cohesion.ts), made noise. */
  dissolved: number
  /** The vectors topics and labels were computed on (normalized, PCA when wide) and their width. */
  space: { data: Float32Array; d: number }
  timings: Timings
}

/** Below this many points the plot layout stays in this thread: a worker takes ~0.1–0.3 s to start. */
const PLOT_THREAD_MIN_POINTS = 1000

// Share of the whole run each step takes (measured at 2,500 × 3,072), for one progress bar.
const STEPS = { pca: 0.15, knn: 0.2, cluster: 0.3, plot: 0.15, hdbscan: 0.15, topics: 0.05 }

/** `texts` (one per row, null when unknown) let topics group clusters by their words (topics.ts). */
export async function clusterVectors(raw: Float32Array, n: number, d: number, params: ClusterParams, ctx: EngineContext = {}, texts?: (string | null)[]): Promise<ClusterOutput> {
  if (raw.length !== n * d) throw new Error(`expected ${n}×${d} = ${n * d} values, got ${raw.length}`)
  if (n < 3) throw new Error(`clustering needs at least 3 vectors, got ${n}`)
  for (let i = 0; i < raw.length; i++) if (!Number.isFinite(raw[i]!)) throw new Error(`vector ${Math.floor(i / d)} holds a value that is not a finite number`)
  const t0 = performance.now()
  let at = t0
  const lap = () => {
    const now = performance.now()
    const ms = Math.round(now - at)
    at = now
    return ms
  }
  let base = 0
  const stage = (share: number) => {
    const from = base
    base += share
    return new Pacer({ signal: ctx.signal, progress: (f, m) => ctx.progress?.(from + f * share, m) })
  }
  const normalized = normalizeRows(raw, n, d)
  const normalize_ms = lap()
  let space = { data: normalized, d }
  const pcaPace = stage(STEPS.pca)
  let pcaScores: { data: Float32Array; k: number } | null = null
  if (d > params.pcaAbove) {
    const r = await pca(normalized, n, d, params.pcaDim, params.seed, pcaPace)
    space = { data: r.scores, d: r.k }
    pcaScores = { data: r.scores, k: r.k }
  }
  const pca_ms = lap()
  let knn_ms = 0
  let graph_ms = 0
  let umap_cluster_ms = 0
  let umap_plot_ms = 0
  let clusterSpace = space
  const knnPace = stage(STEPS.knn)
  const knn = await exactKnn(space.data, n, space.d, params.nNeighbors - 1, knnPace)
  knn_ms = lap()
  const graph = fuzzyGraph(knn)
  graph_ms = lap()
  // UMAP's start layout: the leading principal components (deterministic, and it converges in fewer epochs than random).
  if (!pcaScores) {
    const r = await pca(space.data, n, space.d, Math.min(space.d, Math.max(params.clusterDim, 2)), params.seed)
    pcaScores = { data: r.scores, k: r.k }
  }
  const epochs = params.epochs ?? undefined
  // The two layouts at once: the 2-D plot in a second thread, the clustering layout then HDBSCAN here.
  const from = base
  base += STEPS.cluster + STEPS.plot
  const done = { cluster: params.umap ? 0 : 1, plot: 0 }
  const report = (message: string) => ctx.progress?.(from + done.cluster * STEPS.cluster + done.plot * STEPS.plot, message)
  const plotStart = performance.now()
  let plotEnd = plotStart
  const plotOptions = { dim: 2, minDist: params.plotMinDist, seed: params.seed + 1, init: pcaScores, ...(epochs ? { epochs } : {}) }
  const plotPace = new Pacer({ signal: ctx.signal, progress: (f, m) => ((done.plot = f), report(m)) })
  // Ends the plot's worker when this thread fails or is cancelled first.
  const stopPlot = new AbortController()
  const onAbort = () => stopPlot.abort()
  ctx.signal?.addEventListener('abort', onAbort)
  const plotDone = (n >= PLOT_THREAD_MIN_POINTS ? layoutInWorker(graph, plotOptions, plotPace, stopPlot.signal) : layout(graph, plotOptions, plotPace)).then((xy) => {
    plotEnd = performance.now()
    return xy
  })
  // Without a handler a cancelled plot would be an unhandled rejection while this thread is busy.
  plotDone.catch(() => {})
  let h: Awaited<ReturnType<typeof hdbscan>>
  let hdbscan_ms: number
  let xy: Float32Array
  let dissolved = 0
  try {
    if (params.umap) {
      const clusterPace = new Pacer({ signal: ctx.signal, progress: (f, m) => ((done.cluster = f), report(m)) })
      const emb = await layout(graph, { dim: params.clusterDim, minDist: params.clusterMinDist, seed: params.seed, init: pcaScores, ...(epochs ? { epochs } : {}) }, clusterPace)
      clusterSpace = { data: emb, d: params.clusterDim }
      umap_cluster_ms = lap()
    }
    h = await hdbscan(clusterSpace.data, n, clusterSpace.d, { minClusterSize: params.minClusterSize, minSamples: params.minSamples }, stage(STEPS.hdbscan))
    // Clumps UMAP made of noise: clusters the input's own neighbour graph does not hold together.
    if (params.umap) {
      const kept = dropIncoherent(knn, h.labels, h.clusters)
      if (kept.dropped) h = { ...h, labels: kept.labels, clusters: kept.clusters, probabilities: h.probabilities.map((p, i) => (kept.labels[i]! < 0 ? 0 : p)) }
      dissolved = kept.dropped
    }
    hdbscan_ms = lap()
    xy = await plotDone
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort)
    stopPlot.abort()
  }
  umap_plot_ms = Math.round(plotEnd - plotStart)
  lap()
  const topic = await topicsOf(space.data, n, space.d, h.labels, h.clusters, params.topics ?? undefined, stage(STEPS.topics), texts)
  const topics_ms = lap()
  ctx.progress?.(1, 'Done')
  return {
    n,
    params,
    labels: h.labels,
    clusters: h.clusters,
    membership: h.probabilities,
    outlier: h.outlierScores,
    xy,
    topic,
    dissolved,
    space,
    timings: { normalize_ms, pca_ms, knn_ms, graph_ms, umap_cluster_ms, umap_plot_ms, hdbscan_ms, topics_ms, total_ms: Math.round(performance.now() - t0) },
  }
}
