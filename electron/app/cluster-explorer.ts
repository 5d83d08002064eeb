// The cluster explorer's capabilities: a run's points as packed columns (one binary answer, never
// an object per point), rows for the tooltip and lists, a search, labels, where a trace sits, an
// export of a selection, and "Run clustering" — summaries → embeddings → clusters as one job.
import { z } from 'zod'
import { packColumns, type Packed } from '../../shared/columns'
import type { ClusterRunInfo } from '../../shared/cluster'
import { ClusterRowsInput as RowsInput, PipelineInput, type PipelineResult, type PointColumns, type PointsMeta } from '../../shared/cluster-view'
import { NotFoundError, UserError } from '../errors'
import type { JobContext } from '../jobs'
import { runInWorker, type WorkerEntry } from '../jobs/run-in-worker'
import { ClusterViewQueries } from '../store/cluster-view'
import type { Store } from '../store'
import { job, query, type Deps } from './capability'

import { ClusterRunId as RunId, PointIndices as Indices } from '../../shared/cluster-view'

const view = (store: Store) => new ClusterViewQueries(store.db)

function runOf(store: Store, id: string): ClusterRunInfo {
  const info = store.clusters.info(id)
  if (!info) throw new NotFoundError('cluster run', id)
  return info
}

// A run's points never change once stored: keep the last two packed answers (a million points is
// ~40 MB; switching between two runs should not read them again).
const packed = new Map<string, Packed<PointColumns, PointsMeta>>()

export type PointsAnswer = Packed<PointColumns, PointsMeta>

// A spreadsheet runs a cell that begins with = + - @ (or a tab / CR that hides one) as a formula.
const neutral = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)
// Numbers (cluster −1) are data, not text: only strings are neutralised.
const csvCell = (v: unknown) => {
  const s = typeof v === 'number' ? String(v) : neutral(v == null ? '' : String(v))
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

const WORKER: WorkerEntry = { source: new URL('./worker.ts', import.meta.url), built: 'worker.js' }

// Shares of the one progress bar.
const STAGES = [
  { name: 'Summaries', share: 0.4 },
  { name: 'Embeddings', share: 0.2 },
  { name: 'Clusters', share: 0.4 },
] as const

function stageContext(ctx: JobContext, k: number): JobContext {
  const from = STAGES.slice(0, k).reduce((a, s) => a + s.share, 0)
  const { name, share } = STAGES[k]!
  return {
    signal: ctx.signal,
    progress: (p) => ctx.progress({ fraction: from + (p.fraction ?? 0) * share, message: `${k + 1}/3 ${name}${p.message ? `: ${p.message}` : ''}`, done: p.done, total: p.total }),
  }
}

async function stagesOf() {
  const [{ traceSummaries }, { clusters }] = await Promise.all([import('./trace-summaries'), import('./clusters')])
  return { summarize: traceSummaries['traces:summarize'], estimate: traceSummaries['traces:summarize-estimate'], embed: traceSummaries['traces:embed'], cluster: clusters['cluster:run'] }
}

const summarizeInput = (r: z.output<typeof PipelineInput>) => ({ provider: r.provider, ...(r.model ? { model: r.model } : {}), ...(r.sample ? { limit: r.sample } : {}), ...(r.provider === 'none' ? { offline: true } : {}) })
const embedInput = (r: z.output<typeof PipelineInput>) => ({ provider: r.provider, ...(r.embedding_model ? { model: r.embedding_model } : {}), ...(r.provider === 'none' ? { offline: true } : {}) })

export const clusterExplorer = {
  /** Every run, newest first (parameters, date, counts), for the run switcher. */
  'clusters:runs': query({
    input: z.object({}).strict(),
    run: ({ store }) => ({ runs: store.clusters.list(), traces: store.traces.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).total }),
  }),
  /** A run's points as packed columns (x, y, cluster, topic, outlier, tokens, cost, error, date, model). */
  'clusters:points': query({
    input: z.object({ run_id: RunId }).strict(),
    run: ({ store }, { run_id }): PointsAnswer => {
      const run = runOf(store, run_id)
      const hit = packed.get(run_id)
      if (hit) return hit
      const { columns, models } = view(store).columns(run_id)
      const buf = packColumns(columns, { run, n: columns.x.length, models } satisfies PointsMeta)
      packed.set(run_id, buf)
      while (packed.size > 2) packed.delete(packed.keys().next().value!)
      return buf
    },
  }),
  /**
   * The topic slider: cut a stored run again at `topics` topics (1 … its clusters) from its stored
   * merge order, with new offline topic labels. Quick (no job): the clusters, layout and texts stay.
   */
  'clusters:topics': query({
    input: z.object({ run_id: RunId, topics: z.number().int() }).strict(),
    run: async ({ store }, { run_id, topics }) => {
      const { recutTopics } = await import('../cluster/recut')
      const out = recutTopics(store, run_id, topics)
      packed.delete(run_id) // its points' topic column changed
      return out
    },
    changes: () => ['clusters'],
  }),
  /** Labels and descriptions of a run's clusters and topics, largest first. */
  'clusters:groups': query({
    input: z.object({ run_id: RunId }).strict(),
    run: ({ store }, { run_id }) => {
      runOf(store, run_id)
      return view(store).groups(run_id)
    },
  }),
  /** Rows of a run's points: a selection (`indices`), a cluster or topic, a search; sortable, paged. */
  'clusters:rows': query({
    input: RowsInput,
    run: ({ store }, r) => {
      runOf(store, r.run_id)
      return view(store).rows(r)
    },
  }),
  /** Indices of the points whose title, name or id contains `q`, packed. */
  'clusters:search': query({
    input: z.object({ run_id: RunId, q: z.string().min(1).max(500) }).strict(),
    run: ({ store }, { run_id, q }): Packed<{ idx: Uint32Array }, { total: number }> => {
      runOf(store, run_id)
      const idx = view(store).search(run_id, q)
      return packColumns({ idx }, { total: idx.length })
    },
  }),
  /** Where a trace sits in the newest run that holds it (null: in none). */
  'clusters:place': query({
    input: z.object({ trace_id: z.string().min(1).max(500) }).strict(),
    run: ({ store }, { trace_id }) => view(store).placeOf(trace_id),
  }),
  /** A selection as CSV or JSON (id, title, cluster and topic with their labels). */
  'clusters:export': query({
    input: z.object({ run_id: RunId, indices: Indices.min(1), format: z.enum(['csv', 'json']) }).strict(),
    run: ({ store }, { run_id, indices, format }) => {
      runOf(store, run_id)
      const v = view(store)
      const groups = v.groups(run_id)
      const clusterLabel = new Map(groups.clusters.map((g) => [g.id, g.label]))
      const topicLabel = new Map(groups.topics.map((g) => [g.id, g.label]))
      const rows: { id: string; title: string | null; cluster: number; cluster_label: string; topic: number; topic_label: string }[] = []
      for (let at = 0; at < indices.length; at += 1000) {
        const page = v.rows({ run_id, indices: indices.slice(at, at + 1000), sort: 'idx', dir: 'asc', limit: 1000, offset: 0 }).rows
        for (const r of page) rows.push({ id: r.id, title: r.title, cluster: r.cluster, cluster_label: clusterLabel.get(r.cluster) ?? (r.cluster < 0 ? 'Outliers' : ''), topic: r.topic, topic_label: topicLabel.get(r.topic) ?? '' })
      }
      const name = `sightline-${run_id}-${rows.length}`
      if (format === 'json') return { filename: `${name}.json`, mime: 'application/json', content: JSON.stringify({ run_id, points: rows }, null, 2), rows: rows.length }
      const head = ['id', 'title', 'cluster', 'cluster_label', 'topic', 'topic_label']
      const lines = [head.join(','), ...rows.map((r) => head.map((h) => csvCell(r[h as keyof typeof r])).join(','))]
      return { filename: `${name}.csv`, mime: 'text/csv', content: lines.join('\r\n') + '\r\n', rows: rows.length }
    },
  }),
  /** What "Run clustering" would send and cost: nothing for the offline default; a cloud model's tokens and USD. */
  'clusters:pipeline-estimate': query({
    input: PipelineInput,
    run: async (deps: Deps, r) => {
      const s = await stagesOf()
      const input = s.estimate.input.parse(summarizeInput(r))
      return s.estimate.run(deps, await s.estimate.prepare!(deps, input), { signal: new AbortController().signal, progress: () => {} })
    },
  }),
  /**
   * "Run clustering" for a new user: summaries → embeddings → clusters as one job with per-stage
   * progress (message "1/3 Summaries: …"). Offline by default. Each stage is the other
   * capabilities' own (current summaries and vectors are skipped, so a re-run costs only what is new).
   */
  'clusters:pipeline': job({
    input: PipelineInput,
    prepare: async (deps, r) => {
      if (deps.store.traces.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).total < 3) throw new UserError('Clustering needs at least 3 traces: import a trace set in the Library first.')
      const s = await stagesOf()
      // Checked now (keys, offline mode), so a run that cannot work fails before it starts.
      const summarize = await s.summarize.prepare!(deps, s.summarize.input.parse(summarizeInput(r)))
      const embed = await s.embed.prepare!(deps, s.embed.input.parse(embedInput(r)))
      return { input: r, summarize, embed }
    },
    job: { kind: 'cluster-pipeline', title: (p) => `Run clustering (${p.input.provider === 'none' ? 'offline' : p.input.provider})` },
    run: async (deps, p, ctx): Promise<PipelineResult> => {
      const s = await stagesOf()
      const summarized = await s.summarize.run(deps, p.summarize, stageContext(ctx, 0))
      const embedded = (await runInWorker(WORKER, 'traces:embed', { db: deps.store.file, input: p.embed }, stageContext(ctx, 1))) as Awaited<ReturnType<typeof s.embed.run>>
      const clusterIn = await s.cluster.prepare!(deps, s.cluster.input.parse({ model: embedded.model, ...(p.input.min_cluster_size ? { min_cluster_size: p.input.min_cluster_size } : {}) }))
      const run = (await runInWorker(WORKER, 'cluster:run', { db: deps.store.file, input: clusterIn }, stageContext(ctx, 2))) as Awaited<ReturnType<typeof s.cluster.run>>
      return { summarized: summarized.summarized, embedded: embedded.embedded, model: embedded.model, run_id: run.run_id, points: run.points, clusters: run.clusters, noise: run.noise }
    },
    changes: () => ['traces', 'clusters'],
  }),
}
