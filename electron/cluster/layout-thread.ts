// The two UMAP layouts of a run share one fuzzy graph and are independent of each other, so the
// 2-D plot layout runs in a second worker thread (layout-worker.ts) while this thread optimizes the
// clustering layout and runs HDBSCAN: on two cores the run's wall time loses the plot layout's share.
// Same seed, same code, same result as in this thread. Where no worker can start (the entry is not
// found, or the thread limit), the layout runs here instead.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { CancelledError } from '../errors'
import type { Pacer } from './run-pace'
import { layout, type FuzzyGraph, type LayoutOptions } from './umap'

export interface LayoutJob {
  graph: FuzzyGraph
  options: LayoutOptions
}

/** From source: layout-worker.ts and what it imports, bundled once by esbuild (tsx's own). */
let sourceBundle: string | null = null

function startWorker(): Worker | null {
  const here = import.meta.url
  try {
    if (here.endsWith('.ts')) {
      if (sourceBundle === null) {
        const esbuild = createRequire(createRequire(here).resolve('tsx/package.json'))('esbuild') as {
          buildSync(o: Record<string, unknown>): { outputFiles: { text: string }[] }
        }
        const entry = fileURLToPath(new URL('./layout-worker.ts', here))
        sourceBundle = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' }).outputFiles[0]!.text
      }
      return new Worker(sourceBundle, { eval: true, execArgv: [] })
    }
    // Bundled: cluster-layout-worker.js next to main.js and worker.js; this module may sit in a chunk below them.
    const dir = path.dirname(fileURLToPath(here))
    const found = [dir, path.dirname(dir)].map((d) => path.join(d, 'cluster-layout-worker.js')).find((f) => fs.existsSync(f))
    return found ? new Worker(found) : null
  } catch {
    return null
  }
}

/** Runs layout(graph, options) in a worker thread (in this one when none can start); cancel ends the worker. */
export function layoutInWorker(graph: FuzzyGraph, options: LayoutOptions, pace: Pacer, signal?: AbortSignal): Promise<Float32Array> {
  const worker = startWorker()
  if (!worker) return layout(graph, options, pace)
  return new Promise<Float32Array>((resolve, reject) => {
    let settled = false
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      void worker.terminate()
      fn()
    }
    const onAbort = () => finish(() => reject(new CancelledError()))
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort)
    // A worker that fails (out of memory, killed) is not the run's fault: the layout is made here.
    const inThread = () => finish(() => layout(graph, options, pace).then(resolve, reject))
    worker.on('message', (m: { progress?: number; emb?: Float32Array; error?: string }) => {
      if (m.emb) finish(() => resolve(m.emb!))
      else if (m.error !== undefined) inThread()
      else if (m.progress !== undefined) void pace.tick(m.progress, options.label ?? `UMAP ${options.dim}-D`).catch(() => {})
    })
    worker.on('error', inThread)
    worker.on('exit', inThread)
    worker.postMessage({ graph, options } satisfies LayoutJob)
  })
}
