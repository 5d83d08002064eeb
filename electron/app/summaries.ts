// Session summaries: what would be sent (dry run), the run itself as a job, and the stored versions.
import { z } from 'zod'
import { api } from '../../shared/api'
import type { RedactCategory, SummaryResult } from '../../shared/summary'
import type { LlmConfig } from '../llm'
import { flagsCurrent } from '../sessions/version'
import { readSettings } from '../settings'
import { job, query, type Deps } from './capability'
import { sessionOrThrow } from './sessions'

/** One summary request, from the Session page or `sightline summarize`: Settings, overridden here. */
const SummaryInput = z
  .object({
    id: z.string().min(1).max(500),
    provider: z.enum(['none', 'openai', 'gemini']).optional(),
    model: z.string().min(1).max(200).optional(),
    base_url: z.url({ protocol: /^https?$/ }).optional(),
    offline: z.boolean().optional(),
    /** The model's context size, for local models the price table does not know. */
    context_tokens: z.number().int().min(1).optional(),
    redact_off: api['summary:run'].req.shape.redact_off,
    max_output_tokens: z.number().int().min(1).optional(),
  })
  .strict()

type SummaryInput = z.output<typeof SummaryInput>

export interface Planned {
  id: string
  llm: LlmConfig
  options: { redactOff?: RedactCategory[]; maxOutputTokens?: number }
}

async function plan({ store }: Deps, r: SummaryInput): Promise<Planned> {
  sessionOrThrow(store, r.id)
  const { resolveConfig } = await import('../llm')
  const over: Partial<LlmConfig> = {}
  if (r.provider) over.provider = r.provider
  if (r.model) over.model = r.model
  if (r.base_url) over.baseUrl = r.base_url
  if (r.offline !== undefined) over.offline = r.offline
  if (r.context_tokens) over.contextTokens = r.context_tokens
  return {
    id: r.id,
    llm: resolveConfig(readSettings(store), over),
    options: { ...(r.redact_off ? { redactOff: r.redact_off } : {}), ...(r.max_output_tokens ? { maxOutputTokens: r.max_output_tokens } : {}) },
  }
}

export const summaries = {
  'summary:get': query({
    input: api['summary:get'].req,
    run: async ({ store }, r) => {
      sessionOrThrow(store, r.id)
      const { summaryView } = await import('../summarize')
      return summaryView(store, r.id, r.version)
    },
  }),

  /** Exactly what would be sent after redaction, with estimated tokens and cost; nothing is sent or stored. */
  'summary:dry-run': query({
    input: SummaryInput,
    prepare: plan,
    run: async ({ store, secrets }, p) => {
      const { summarizeSession } = await import('../summarize')
      return (await summarizeSession(store, secrets, p.id, { llm: p.llm, dryRun: true, ...p.options })).dry_run!
    },
  }),

  /** A new summary version (a re-run adds one; an interrupted run resumes after its finished calls). */
  'summary:run': job({
    input: SummaryInput,
    prepare: plan,
    job: { kind: 'summarize', title: (p) => `Summarize ${p.id.slice(0, 13)} (${p.llm.provider === 'none' ? 'heuristics' : p.llm.model})` },
    run: async ({ store, secrets }, p, { signal, progress }): Promise<SummaryResult> => {
      const [{ summarizeSession, summaryResult }, { refreshFlags }] = await Promise.all([import('../summarize'), import('../sessions')])
      // Flags found by older detectors (or never) are brought up to date first: the summary's hints are these flags.
      if (!flagsCurrent(store, p.id)) {
        progress({ fraction: null, message: 'Finding heuristic flags' })
        refreshFlags(store, p.id)
      }
      const r = await summarizeSession(store, secrets, p.id, { llm: p.llm, signal, progress, ...p.options })
      return summaryResult(r.summary!)
    },
  }),
}
