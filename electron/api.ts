// The router: one handler per channel of shared/api.ts, each a thin adapter over a capability
// (electron/app). Every request is validated against its channel's schema first — the renderer is
// untrusted, whether it speaks IPC or HTTP — and again by the capability.
import { z } from 'zod'
import { api, isChannel, type Channel, type Envelope, type ParsedReq, type Res } from '../shared/api'
import { App, type Changed } from './app'
import type { Core } from './core'
import { toApiError, UserError } from './errors'
import { scrubSecrets } from './secrets'

type Handlers = { [C in Channel]: (req: ParsedReq<C>) => Promise<Res<C>> | Res<C> }

export interface Router {
  handle(channel: string, raw: unknown): Promise<Envelope<unknown>>
}

export function createRouter(core: Core, opts: { onChanged?: (what: Changed) => void } = {}): Router {
  const app = new App(core, opts.onChanged)
  const handlers: Handlers = {
    'app:info': (r) => app.run('app:info', r),
    'sessions:list': (r) => app.run('sessions:list', r),
    'sessions:get': (r) => app.run('sessions:get', r),
    'replay:meta': (r) => app.run('replay:meta', r),
    'replay:chunks': (r) => app.run('replay:chunks', r),
    'sessions:events': (r) => app.run('sessions:events', r),
    'sessions:console': (r) => app.run('sessions:console', r),
    'sessions:ai-calls': (r) => app.run('sessions:ai-calls', r),
    'traces:list': (r) => app.run('traces:list', r),
    'traces:get': (r) => app.run('traces:get', r),
    'traces:text': (r) => app.run('traces:text', r),
    'import:files': async (r) => ({ job: await app.run('import:files', { files: r.paths }) }),
    'samples:list': (r) => app.run('samples:list', r),
    'samples:import': async (r) => ({ job: await app.run('samples:import', r) }),
    'pull:start': async (r) => ({ job: await app.run('pull:start', r) }),
    'pull:list': (r) => app.run('pull:list', r),
    'pull:sync': async (r) => ({ job: await app.run('pull:sync', r) }),
    'pull:traces': async (r) => ({ job: await app.run('pull:traces', r) }),
    'pull:traces-preview': (r) => app.run('pull:traces-preview', r),
    'pull:sync-points': (r) => app.run('pull:sync-points', r),
    'pull:reset-sync': (r) => app.run('pull:reset-sync', r),
    'pull:link': (r) => app.run('pull:link', r),
    'jobs:list': () => core.jobs.list(),
    'jobs:cancel': (r) => ({ cancelled: core.jobs.cancel(r.id) }),
    'jobs:rerun': async (r) => ({ job: await app.rerun(r.id) }),
    'jobs:clear': (r) => ({ cleared: core.jobs.clear(r.id) }),
    'flags:list': (r) => app.run('flags:list', r),
    'flags:detect': async (r) => ({ job: await app.run('flags:detect', r) }),
    'flags:set-status': (r) => app.run('flags:set-status', r),
    'clips:render': async (r) => ({ job: await app.run('clips:render', r) }),
    'clips:data': (r) => app.run('clips:data', r),
    'clips:warm': (r) => app.run('clips:warm', r),
    'verify:estimate': (r) => app.run('verify:estimate', r),
    'flags:verify': async (r) => ({ job: await app.run('flags:verify', r) }),
    'summary:get': (r) => app.run('summary:get', r),
    'summary:run': async ({ dryRun, ...r }) =>
      dryRun ? { job: null, dry_run: await app.run('summary:dry-run', r) } : { job: await app.run('summary:run', r), dry_run: null },
    'settings:get': (r) => app.run('settings:get', r),
    'settings:set': (r) => app.run('settings:set', r),
    'keys:set': (r) => app.run('keys:set', r),
    'clusters:runs': (r) => app.run('clusters:runs', r),
    'clusters:points': (r) => app.run('clusters:points', r),
    'clusters:groups': (r) => app.run('clusters:groups', r),
    'clusters:topics': (r) => app.run('clusters:topics', r),
    'clusters:rows': (r) => app.run('clusters:rows', r),
    'clusters:search': (r) => app.run('clusters:search', r),
    'clusters:place': (r) => app.run('clusters:place', r),
    'clusters:export': (r) => app.run('clusters:export', r),
    'clusters:pipeline-estimate': (r) => app.run('clusters:pipeline-estimate', r),
    'clusters:pipeline': async (r) => ({ job: await app.run('clusters:pipeline', r) }),
    'traces:summarize': async ({ estimate, ...r }) =>
      estimate ? { job: null, estimate: await app.run('traces:summarize-estimate', r) } : { job: await app.run('traces:summarize', r), estimate: null },
    'traces:summary': (r) => app.run('traces:summary', r),
    'traces:embed': async (r) => ({ job: await app.run('traces:embed', r) }),
    'embeddings:models': (r) => app.run('embeddings:models', r),
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
