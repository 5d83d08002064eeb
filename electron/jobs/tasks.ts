// The work that runs in worker threads, by name. The worker imports this registry statically so
// that bundlers see every task; callers name a task instead of passing code across threads.
import { importFiles, type ImportInput } from '../import'
import { pullRecording, type PullInput } from '../pull'
import { openStore } from '../store'

export interface TaskContext {
  signal: AbortSignal
  progress(fraction: number | null, message?: string): void
}

export const tasks = {
  /** Imports files into the database at `db` over the worker's own connection. */
  async import(input: { db: string; files: (string | ImportInput)[] }, ctx: TaskContext) {
    const store = openStore(input.db)
    try {
      return await importFiles(store, input.files, {
        signal: ctx.signal,
        onProgress: (p) =>
          ctx.progress(
            p.total_bytes > 0 ? (p.index + p.bytes_read / p.total_bytes) / p.files : null,
            `${p.files > 1 ? `${p.index + 1}/${p.files} ` : ''}${p.file.split(/[\\/]/).pop()}`,
          ),
      })
    } finally {
      store.close()
    }
  },
  /** Fetches one PostHog recording over its REST API and imports it like a file (electron/pull). */
  async pull(input: { db: string } & PullInput, ctx: TaskContext) {
    const { db, ...req } = input
    const store = openStore(db)
    try {
      return [await pullRecording(store, req, { signal: ctx.signal, onProgress: (fraction, message) => ctx.progress(fraction, message) })]
    } finally {
      store.close()
    }
  },
}

export type TaskName = keyof typeof tasks
export type TaskInput<N extends TaskName> = Parameters<(typeof tasks)[N]>[0]
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof tasks)[N]>>
