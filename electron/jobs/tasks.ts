// The work that runs in worker threads, by name. The worker imports this registry statically so
// that bundlers see every task; callers name a task instead of passing code across threads.
import { importFiles, type ImportInput } from '../import'
import { pullRecording, type PullInput } from '../pull'
import type { ImportResult } from '../../shared/model'
import { refreshFlags } from '../sessions'
import { openStore, type Store } from '../store'

export interface TaskContext {
  signal: AbortSignal
  progress(fraction: number | null, message?: string): void
}

export const tasks = {
  /** Imports files into the database at `db` over the worker's own connection. */
  async import(input: { db: string; files: (string | ImportInput)[] }, ctx: TaskContext) {
    const store = openStore(input.db)
    try {
      const results = await importFiles(store, input.files, {
        signal: ctx.signal,
        onProgress: (p) =>
          ctx.progress(
            p.total_bytes > 0 ? (p.index + p.bytes_read / p.total_bytes) / p.files : null,
            `${p.files > 1 ? `${p.index + 1}/${p.files} ` : ''}${p.file.split(/[\\/]/).pop()}`,
          ),
      })
      return flagImported(store, results, ctx)
    } finally {
      store.close()
    }
  },
  /** Fetches one PostHog recording over its REST API and imports it like a file (electron/pull). */
  async pull(input: { db: string } & PullInput, ctx: TaskContext) {
    const { db, ...req } = input
    const store = openStore(db)
    try {
      const result = await pullRecording(store, req, { signal: ctx.signal, onProgress: (fraction, message) => ctx.progress(fraction, message) })
      return flagImported(store, [result], ctx)
    } finally {
      store.close()
    }
  },
}

export type TaskName = keyof typeof tasks
export type TaskInput<N extends TaskName> = Parameters<(typeof tasks)[N]>[0]
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof tasks)[N]>>

/**
 * Runs the offline detectors over the sessions an import touched, so the Library can show and
 * sort by flags at once. A detector failure never undoes the import that already landed.
 */
function flagImported(store: Store, results: ImportResult[], ctx: TaskContext): ImportResult[] {
  const ids = [...new Set(results.flatMap((r) => r.session_ids ?? []))]
  ids.forEach((id, i) => {
    if (ctx.signal.aborted) return
    ctx.progress(null, `Looking for problems in ${ids.length > 1 ? `session ${i + 1}/${ids.length}` : 'the session'}`)
    try {
      refreshFlags(store, id)
    } catch {
      // the flags are recomputed whenever the session is opened
    }
  })
  return results
}
