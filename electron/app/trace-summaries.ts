// Structured trace summaries and embeddings: summarize (a job; a cost estimate first for a cloud
// run), read a trace's summary, embed the summarized traces (a job in a worker: the offline
// embedder is a corpus-wide fit) or bring vectors from a file, list the stored embedding models.
import { z } from 'zod'
import type { SummarizeTracesResult, TraceSummary, EmbedResult } from '../../shared/trace-summary'
import type { LlmConfig } from '../llm'
import { NotFoundError } from '../errors'
import type { SecretName } from '../secrets'
import { readSettings } from '../settings'
import { job, query, type Deps } from './capability'
import { REDACT_CATEGORIES } from '../../shared/summary'

const Provider = z.enum(['none', 'openai', 'gemini'])

const Llm = {
  provider: Provider.optional(),
  model: z.string().min(1).max(200).optional(),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  offline: z.boolean().optional(),
}

export const SummarizeTracesInput = z
  .object({
    ...Llm,
    context_tokens: z.number().int().min(1).optional(),
    /** Only these traces. */
    ids: z.array(z.string().min(1).max(500)).max(100_000).optional(),
    /** A random sample of this many traces (the same seed picks the same ones). */
    limit: z.number().int().min(1).optional(),
    seed: z.number().int().optional(),
    /** Traces that started in this range (epoch ms). */
    from_ms: z.number().int().optional(),
    to_ms: z.number().int().optional(),
    /** Summarize again even what is current. */
    force: z.boolean().optional(),
    /** Model calls in flight at once, for the whole process (default 4). */
    concurrency: z.number().int().min(1).max(64).optional(),
    redact_off: z.array(z.enum(REDACT_CATEGORIES)).max(REDACT_CATEGORIES.length).optional(),
    max_output_tokens: z.number().int().min(1).optional(),
  })
  .strict()

type SummarizeTracesInput = z.output<typeof SummarizeTracesInput>

export const EmbedInput = z
  .object({
    provider: Provider.optional(),
    /** The embedding model (default: Settings, else the provider's); never the chat model. */
    model: z.string().min(1).max(200).optional(),
    base_url: z.url({ protocol: /^https?$/ }).optional(),
    offline: z.boolean().optional(),
    /** Output dimensions (OpenAI `dimensions`, Gemini `outputDimensionality`; offline: the SVD's). */
    dimensions: z.number().int().min(1).max(8192).optional(),
    force: z.boolean().optional(),
    /** Bring your own vectors: .npy, .csv or .jsonl, matched to traces by id. */
    from: z.string().min(1).max(4096).optional(),
    /** For an .npy: a file with one trace id per line, in row order. */
    ids_file: z.string().min(1).max(4096).optional(),
    /** The name to store vectors from a file under (default file:<name>). */
    name: z.string().min(1).max(200).optional(),
  })
  .strict()

type EmbedInput = z.output<typeof EmbedInput>

async function llmOf(store: Deps['store'], r: { provider?: LlmConfig['provider'] | undefined; model?: string | undefined; base_url?: string | undefined; offline?: boolean | undefined }, embedding: boolean): Promise<LlmConfig> {
  const { resolveConfig } = await import('../llm')
  const over: Partial<LlmConfig> = {}
  if (r.provider) over.provider = r.provider
  if (r.model) over[embedding ? 'embeddingModel' : 'model'] = r.model
  if (r.base_url) over.baseUrl = r.base_url
  if (r.offline !== undefined) over.offline = r.offline
  return resolveConfig(readSettings(store), over)
}

export interface PlannedSummaries {
  llm: LlmConfig
  input: SummarizeTracesInput
}

async function planSummaries({ store, secrets }: Deps, r: SummarizeTracesInput): Promise<PlannedSummaries> {
  const llm = await llmOf(store, r, false)
  if (r.context_tokens) llm.contextTokens = r.context_tokens
  // Offline refusals and missing keys fail here, before a job starts.
  if (llm.provider !== 'none') (await import('../llm')).createProvider(llm, secrets)
  return { llm, input: r }
}

const optionsOf = (p: PlannedSummaries) => ({
  llm: p.llm,
  selection: { ids: p.input.ids, sample: p.input.limit, seed: p.input.seed, from_ms: p.input.from_ms, to_ms: p.input.to_ms },
  ...(p.input.force ? { force: true } : {}),
  ...(p.input.redact_off ? { redactOff: p.input.redact_off } : {}),
  ...(p.input.max_output_tokens ? { maxOutputTokens: p.input.max_output_tokens } : {}),
})

export interface PlannedEmbed {
  input: EmbedInput
  llm: LlmConfig
  /** The provider's key, looked up on the caller's side: a worker has no keychain. Never in the job's record. */
  key: string | null
}

export const traceSummaries = {
  /** Summaries of the chosen traces (all, a random `limit`, a time range, or `ids`); current ones are skipped. */
  'traces:summarize': job({
    input: SummarizeTracesInput,
    prepare: planSummaries,
    job: { kind: 'summarize-traces', title: (p) => `Summarize traces (${p.llm.provider === 'none' ? 'offline' : p.llm.model})` },
    run: async ({ store, secrets }, p, { signal, progress }): Promise<SummarizeTracesResult> => {
      const [{ summarizeTraces }, { modelCalls }] = await Promise.all([import('../traces/summarize-traces'), import('../llm')])
      if (p.input.concurrency) modelCalls.setLimit(p.input.concurrency)
      return summarizeTraces(store, secrets, { ...optionsOf(p), signal, progress })
    },
    changes: () => ['traces'],
  }),

  /** Tokens and cost of a summarize run before it is made; nothing is sent or stored. */
  'traces:summarize-estimate': query({
    input: SummarizeTracesInput,
    prepare: async ({ store }, r) => ({ llm: await llmOf(store, r, false), input: r }),
    run: async ({ store }, p) => {
      const { estimateTraceSummaries } = await import('../traces/summarize-traces')
      return estimateTraceSummaries(store, optionsOf(p))
    },
  }),

  /** The newest summary of a trace (null before the first run) and every summary it has. */
  'traces:summary': query({
    input: z.object({ id: z.string().min(1).max(500) }).strict(),
    run: ({ store }, { id }): { latest: TraceSummary | null; all: TraceSummary[] } => {
      if (!store.spans.detail(id)) throw new NotFoundError('trace', id)
      return { latest: store.traceSummaries.latest(id), all: store.traceSummaries.all(id) }
    },
  }),

  /** Embeds the summarized traces (offline: TF-IDF + SVD fitted on them), or stores vectors from a file. */
  'traces:embed': job({
    input: EmbedInput,
    prepare: async ({ store, secrets }, r): Promise<PlannedEmbed> => {
      const llm = await llmOf(store, r, true)
      if (r.dimensions && llm.provider !== 'none') llm.embeddingDimensions = r.dimensions
      if (!r.from) {
        const { embeddingModelName } = await import('../cluster/embed')
        embeddingModelName(llm)
        if (llm.provider !== 'none') (await import('../llm')).createProvider(llm, secrets)
      }
      const key = llm.provider === 'none' || r.from ? null : (secrets.get(llm.provider as SecretName) ?? null)
      return { input: r, llm, key }
    },
    job: { kind: 'embed', title: (p) => (p.input.from ? `Embeddings from ${p.input.from.split(/[\\/]/).pop()}` : `Embed summaries (${p.llm.provider === 'none' ? 'offline' : p.llm.embeddingModel || p.llm.provider})`), worker: true },
    run: async ({ store }, p, { signal, progress }): Promise<EmbedResult> => {
      const { embedSummaries, importVectors } = await import('../cluster/embed')
      if (p.input.from) return importVectors(store, { file: p.input.from, idsFile: p.input.ids_file, model: p.input.name })
      const secrets = { get: (name: SecretName) => (name === p.llm.provider ? (p.key ?? undefined) : undefined) }
      return embedSummaries(store, secrets, { llm: p.llm, signal, progress, ...(p.input.force ? { force: true } : {}), ...(p.input.dimensions && p.llm.provider === 'none' ? { dim: p.input.dimensions } : {}) })
    },
  }),

  /** Embedding models with stored vectors: name, dimension, count. */
  'embeddings:models': query({
    input: z.object({}).strict(),
    run: ({ store }) => store.embeddings.models(),
  }),
}
