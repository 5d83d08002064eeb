// Cluster runs: run the engine on stored embeddings or an .npy file (a job in a worker thread),
// list the runs, read one in DESIGN.md's shape.
import { z } from 'zod'
import { NotFoundError } from '../errors'
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
