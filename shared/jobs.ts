// What each kind of job returns when it is done: the CLI and the renderer read job.result through
// this map instead of casting.
import type { ClipJobResult } from './clips'
import type { ClusterJobResult, ClusterLabelResult } from './cluster'
import type { PipelineResult } from './cluster-view'
import type { ImportResult, JobInfo, JobKind } from './model'
import type { PullSyncResult, PullTracesResult } from './pull'
import type { SummaryResult } from './summary'
import type { EmbedResult, SummarizeTracesResult } from './trace-summary'
import type { VerifyJobResult } from './verify'

export interface DetectResult {
  /** Sessions whose flags were detected again. */
  sessions: number
  /** Heuristic flags they have now. */
  flags: number
}

export interface JobResults {
  import: ImportResult[]
  pull: ImportResult[]
  'pull-sync': PullSyncResult
  'pull-traces': PullTracesResult
  summarize: SummaryResult
  detect: DetectResult
  'summarize-traces': SummarizeTracesResult
  embed: EmbedResult
  cluster: ClusterJobResult
  'cluster-label': ClusterLabelResult
  clip: ClipJobResult
  'cluster-pipeline': PipelineResult
  verify: VerifyJobResult
}

/** A finished job's result, typed by its kind. */
export function jobResult<K extends JobKind>(job: JobInfo, kind: K): JobResults[K] {
  if (job.kind !== kind) throw new Error(`job ${job.id} is a ${job.kind} job, not ${kind}`)
  return job.result as JobResults[K]
}
