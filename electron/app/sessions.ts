// Sessions, their replay and their flags. Reads only read: flags are detected at import and by
// flags:detect, never while listing.
import { z } from 'zod'
import { api } from '../../shared/api'
import type { DetectResult } from '../../shared/jobs'
import type { FlagOrigin, FlagRow, SummaryVersion } from '../../shared/summary'
import { NotFoundError, throwIfAborted } from '../errors'
import { replayChunks, replayMeta, sessionConsole, sessionEvents } from '../replay'
import { DETECTOR_VERSION, flagsCurrent } from '../sessions/version'
import { parseFilter } from '../sessions/filter'
import type { Store } from '../store'
import { job, query } from './capability'

const Id = z.string().min(1).max(500)

export const sessionOrThrow = (store: Store, id: string) => store.sessions.get(id) ?? notFound('session', id)

function notFound(what: string, id: string): never {
  throw new NotFoundError(what, id)
}

export const sessions = {
  /** Every matching row unless `limit` is given (the Library pages with limit/offset). */
  'sessions:list': query({
    input: z.object({
      q: z.string().max(500).optional(),
      filter: z.string().max(4000).optional(),
      sort: api['sessions:list'].req.shape.sort,
      dir: z.enum(['asc', 'desc']).default('desc'),
      limit: z.number().int().min(1).optional(),
      offset: z.number().int().min(0).default(0),
    }),
    run: ({ store }, { filter, limit, ...q }) =>
      store.sessions.list({ ...q, filter: filter?.trim() ? parseFilter(filter) : undefined, limit: limit ?? -1 }),
  }),
  'sessions:get': query({ input: api['sessions:get'].req, run: ({ store }, { id }) => sessionOrThrow(store, id) }),
  'replay:meta': query({ input: api['replay:meta'].req, run: ({ store }, { id }) => replayMeta(store, id) }),
  'replay:chunks': query({ input: api['replay:chunks'].req, run: ({ store }, r) => replayChunks(store, r.id, r.window_id, r.seqs) }),
  'sessions:events': query({ input: api['sessions:events'].req, run: ({ store }, { id }) => sessionEvents(store, id) }),
  'sessions:console': query({ input: api['sessions:console'].req, run: ({ store }, { id }) => sessionConsole(store, id) }),
  'sessions:ai-calls': query({ input: api['sessions:ai-calls'].req, run: ({ store }, { id }) => store.spans.callsInSession(id) }),

  /**
   * The stored flags: heuristic ones and those of the latest summary version (or `version`).
   * `stale`: they were found by an older version of the detectors (or never): offer flags:detect.
   */
  'flags:list': query({
    input: api['flags:list'].req,
    run: ({ store }, req) => {
      sessionOrThrow(store, req.id)
      const summary = req.version === undefined ? store.summaries.latest(req.id) : store.summaries.byVersion(req.id, req.version)
      return { flags: currentFlags(store, req.id, summary, req.origin), summary_version: summary?.version ?? null, stale: !flagsCurrent(store, req.id) }
    },
  }),

  /** Runs the offline detectors again: the given sessions, or every session whose flags are stale. */
  'flags:detect': job({
    input: z.object({ ids: z.array(Id).max(100_000).optional() }).strict(),
    prepare: ({ store }, r) => {
      for (const id of r.ids ?? []) sessionOrThrow(store, id)
      return r
    },
    job: { kind: 'detect', title: (r) => (r.ids?.length === 1 ? `Detect flags in ${r.ids[0]!.slice(0, 13)}` : 'Detect flags'), worker: true },
    run: async ({ store }, r, { signal, progress }): Promise<DetectResult> => {
      const { refreshFlags } = await import('../sessions')
      const ids = r.ids ?? store.sessions.staleDetections(DETECTOR_VERSION)
      let flags = 0
      for (const [i, id] of ids.entries()) {
        throwIfAborted(signal)
        progress({ fraction: i / ids.length, message: `Session ${i + 1} of ${ids.length}`, done: i, total: ids.length })
        flags += refreshFlags(store, id).length
        // Let a cancel message in between sessions.
        await new Promise((resolve) => setImmediate(resolve))
      }
      return { sessions: ids.length, flags }
    },
    changes: (r) => (r.sessions > 0 ? ['sessions'] : []),
  }),

  /** A person's decision on a flag; the summary gets a version that takes it into account. */
  'flags:set-status': query({
    input: api['flags:set-status'].req,
    run: async ({ store }, r) => {
      const flag = store.flags.setStatus(r.flag_id, r.status, 'user', r.note ?? null, Date.now()) ?? notFound('flag', String(r.flag_id))
      const { applyVerdicts } = await import('../summarize')
      applyVerdicts(store, flag.session_id, Date.now())
      return flag
    },
  }),
}

/**
 * The flags a session shows: the detected ones and those of a summary version, each once (a
 * version's flag that restates a detected one has its id and replaces it in the list).
 */
export function currentFlags(store: Store, id: string, summary: SummaryVersion | undefined, origin: FlagOrigin | 'all' = 'all'): FlagRow[] {
  const heuristic = origin === 'model' ? [] : store.flags.list(id, { origin: 'heuristic' })
  const model = origin === 'heuristic' ? [] : (summary?.flags ?? [])
  const byId = new Map<number, FlagRow>()
  for (const f of [...heuristic, ...model]) byId.set(f.id, f)
  return [...byId.values()].sort((a, b) => a.time_ms - b.time_ms || a.id - b.id)
}
