// Cluster runs as the CLI prints them and the explorer reads them (DESIGN.md's JSON shape).

export interface ClusterGroup {
  id: number
  label: string
  size: number
  /** Keywords the offline label was made from. */
  keywords?: string[]
  description?: string | null
  /** Who named it: 'offline' (c-TF-IDF), 'agent' (a model), 'manual'. */
  label_source?: string
}

export interface ClusterPoint {
  /** Trace id, or the row number with --embeddings FILE.npy. */
  id: string | number
  /** −1: noise ("Outliers"). */
  cluster: number
  topic: number
  x: number
  y: number
  membership?: number
  outlier?: number
}

export interface ClusterRunInfo {
  run_id: string
  created_ms: number
  source: string
  points: number
  clusters: number
  topics: number
  noise: number
  params: Record<string, unknown>
  input: Record<string, unknown>
  timings: Record<string, number>
}

export interface ClusterRunResult {
  run_id: string
  params: Record<string, unknown>
  input?: Record<string, unknown>
  timings?: Record<string, number>
  topics: ClusterGroup[]
  clusters: (ClusterGroup & { topic: number })[]
  points: ClusterPoint[]
}

/** What a `cluster` job returns (the run itself is read with cluster:get). */
export interface ClusterJobResult {
  run_id: string
  points: number
  clusters: number
  topics: number
  noise: number
  timings: Record<string, number>
}

/** What agent labelling did (cluster-label job). */
export interface ClusterLabelResult {
  run_id: string
  model: string
  /** Clusters the model named; the others keep their offline labels. */
  labelled: number
  clusters: number
  calls: number
  usage: { input_tokens: number; output_tokens: number }
  /** Last phase that ended normally: 1 bulk, 2 refined. */
  phase: number
  finalized: boolean
  /** Why the model stopped early, if it failed. */
  error: string | null
}
