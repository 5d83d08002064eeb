// Ways data comes in: files, the bundled samples, a PostHog replay link. Each runs as a job in a
// worker thread and ends by detecting the flags of the sessions it touched.
import { z } from 'zod'
import { api } from '../../shared/api'
import type { ImportResult } from '../../shared/model'
import type { ImportInput } from '../import'
import type { PullInput } from '../pull'
import { sampleInput } from '../samples'
import { readSettings } from '../settings'
import type { Store } from '../store'
import { job, type Changed, type RunContext } from './capability'

const FileInput = z.union([
  z.string().min(1).max(4096),
  z.object({ file: z.string().min(1).max(4096), session_id: z.string().max(500).optional(), label: z.string().max(4096).optional() }).strict(),
])

const nameOf = (f: string | ImportInput) => (typeof f === 'string' ? f : (f.label ?? f.file)).split(/[\\/]/).pop()
const importTitle = (files: (string | ImportInput)[]) => (files.length === 1 ? `Import ${nameOf(files[0]!)}` : `Import ${files.length} files`)

const landed = (results: ImportResult[]): Changed[] => (results.some((r) => !r.error && !r.already_imported) ? ['sessions', 'traces'] : [])

/**
 * Detects the flags of the sessions the results touched, so the Library shows and sorts by them at
 * once. A detector failure never undoes the import that landed: it is a note on the result, with
 * what to do.
 */
async function detectTouched(store: Store, results: ImportResult[], { signal, progress }: RunContext): Promise<ImportResult[]> {
  const { refreshFlags } = await import('../sessions')
  const ids = [...new Set(results.flatMap((r) => r.session_ids ?? []))]
  for (const [i, id] of ids.entries()) {
    if (signal.aborted) break
    progress({ fraction: null, message: `Looking for problems in ${ids.length > 1 ? `session ${i + 1}/${ids.length}` : 'the session'}` })
    try {
      refreshFlags(store, id)
    } catch (e) {
      const note = `Flags of session ${id} could not be detected (${(e as Error).message}); run \`sightline flags ${id} --detect\` to try again.`
      for (const r of results) if (r.session_ids?.includes(id)) r.notes = [...(r.notes ?? []), note]
    }
  }
  return results
}

async function importRun({ store }: { store: Store }, files: (string | ImportInput)[], ctx: RunContext): Promise<ImportResult[]> {
  const { importFiles } = await import('../import')
  const results = await importFiles(store, files, {
    signal: ctx.signal,
    onProgress: (p) =>
      ctx.progress({
        fraction: p.total_bytes > 0 ? (p.index + p.bytes_read / p.total_bytes) / p.files : null,
        message: `${p.files > 1 ? `${p.index + 1}/${p.files} ` : ''}${p.file.split(/[\\/]/).pop()}`,
        done: p.bytes_read,
        total: p.total_bytes,
      }),
  })
  return detectTouched(store, results, ctx)
}

export const imports = {
  /** Files the core can read (paths, or inputs with a session id / label); format from content. */
  'import:files': job({
    input: z.object({ files: z.array(FileInput).min(1).max(100_000) }).strict(),
    prepare: (_deps, r): (string | ImportInput)[] => r.files,
    job: { kind: 'import', title: importTitle, worker: true },
    run: (deps, files, ctx) => importRun(deps, files, ctx),
    changes: landed,
  }),

  'samples:import': job({
    input: api['samples:import'].req,
    prepare: (_deps, r): ImportInput[] => r.names.map(sampleInput),
    job: { kind: 'import', title: (files) => importTitle(files), worker: true },
    run: (deps, files, ctx) => importRun(deps, files, ctx),
    changes: landed,
  }),

  /**
   * One recording from PostHog by its replay link. The link, offline mode and the key are checked
   * before the job starts; the key travels to the worker, never into the job's record.
   */
  'pull:start': job({
    input: z
      .object({
        url: z.string().trim().min(1).max(4096),
        /** Overrides Settings' offline mode for this pull. */
        offline: z.boolean().optional(),
        /** Tuning (tests): timeouts/retries and the HogQL page size. */
        http: z.record(z.string(), z.number()).optional(),
        eventsPageSize: z.number().int().min(1).optional(),
      })
      .strict(),
    prepare: async ({ store, secrets }, r): Promise<PullInput & { sessionId: string }> => {
      const { preflight } = await import('../pull')
      const input: PullInput = { url: r.url, apiKey: secrets.get('posthog') ?? '', offline: r.offline ?? readSettings(store).offline, http: r.http as PullInput['http'], eventsPageSize: r.eventsPageSize }
      return { ...input, sessionId: preflight(input).sessionId }
    },
    job: { kind: 'pull', title: (r) => `Pull recording ${r.sessionId}`, worker: true },
    run: async ({ store }, input, ctx) => {
      const { pullRecording } = await import('../pull')
      const result = await pullRecording(store, input, { signal: ctx.signal, onProgress: ctx.progress })
      return detectTouched(store, [result], ctx)
    },
    changes: landed,
  }),
}
