// The router: one handler per channel of shared/api.ts. Every request is validated against its
// schema first — the renderer is untrusted, whether it speaks IPC or HTTP.
import { z } from 'zod'
import { api, isChannel, type Channel, type Envelope, type ParsedReq, type Res } from '../shared/api'
import type { JobInfo } from '../shared/model'
import { resolveFfmpeg } from './clips/ffmpeg'
import type { Core } from './core'
import type { ImportInput } from './import'
import { NotFoundError, toApiError, UserError } from './errors'
import { runInWorker } from './jobs/run-in-worker'
import { appVersion } from './paths'
import { parseFilter } from './sessions/filter'
import { startPull } from './pull/job'
import { replayChunks, replayMeta, sessionConsole, sessionEvents } from './replay'
import { listSamples, sampleInput } from './samples'
import { SECRET_ENV, scrubSecrets } from './secrets'
import { refreshFlags } from './sessions'
import { dryRunSummary, startSummaryJob, summaryView } from './summarize'
import { readSettings, writeSettings } from './settings'
import { spanTree, traceText } from './traces'

const notFound = (what: string, id: string): never => {
  throw new NotFoundError(what, id)
}

type Handlers = { [C in Channel]: (req: ParsedReq<C>) => Promise<Res<C>> | Res<C> }

export interface Router {
  handle(channel: string, raw: unknown): Promise<Envelope<unknown>>
}

/** Starts an import job in a worker thread; the UI learns of new rows from the 'changed' event. */
export function startImport(core: Core, files: (string | ImportInput)[], onChanged: () => void): JobInfo {
  const first = files[0]!
  const name = typeof first === 'string' ? first : (first.label ?? first.file)
  const title = files.length === 1 ? `Import ${name.split(/[\\/]/).pop()}` : `Import ${files.length} files`
  return core.jobs.start('import', title, async (ctx) => {
    const results = await runInWorker('import', { db: core.store.file, files }, ctx)
    if (results.some((r) => !r.error && !r.already_imported)) onChanged()
    return results
  })
}

export function createRouter(core: Core, opts: { onChanged?: (what: 'sessions' | 'traces' | 'settings') => void } = {}): Router {
  const changed = opts.onChanged ?? (() => {})
  const handlers: Handlers = {
    'app:info': () => ({
      version: appVersion(),
      transport: core.transport === 'ipc' ? 'ipc' : 'http',
      db_path: core.store.file,
      keys: { openai: !!core.secrets.get('openai'), gemini: !!core.secrets.get('gemini'), posthog: !!core.secrets.get('posthog') },
      ffmpeg: resolveFfmpeg(),
    }),
    'sessions:list': ({ filter, ...req }) => core.store.sessions.list({ ...req, filter: filter?.trim() ? parseFilter(filter) : undefined }),
    'sessions:get': (req) => core.store.sessions.get(req.id) ?? notFound('session', req.id),
    'replay:meta': (req) => replayMeta(core.store, req.id),
    'replay:chunks': (req) => replayChunks(core.store, req.id, req.window_id, req.seqs),
    'sessions:events': (req) => sessionEvents(core.store, req.id),
    'sessions:console': (req) => sessionConsole(core.store, req.id),
    'traces:list': (req) => core.store.traces.list(req),
    'import:files': (req) => ({ job: startImport(core, req.paths, () => { changed('sessions'); changed('traces') }) }),
    'traces:get': (req) => {
      const trace = core.store.spans.detail(req.id) ?? notFound('trace', req.id)
      return { trace, tree: spanTree(trace).map((n) => ({ span_id: n.span.span_id, depth: n.depth })) }
    },
    'traces:text': (req) => traceText(core.store, req.id, { maxLines: req.max_lines }) ?? notFound('trace', req.id),
    'sessions:ai-calls': (req) => core.store.spans.callsInSession(req.id),
    'pull:start': (req) => ({ job: startPull(core, req.url, { onChanged: () => { changed('sessions'); changed('traces') } }) }),
    'samples:list': () => listSamples(),
    'samples:import': (req) => ({
      job: startImport(core, req.names.map(sampleInput), () => { changed('sessions'); changed('traces') }),
    }),
    'jobs:list': () => core.jobs.list(),
    'jobs:cancel': (req) => ({ cancelled: core.jobs.cancel(req.id) }),
    'flags:list': (req) => {
      if (!core.store.sessions.get(req.id)) notFound('session', req.id)
      const heuristic = req.origin === 'model' ? [] : refreshFlags(core.store, req.id)
      const summary = req.version === undefined ? core.store.summaries.latest(req.id) : core.store.summaries.byVersion(req.id, req.version)
      // A heuristic summary's flags are copies of the heuristic ones: list those once.
      const model = req.origin === 'heuristic' || summary?.kind === 'heuristic' ? [] : (summary?.flags ?? [])
      return { flags: [...heuristic, ...model].sort((a, b) => a.time_ms - b.time_ms || a.id - b.id), summary_version: summary?.version ?? null }
    },
    'flags:set-status': (req) => core.store.flags.setStatus(req.flag_id, req.status, 'user', req.note ?? null, Date.now()) ?? notFound('flag', String(req.flag_id)),
    'summary:get': (req) => {
      if (!core.store.sessions.get(req.id)) notFound('session', req.id)
      return summaryView(core.store, req.id, req.version)
    },
    'summary:run': async (req) => {
      const sreq = { sessionId: req.id, llm: { ...(req.provider ? { provider: req.provider } : {}), ...(req.model ? { model: req.model } : {}) }, ...(req.redact_off ? { redactOff: req.redact_off } : {}) }
      if (req.dryRun) return { job: null, dry_run: await dryRunSummary(core, sreq) }
      return { job: startSummaryJob(core, sreq), dry_run: null }
    },
    'settings:get': () => readSettings(core.store),
    'keys:set': (req) => {
      if (!core.secrets.set) {
        throw new UserError(`Keys cannot be stored from here. Set ${SECRET_ENV[req.name]} in the environment that runs Sightline.`)
      }
      core.secrets.set(req.name, req.value.trim())
      changed('settings')
      return { stored: req.value.trim() !== '' }
    },
    'settings:set': (req) => {
      const s = writeSettings(core.store, req)
      changed('settings')
      return s
    },
  }

  return {
    async handle(channel, raw) {
      if (!isChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: `Unknown channel ${JSON.stringify(channel)}` } }
      const parsed = api[channel].req.safeParse(raw ?? {})
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid_request', message: `Invalid request for ${channel}: ${z.prettifyError(parsed.error)}` } }
      }
      try {
        const handler = handlers[channel] as (req: unknown) => unknown
        return { ok: true, result: await handler(parsed.data) }
      } catch (e) {
        const error = toApiError(e)
        return { ok: false, error: { ...error, message: scrubSecrets(error.message, core.secrets) } }
      }
    },
  }
}

export { UserError }
