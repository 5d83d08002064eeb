// The worker thread's side of run-in-worker.ts: runs one named task and reports progress, result
// or error to its parent. The entry (electron/app/worker.ts) hands in the tasks it offers.
import { parentPort } from 'node:worker_threads'
import { CancelledError, toApiError } from '../errors'
import type { JobContext } from './index'
import type { FromWorker, ToWorker } from './messages'

export type Task = (input: never, ctx: JobContext) => Promise<unknown>

export function serveTasks(tasks: Record<string, Task>): void {
  const port = parentPort
  if (!port) throw new Error('serveTasks must run in a worker thread')
  const controller = new AbortController()
  const send = (m: FromWorker) => port.postMessage(m)
  port.on('message', async (m: ToWorker) => {
    if (m.type === 'cancel') return controller.abort()
    try {
      const task = Object.hasOwn(tasks, m.task) ? tasks[m.task] : undefined
      if (!task) throw new Error(`Unknown worker task ${m.task}`)
      const result = await task(m.input as never, { signal: controller.signal, progress: (progress) => send({ type: 'progress', progress }) })
      send({ type: 'done', result })
    } catch (e) {
      send({ type: 'error', error: toApiError(e), cancelled: e instanceof CancelledError || controller.signal.aborted })
    }
  })
}
