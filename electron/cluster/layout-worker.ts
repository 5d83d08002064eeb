// Worker thread entry of the 2-D plot layout (see layout-thread.ts): optimizes one UMAP layout of
// the shared fuzzy graph while the calling thread optimizes the clustering layout and runs HDBSCAN.
import { parentPort } from 'node:worker_threads'
import type { LayoutJob } from './layout-thread'
import { Pacer } from './run-pace'
import { layout } from './umap'

const port = parentPort
if (!port) throw new Error('layout-worker.ts must run in a worker thread')

port.once('message', (job: LayoutJob) => {
  const pace = new Pacer({ progress: (fraction) => port.postMessage({ progress: fraction }) })
  layout(job.graph, job.options, pace).then(
    (emb) => port.postMessage({ emb }, [emb.buffer as ArrayBuffer]),
    (e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e) }),
  )
})
