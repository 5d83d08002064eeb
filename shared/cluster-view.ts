// What the cluster explorer reads: the points of a run as packed typed columns (shared/columns.ts),
// rows for the tooltip and lists, labels of clusters and topics, where a trace sits.
import { z } from 'zod'
import type { ClusterRunInfo } from './cluster'

// A type, not an interface: packColumns wants a Record of typed arrays.
export type PointColumns = {
  x: Float32Array
  y: Float32Array
  cluster: Int32Array
  topic: Int32Array
  outlier: Float32Array
  /** input + output tokens; 0 when the point is not a stored trace. */
  tokens: Float32Array
  /** USD; NaN when unknown. */
  cost: Float32Array
  error: Uint8Array
  /** Trace start, epoch ms; NaN when unknown. */
  date: Float64Array
  /** Index into the meta's `models`; NO_MODEL when unknown. */
  model: Uint16Array
}

export const NO_MODEL = 0xffff

export interface PointsMeta {
  run: ClusterRunInfo
  n: number
  models: string[]
}

export interface ViewGroup {
  id: number
  label: string
  description: string | null
  keywords: string[]
  label_source: string
  size: number
  /** A cluster's topic (−1 for noise); a topic's is −1. */
  topic: number
}

export interface ClusterTraceRow {
  idx: number
  id: string
  /** The newest summary's title, else the trace's name, else null. */
  title: string | null
  cluster: number
  topic: number
  outlier: number
  model: string | null
  tokens: number
  cost_usd: number | null
  error: boolean
  start_ms: number | null
  session_id: string | null
  /** Only when asked for (the drill-down): the newest summary's bullets. */
  bullets?: string[]
}

export interface TracePlace {
  run_id: string
  idx: number
  cluster: number
  topic: number
  cluster_label: string | null
  topic_label: string | null
  created_ms: number
}

/** What the "Run clustering" job did, stage by stage. */
export interface PipelineResult {
  summarized: number
  embedded: number
  model: string
  run_id: string
  points: number
  clusters: number
  noise: number
}

export const ClusterRunId = z.string().min(1).max(200)
export const PointIndices = z.array(z.number().int().min(0)).max(1_000_000)

export const ClusterRowsInput = z
  .object({
    run_id: ClusterRunId,
    indices: PointIndices.optional(),
    cluster: z.number().int().min(-1).optional(),
    topic: z.number().int().min(-1).optional(),
    q: z.string().max(500).optional(),
    sort: z.enum(['idx', 'title', 'tokens', 'cost', 'date', 'outlier']).default('idx'),
    dir: z.enum(['asc', 'desc']).default('asc'),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
    bullets: z.boolean().optional(),
  })
  .strict()

export const PipelineInput = z
  .object({
    /** Summarizer: offline ('none', the default) or a cloud model. */
    provider: z.enum(['none', 'openai', 'gemini']).default('none'),
    model: z.string().min(1).max(200).optional(),
    /** Embedding model (cloud provider); offline embeds with TF-IDF + SVD. */
    embedding_model: z.string().min(1).max(200).optional(),
    /** A random sample of this many traces (all when absent). */
    sample: z.number().int().min(3).optional(),
    min_cluster_size: z.number().int().min(2).optional(),
  })
  .strict()


// A selection in a link (#/clusters?run=…&sel=…): the sorted point indices as gaps, each a
// LEB128 varint, in base64url. Indices of a stored run never change, so the link stays true;
// a lasso of 10,000 points of a million is ~17 kB of text, a few picked points a few characters.
export function encodeSelection(sorted: ArrayLike<number>): string {
  const bytes: number[] = []
  let prev = -1
  for (let k = 0; k < sorted.length; k++) {
    let gap = sorted[k]! - prev - 1
    prev = sorted[k]!
    while (gap >= 0x80) {
      bytes.push((gap & 0x7f) | 0x80)
      gap = Math.floor(gap / 0x80)
    }
    bytes.push(gap)
  }
  let bin = ''
  for (let at = 0; at < bytes.length; at += 0x8000) bin += String.fromCharCode(...bytes.slice(at, at + 0x8000))
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The indices of an encoded selection, each below `n` (the run's points); null when the text is not one. */
export function decodeSelection(text: string, n: number): Uint32Array | null {
  let bin: string
  try {
    bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  } catch {
    return null
  }
  const out: number[] = []
  let prev = -1, gap = 0, mul = 1
  for (let k = 0; k < bin.length; k++) {
    const b = bin.charCodeAt(k)
    gap += (b & 0x7f) * mul
    mul *= 0x80
    if (b & 0x80) {
      if (mul > 2 ** 35) return null
      continue
    }
    prev += gap + 1
    if (prev >= n) return null
    out.push(prev)
    gap = 0
    mul = 1
  }
  return mul === 1 ? Uint32Array.from(out) : null
}
