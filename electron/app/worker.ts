// Worker thread entry: runs the capabilities declared `worker: true`, each over the worker's own
// store connection. Keys a worker job needs were looked up by prepare() on the caller's side.
import type { JobContext } from '../jobs'
import { serveTasks, type Task } from '../jobs/serve-tasks'
import { openStore } from '../store'
import type { AnyJob, Capability } from './capability'
import { capabilities } from './table'

export interface WorkerInput {
  db: string
  input: unknown
}

const noSecrets = { get: () => undefined }

const task =
  (cap: AnyJob): Task =>
  async (m: WorkerInput, ctx: JobContext) => {
    const store = openStore(m.db)
    try {
      return await cap.run({ store, secrets: noSecrets, transport: 'worker' }, m.input as never, ctx)
    } finally {
      store.close()
    }
  }

const all = Object.entries(capabilities) as [string, Capability][]
serveTasks(Object.fromEntries(all.flatMap(([name, cap]) => (cap.job?.worker ? [[name, task(cap as AnyJob)]] : []))))
