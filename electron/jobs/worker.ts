// Worker thread entry: runs one named task and reports progress, result or error to its parent.
import { parentPort } from 'node:worker_threads'
import { CancelledError, toApiError } from '../errors'
import type { FromWorker, ToWorker } from './messages'
import { tasks, type TaskName } from './tasks'

const port = parentPort
if (!port) throw new Error('worker.ts must run in a worker thread')
const controller = new AbortController()
const send = (m: FromWorker) => port.postMessage(m)

port.on('message', async (m: ToWorker) => {
  if (m.type === 'cancel') return controller.abort()
  try {
    const task = tasks[m.task as TaskName]
    if (!task) throw new Error(`Unknown worker task ${m.task}`)
    const result = await task(m.input as never, {
      signal: controller.signal,
      progress: (fraction, message) => send({ type: 'progress', fraction, message }),
    })
    send({ type: 'done', result })
  } catch (e) {
    send({ type: 'error', error: toApiError(e), cancelled: e instanceof CancelledError || controller.signal.aborted })
  }
})
