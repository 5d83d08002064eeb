// Cluster runs: run the engine on stored embeddings or an .npy file (a job in a worker thread),
// list the runs, read one in DESIGN.md's shape.
import { z } from 'zod'
import { NotFoundError, UserError } from '../errors'
import type { LlmConfig } from '../llm'
import { readSettings } from '../settings'
import { job, query } from './capability'

const ClusterRunInput = z
  .object({
    /** An .npy file (float32 or float64, rows × dims); point ids are row numbers. */
    embeddings: z.string().min(1).max(4096).optional(),
    /** Stored embeddings of this model (default: the newest). */
    model: z.string().min(1).max(200).optional(),
    min_cluster_size: z.number().int().min(2).optional(),
    min_samples: z.number().int().min(1).optional(),
    /** UMAP dimension HDBSCAN runs in (default 10; PostHog's 100 selectable). */
    dims: z.number().int().min(2).max(200).optional(),
    /** Number of topics (default: chosen automatically). */
    topics: z.number().int().min(1).optional(),
    seed: z.number().int().optional(),
    epochs: z.number().int().min(10).max(5000).optional(),
  })
  .strict()

export const clusters = {
  'cluster:run': job({
    input: ClusterRunInput,
    prepare: async ({ store }, r) => {
      const { checkClusterInput } = await import('../cluster/run-job')
      return checkClusterInput(store, r)
    },
    job: { kind: 'cluster', title: (r) => (r.embeddings ? `Cluster ${r.embeddings.split(/[\\/]/).at(-1)}` : `Cluster ${r.model ?? 'embeddings'}`), worker: true },
    run: async ({ store }, r, { signal, progress }) => {
      const { runClustering } = await import('../cluster/run-job')
      return runClustering(store, r, { signal, progress })
    },
    changes: () => ['clusters'],
  }),
  /** Names a run's clusters with a model (PostHog's labelling agent); without one, the offline labels stay. */
  'cluster:label': job({
    input: z
      .object({
        run_id: z.string().min(1).max(200),
        provider: z.enum(['openai', 'gemini']).optional(),
        model: z.string().min(1).max(200).optional(),
        base_url: z.url({ protocol: /^https?$/ }).optional(),
        offline: z.boolean().optional(),
        max_calls: z.number().int().min(1).max(200).default(30),
        max_tokens: z.number().int().min(1000).default(400_000),
      })
      .strict(),
    prepare: async ({ store, secrets }, r) => {
      if (!store.clusters.info(r.run_id)) throw new NotFoundError('cluster run', r.run_id)
      const { resolveConfig, createProvider } = await import('../llm')
      const over: Partial<LlmConfig> = {}
      if (r.provider) over.provider = r.provider
      if (r.model) over.model = r.model
      if (r.base_url) over.baseUrl = r.base_url
      if (r.offline !== undefined) over.offline = r.offline
      const llm = resolveConfig(readSettings(store), over)
      if (llm.provider === 'none') throw new UserError('Agent labels need a model: pass --provider openai (any OpenAI-compatible server with --base-url) or set one in Settings. The offline labels stay.')
      createProvider(llm, secrets) // a missing key or a cloud host in offline mode fails here, before the job
      return { ...r, llm }
    },
    job: { kind: 'cluster-label', title: (r) => `Label clusters of ${r.run_id}` },
    run: async ({ store, secrets }, r, { signal }) => {
      const [{ createProvider }, { labelRun }] = await Promise.all([import('../llm'), import('../cluster/labels-run')])
      return labelRun(store, createProvider(r.llm, secrets), r.run_id, { maxCalls: r.max_calls, maxTokens: r.max_tokens }, signal)
    },
    changes: () => ['clusters'],
  }),
  /** Every run, newest first (parameters, input, timings, counts). */
  'cluster:runs': query({
    input: z.object({}).strict(),
    run: ({ store }) => store.clusters.list(),
  }),
  'cluster:get': query({
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    run: ({ store }, { id }) => {
      const run = store.clusters.get(id)
      if (!run) throw new NotFoundError('cluster run', id)
      return run
    },
  }),
}
