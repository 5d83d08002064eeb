// Embeddings of the summarized traces (their newest summary each, as embed-text.ts puts it):
// - offline (provider none): TF-IDF + truncated SVD fitted on the whole corpus (lsa.ts). A
//   corpus-level step: when the summaries are what the stored vectors were made from, nothing is
//   done; when the corpus grew or changed, it is fitted again and every vector replaced.
// - a model (OpenAI, Gemini, any OpenAI-compatible /v1/embeddings): only texts that changed since
//   the last run with that model are sent, batched within the API's limits by the provider.
// - a file (--from): vectors made elsewhere, matched to traces by id (vectors-file.ts).
// Vectors are stored per model; another model's stay beside them.
import { createHash } from 'node:crypto'
import path from 'node:path'
import type { ProgressFn } from '../../shared/model'
import type { EmbedResult } from '../../shared/trace-summary'
import { throwIfAborted, UserError } from '../errors'
import { createProvider, DEFAULT_EMBEDDING_MODEL, estimateCost, type LlmConfig } from '../llm'
import { OPENAI_BASE_URL } from '../llm/openai'
import type { SecretSource } from '../secrets'
import type { Store } from '../store'
import { embeddingText } from './embed-text'
import { LSA_DIM, LSA_MODEL, Lsa } from './lsa'
import { readIdsFile, readVectorsFile } from './vectors-file'

export interface EmbedOptions {
  llm: LlmConfig
  /** Embed again even what is current. */
  force?: boolean
  /** Offline embedder's dimension (default 64, capped by the corpus). */
  dim?: number
  signal?: AbortSignal
  progress?: ProgressFn
  now?: () => number
}

const hash = (t: string) => createHash('sha256').update(t).digest('hex').slice(0, 32)

/** The name vectors are stored under: the embedding model (with its output dimensions when set), never the chat model. */
export function embeddingModelName(cfg: LlmConfig): string {
  if (cfg.provider === 'none') return LSA_MODEL
  let model = cfg.embeddingModel
  if (!model) {
    const official = cfg.provider === 'gemini' || !cfg.baseUrl || new URL(cfg.baseUrl).hostname === new URL(OPENAI_BASE_URL).hostname
    if (!official)
      throw new UserError(`No embedding model is set for ${cfg.baseUrl}.`, 'user_error', ['Set one in Settings (Embedding model) or pass --model, e.g. nomic-embed-text for Ollama'])
    model = DEFAULT_EMBEDDING_MODEL[cfg.provider]
  }
  return cfg.embeddingDimensions ? `${model}@${cfg.embeddingDimensions}` : model
}

export async function embedSummaries(store: Store, secrets: SecretSource, opts: EmbedOptions): Promise<EmbedResult> {
  const now = opts.now ?? Date.now
  const progress = opts.progress ?? (() => {})
  const summaries = store.traceSummaries.latestAll()
  if (!summaries.length) throw new UserError('No trace has a summary yet.', 'user_error', ['Run `sightline summarize-traces` first (offline: --provider none)'])
  const texts = summaries.map(embeddingText)
  const hashes = texts.map(hash)
  const model = embeddingModelName(opts.llm)
  const stored = store.embeddings.hashes(model)
  const changed = summaries.map((s, i) => opts.force || stored.get(s.trace_id) !== hashes[i])

  if (opts.llm.provider === 'none') {
    // One fit covers one corpus: a vector from an older fit next to one from a newer is meaningless.
    const same = !changed.some(Boolean) && stored.size === summaries.length
    if (same) return { model, dim: store.embeddings.dim(model) ?? 0, embedded: 0, skipped: summaries.length, total: summaries.length, usage: { input_tokens: 0, cost_usd: 0 }, refit: false }
    progress({ fraction: null, message: `Fitting TF-IDF + SVD on ${summaries.length} summaries` })
    const vectors = new Lsa().fitTransform(texts, { dim: opts.dim ?? LSA_DIM })
    throwIfAborted(opts.signal)
    store.embeddings.replace(model, vectors.map((v, i) => ({ trace_id: summaries[i]!.trace_id, vector: v, text_hash: hashes[i]! })), now())
    progress({ fraction: 1, message: 'Embeddings stored' })
    return { model, dim: vectors[0]?.length ?? 0, embedded: vectors.length, skipped: 0, total: summaries.length, usage: { input_tokens: 0, cost_usd: 0 }, refit: true }
  }

  const todo = summaries.map((_, i) => i).filter((i) => changed[i])
  const result: EmbedResult = { model, dim: store.embeddings.dim(model) ?? 0, embedded: 0, skipped: summaries.length - todo.length, total: summaries.length, usage: { input_tokens: 0, cost_usd: 0 } }
  if (!todo.length) return result
  const provider = createProvider(opts.llm, secrets)
  // Stored in steps, so a cancelled or failed run keeps what was embedded and a re-run resumes.
  const STEP = 256
  for (let k = 0; k < todo.length; k += STEP) {
    throwIfAborted(opts.signal)
    progress({ fraction: k / todo.length, done: k, total: todo.length, message: `Embedding with ${model}: ${k} of ${todo.length}` })
    const part = todo.slice(k, k + STEP)
    const out = await provider.embed(
      part.map((i) => texts[i]!),
      opts.signal ? { signal: opts.signal } : {},
    )
    store.embeddings.put(
      model,
      out.vectors.map((v, j) => ({ trace_id: summaries[part[j]!]!.trace_id, vector: v, text_hash: hashes[part[j]!]! })),
      now(),
    )
    result.embedded += part.length
    result.dim = out.vectors[0]?.length ?? result.dim
    result.usage.input_tokens += out.usage.input_tokens
    const cost = estimateCost(model.replace(/@\d+$/, ''), out.usage.input_tokens, 0, !provider.cloud)
    result.usage.cost_usd = cost === null || result.usage.cost_usd === null ? null : result.usage.cost_usd + cost
  }
  progress({ fraction: 1, message: 'Embeddings stored' })
  return result
}

export interface ImportVectorsOptions {
  file: string
  /** For .npy: one id per line; without it, rows go to the summarized traces in id order. */
  idsFile?: string | undefined
  /** The name to store them under (default: file:<name of the file>). */
  model?: string | undefined
  now?: () => number
}

/** Vectors from a file, matched to stored traces by id; the dimension is checked against what the name already holds. */
export function importVectors(store: Store, o: ImportVectorsOptions): EmbedResult {
  const rows = readVectorsFile(o.file)
  const model = o.model ?? `file:${path.basename(o.file)}`
  let ids = rows.ids
  if (rows.format === 'npy') {
    const named = o.idsFile ? readIdsFile(o.idsFile) : store.traceSummaries.latestAll().map((s) => s.trace_id)
    if (named.length !== rows.vectors.length)
      throw new UserError(
        `${path.basename(o.file)} has ${rows.vectors.length} rows but ${o.idsFile ? `${path.basename(o.idsFile)} names ${named.length} ids` : `${named.length} traces are summarized`}; rows are matched to ids in order.`,
        'user_error',
        ['Pass --ids FILE with one trace id per line, in the order of the rows'],
      )
    ids = named
  }
  const known = new Set(store.traces.list({ sort: 'start_ms', dir: 'asc', limit: -1, offset: 0 }).rows.map((r) => r.id))
  const matched = rows.vectors.flatMap((v, i) => (known.has(ids[i]!) ? [{ trace_id: ids[i]!, vector: v, text_hash: null }] : []))
  const unmatched = ids.filter((id): id is string => !known.has(id!))
  if (!matched.length) throw new UserError(`None of the ${rows.vectors.length} ids in ${path.basename(o.file)} is a stored trace (first: ${JSON.stringify(ids[0])}).`)
  const storedDim = store.embeddings.dim(model)
  if (storedDim !== null && storedDim !== rows.dim)
    throw new UserError(`${path.basename(o.file)} has ${rows.dim}-dimensional vectors, but the vectors stored as ${model} have ${storedDim}.`, 'user_error', ['Store them under another name with --model NAME'])
  store.embeddings.put(model, matched, (o.now ?? Date.now)())
  return { model, dim: rows.dim, embedded: matched.length, skipped: 0, total: rows.vectors.length, usage: { input_tokens: 0, cost_usd: 0 }, unmatched }
}
