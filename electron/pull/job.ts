// Starts a pull as a background job (pull:start, `sightline pull`). The link, offline mode and the
// key are checked here first, so a paste that cannot work fails at once instead of as a job.
import type { JobInfo } from '../../shared/model'
import type { Core } from '../core'
import { runInWorker } from '../jobs/run-in-worker'
import { readSettings } from '../settings'
import { preflight, type PullInput } from './index'

export function startPull(core: Core, url: string, opts: { offline?: boolean | undefined; onChanged?: () => void } & Pick<PullInput, 'http' | 'eventsPageSize'> = {}): JobInfo {
  const offline = opts.offline ?? readSettings(core.store).offline
  const apiKey = core.secrets.get('posthog') ?? ''
  const ref = preflight({ url, apiKey, offline })
  const input: PullInput = { url, apiKey, offline, http: opts.http, eventsPageSize: opts.eventsPageSize }
  return core.jobs.start('pull', `Pull recording ${ref.sessionId}`, async (ctx) => {
    const results = await runInWorker('pull', { db: core.store.file, ...input }, ctx)
    if (results.some((r) => !r.error && !r.already_imported)) opts.onChanged?.()
    return results
  })
}
