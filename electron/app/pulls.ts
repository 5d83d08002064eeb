// Pulls by query from PostHog: the preview (how many recordings match and how long PostHog's rate
// limits make pulling them), the pull with its sync point, LLM traces by date range (and their
// preview), the sync points listed and reset, and the PostHog page a pulled session or trace came from. The key is looked up by prepare() and travels
// to the worker, never into the job's record.
import { z } from 'zod'
import type { PullSyncResult, PullTracesPreview, PullTracesResult, SyncPointInfo } from '../../shared/pull'
import type { ByQueryInput } from '../pull/by-query'
import type { TracesInput } from '../pull/traces'
import { readSettings } from '../settings'
import { job, query, type Changed, type Deps } from './capability'

const Project = z.string().trim().min(1).max(4096)
const Since = z.string().trim().max(100).optional()
const Plan = z.enum(['free', 'paid', 'enterprise', 'none'])

const ByQuery = z
  .object({
    /** Any page of the project, e.g. https://us.posthog.com/project/12345 */
    project: Project,
    /** The Library's filter language, mapped onto PostHog's recordings list. */
    filter: z.string().max(4000).optional(),
    /** A HogQL query whose rows include session_id. */
    hogql: z.string().max(20_000).optional(),
    since: Since,
    limit: z.number().int().min(1).optional(),
    offline: z.boolean().optional(),
    /** The organization's PostHog plan (snapshot rates); 'none': self-hosted without throttles. */
    plan: Plan.optional(),
    concurrency: z.number().int().min(1).max(16).optional(),
    /** Tuning (tests, bench): list page size, timeouts/retries, the HogQL page size. */
    pageSize: z.number().int().min(1).max(500).optional(),
    http: z.record(z.string(), z.number()).optional(),
    eventsPageSize: z.number().int().min(1).optional(),
  })
  .strict()

async function byQueryInput({ store, secrets }: Deps, r: z.output<typeof ByQuery>): Promise<ByQueryInput> {
  const [{ preflightByQuery }, { parseFilter }] = await Promise.all([import('../pull/by-query'), import('../sessions/filter')])
  const filterText = r.filter?.trim() || undefined
  const input: ByQueryInput = {
    project: r.project,
    apiKey: secrets.get('posthog') ?? '',
    offline: r.offline ?? readSettings(store).offline,
    filter: filterText ? parseFilter(filterText) : undefined,
    filterText,
    hogql: r.hogql?.trim() || undefined,
    since: r.since,
    limit: r.limit,
    concurrency: r.concurrency,
    plan: r.plan,
    pageSize: r.pageSize,
    http: r.http as ByQueryInput['http'],
    eventsPageSize: r.eventsPageSize,
  }
  preflightByQuery(input)
  return input
}

const Traces = z
  .object({
    project: Project,
    since: Since,
    until: z.string().trim().max(100).optional(),
    model: z.string().trim().max(200).optional(),
    person: z.string().trim().max(500).optional(),
    offline: z.boolean().optional(),
    plan: Plan.optional(),
    pageSize: z.number().int().min(1).max(50_000).optional(),
    http: z.record(z.string(), z.number()).optional(),
  })
  .strict()

async function tracesInput({ store, secrets }: Deps, r: z.output<typeof Traces>): Promise<TracesInput> {
  const { parseProjectUrl } = await import('../pull/url')
  parseProjectUrl(r.project)
  const apiKey = secrets.get('posthog') ?? ''
  if (!apiKey) {
    const { MissingKeyError } = await import('../net')
    throw new MissingKeyError('PostHog', 'POSTHOG_API_KEY')
  }
  return { ...r, model: r.model || undefined, person: r.person || undefined, apiKey, offline: r.offline ?? readSettings(store).offline, http: r.http as TracesInput['http'] }
}

const landed = (n: number): Changed[] => (n > 0 ? ['sessions', 'traces'] : [])

export const pulls = {
  /** How many recordings a pull by query would fetch and how long it would take; imports nothing. */
  'pull:list': query({
    input: ByQuery,
    prepare: byQueryInput,
    run: async ({ store }, input) => {
      const { previewByQuery } = await import('../pull/by-query')
      return previewByQuery(store, input)
    },
  }),

  /** Pulls what matches (new since the sync point), concurrently under PostHog's limits. */
  'pull:sync': job({
    input: ByQuery,
    prepare: byQueryInput,
    job: { kind: 'pull-sync', title: (r) => `Pull from PostHog${r.filterText ? `: ${r.filterText}` : r.hogql ? ' (HogQL)' : ''}`, worker: true },
    run: async ({ store }, input, ctx): Promise<PullSyncResult> => {
      const [{ pullByQuery }, { refreshFlags }] = await Promise.all([import('../pull/by-query'), import('../sessions')])
      const out = await pullByQuery(store, input, { signal: ctx.signal, onProgress: ctx.progress })
      // The Library shows flags at once: detect them for what landed (a failure is a note, not undone).
      for (const r of out.results) {
        for (const id of r.error || r.already_imported ? [] : (r.session_ids ?? [])) {
          try {
            refreshFlags(store, id)
          } catch (e) {
            r.notes = [...(r.notes ?? []), `Flags of session ${id} could not be detected (${(e as Error).message}); run \`sightline flags ${id} --detect\`.`]
          }
        }
      }
      return out
    },
    changes: (out) => landed(out.pulled),
  }),

  /** LLM analytics events ($ai_*) of a date range, model or person, into the trace store. */
  'pull:traces': job({
    input: Traces,
    prepare: tracesInput,
    job: { kind: 'pull-traces', title: (r) => `Pull LLM traces from PostHog${r.model ? ` (${r.model})` : ''}`, worker: true },
    run: async ({ store }, input, ctx): Promise<PullTracesResult> => {
      const { pullTraces } = await import('../pull/traces')
      return pullTraces(store, input, { signal: ctx.signal, onProgress: ctx.progress })
    },
    changes: (out) => landed(out.events),
  }),

  /** How many $ai_ events and traces a traces pull would fetch, and how long PostHog's query limit makes it; imports nothing. */
  'pull:traces-preview': query({
    input: Traces,
    prepare: tracesInput,
    run: async ({ store }, input): Promise<PullTracesPreview> => {
      const { previewTraces } = await import('../pull/traces')
      return previewTraces(store, input)
    },
  }),

  /** Every sync point: project, query, how far it has pulled. */
  'pull:sync-points': query({
    input: z.object({}).strict(),
    run: async ({ store }): Promise<SyncPointInfo[]> => (await import('../pull/sync-points')).listSyncPoints(store),
  }),

  /** Forgets one sync point (key) or all of a project's: the next pull of that query starts over (what was imported stays). */
  'pull:reset-sync': query({
    input: z.union([z.object({ key: z.string().min(1).max(10_000) }).strict(), z.object({ project: Project }).strict()]),
    run: async ({ store }, r) => ({ reset: (await import('../pull/sync-points')).resetSync(store, r) }),
  }),

  /** The PostHog page a pulled session or trace came from ("Open in PostHog"); null when none. */
  'pull:link': query({
    input: z.object({ kind: z.enum(['session', 'trace']), id: z.string().min(1).max(500) }).strict(),
    run: ({ store }, r) => ({ url: store.sync.link(r.kind, r.id) }),
  }),
}
