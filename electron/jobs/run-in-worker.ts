// Runs a task from tasks.ts in a worker thread so CPU-heavy work never blocks the process that
// serves the UI. Cancel is a message; a worker that ignores it is terminated.
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { CancelledError, UserError } from '../errors'
import type { FromWorker, ToWorker } from './messages'
import type { TaskContext, TaskInput, TaskName, TaskOutput } from './tasks'

// From source (CLI through tsx, tests) the worker is worker.ts, loaded after registering tsx's
// loader inside the worker (Node 20 does not pass loader hooks to workers); in the bundled app
// electron-vite emits it next to main.js as worker.js.
function startWorker(): Worker {
  if (import.meta.url.endsWith('.ts')) {
    const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
    const tsxApi = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href
    const entry = new URL('./worker.ts', import.meta.url).href
    const boot = `import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}) })`
    return new Worker(boot, { eval: true })
  }
  return new Worker(new URL('./worker.js', import.meta.url))
}

const GRACE_MS = 5_000

export function runInWorker<N extends TaskName>(task: N, input: TaskInput<N>, ctx: TaskContext): Promise<TaskOutput<N>> {
  const worker = startWorker()
  const send = (m: ToWorker) => worker.postMessage(m)
  return new Promise<TaskOutput<N>>((resolve, reject) => {
    let settled = false
    let killTimer: NodeJS.Timeout | undefined
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(killTimer)
      ctx.signal.removeEventListener('abort', onAbort)
      void worker.terminate()
      fn()
    }
    const onAbort = () => {
      send({ type: 'cancel' })
      killTimer = setTimeout(() => finish(() => reject(new CancelledError())), GRACE_MS)
    }
    ctx.signal.addEventListener('abort', onAbort)
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') ctx.progress(m.fraction, m.message)
      else if (m.type === 'done') finish(() => resolve(m.result as TaskOutput<N>))
      else finish(() => reject(m.cancelled ? new CancelledError() : new UserError(m.error.message, m.error.code)))
    })
    worker.on('error', (e) => finish(() => reject(e)))
    worker.on('exit', (code) => finish(() => reject(new Error(`Worker for ${task} exited with code ${code}`))))
    send({ type: 'start', task, input })
    if (ctx.signal.aborted) onAbort()
  })
}
