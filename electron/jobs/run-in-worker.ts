// Runs a named task in a worker thread so CPU-heavy work never blocks the process that serves the
// UI. Cancel is a message; a worker that ignores it is terminated. Which tasks exist is the
// worker entry's business (electron/app/worker.ts): this module only carries messages.
import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { CancelledError, UserError } from '../errors'
import type { JobContext } from './index'
import type { FromWorker, ToWorker } from './messages'

/**
 * The worker entry: its TypeScript source (run through tsx's loader, registered inside the worker
 * since Node 20 does not pass loader hooks to workers) and the file name the bundle gives it, found
 * next to the bundle's entries (this module may sit in a chunk one folder below them).
 */
export interface WorkerEntry {
  source: URL
  built: string
}

function startWorker(entry: WorkerEntry): Worker {
  if (import.meta.url.endsWith('.ts')) {
    const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
    const tsxApi = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href
    const boot = `import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(entry.source.href)}) })`
    return new Worker(boot, { eval: true })
  }
  const dir = path.dirname(fileURLToPath(import.meta.url))
  const found = [dir, path.dirname(dir)].map((d) => path.join(d, entry.built)).find((f) => fs.existsSync(f))
  if (!found) throw new Error(`${entry.built} not found next to the bundle (${dir})`)
  return new Worker(found)
}

const GRACE_MS = 5_000

export function runInWorker(entry: WorkerEntry, task: string, input: unknown, ctx: JobContext): Promise<unknown> {
  const worker = startWorker(entry)
  const send = (m: ToWorker) => worker.postMessage(m)
  return new Promise<unknown>((resolve, reject) => {
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
      if (m.type === 'progress') ctx.progress(m.progress)
      else if (m.type === 'done') finish(() => resolve(m.result))
      else finish(() => reject(m.cancelled ? new CancelledError() : new UserError(m.error.message, m.error.code)))
    })
    worker.on('error', (e) => finish(() => reject(e)))
    worker.on('exit', (code) => finish(() => reject(new Error(`Worker for ${task} exited with code ${code}`))))
    send({ type: 'start', task, input })
    if (ctx.signal.aborted) onAbort()
  })
}
