// Structured summaries of many traces: choose them (all, a random N, a time range), skip those
// already summarized from the same content with the same prompt version (re-runs cost nothing),
// then summarize the rest — with a model, several at once under the process's one model-call
// limiter, each answer validated and its line refs checked; or offline, extractively. Each summary
// is stored as soon as it is made, so a cancelled run keeps what it finished.
import { createHash } from 'node:crypto'
import type { ProgressFn } from '../../shared/model'
import type { TraceDetail } from '../../shared/trace-model'
import type { SummarizeTracesResult, TraceSummary, TraceSummaryEstimate } from '../../shared/trace-summary'
import { CancelledError, throwIfAborted } from '../errors'
import { createProvider, modelCalls, type LlmConfig } from '../llm'
import { ModelOutputError, ModelRequestError } from '../llm/errors'
import { GEMINI_BASE_URL } from '../llm/gemini'
import { OPENAI_BASE_URL } from '../llm/openai'
import { estimateCost, modelInfo, UNKNOWN_CONTEXT } from '../llm/prices'
import { Redactor, type RedactCategory } from '../llm/redact'
import { estimateTokens } from '../llm/tokens'
import type { Provider } from '../llm/types'
import { isLoopback } from '../net'
import type { SecretSource } from '../secrets'
import type { Store } from '../store'
import { formatTraceText } from './downsample'
import { extractiveSummary } from './extractive'
import { checkRefs, shownLines } from './line-refs'
import { renderTrace, type RenderedTrace } from './render'
import { EXTRACTIVE_VERSION, PROMPT_VERSION, SYSTEM, TraceSummarySchema } from './summary-schema'

export interface TraceSelection {
  /** Only these traces. */
  ids?: string[] | undefined
  /** A random sample of this many (of those in the time range). */
  sample?: number | undefined
  /** Seed of the sample: the same seed picks the same traces, so a re-run skips them all. */
  seed?: number | undefined
  /** Traces that started in [from_ms, to_ms]. */
  from_ms?: number | undefined
  to_ms?: number | undefined
}

export interface SummarizeTracesOptions {
  llm: LlmConfig
  selection?: TraceSelection
  /** Summarize again even what is current. */
  force?: boolean
  redactOff?: RedactCategory[]
  maxOutputTokens?: number
  /** Traces in flight at once (the process-wide limiter caps model calls too); default: its limit. */
  concurrency?: number
  signal?: AbortSignal
  progress?: ProgressFn
  now?: () => number
}

const DEFAULT_MAX_OUTPUT = 2000
/** What an answer usually costs, for the estimate (PostHog's detailed summaries run ~300–600 tokens). */
const TYPICAL_OUTPUT = 500
const SAFETY = 0.9
const MIN_LINES = 10

/** Deterministic [0, 1) numbers from a seed (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The trace ids a selection names, in start order. Unknown ids are an error naming them. */
export function selectTraces(store: Store, sel: TraceSelection = {}): string[] {
  const rows = store.traces.list({ sort: 'start_ms', dir: 'asc', limit: -1, offset: 0 }).rows
  let chosen = rows
  if (sel.ids?.length) {
    const known = new Set(rows.map((r) => r.id))
    const missing = sel.ids.filter((id) => !known.has(id))
    if (missing.length) throw new Error(`No such trace${missing.length > 1 ? 's' : ''}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`)
    const want = new Set(sel.ids)
    chosen = chosen.filter((r) => want.has(r.id))
  }
  if (sel.from_ms !== undefined) chosen = chosen.filter((r) => r.start_ms !== null && r.start_ms >= sel.from_ms!)
  if (sel.to_ms !== undefined) chosen = chosen.filter((r) => r.start_ms !== null && r.start_ms <= sel.to_ms!)
  let ids = chosen.map((r) => r.id)
  if (sel.sample !== undefined && sel.sample < ids.length) {
    const random = rng(sel.seed ?? 42)
    const a = [...ids].sort()
    for (let i = 0; i < sel.sample; i++) {
      const j = i + Math.floor(random() * (a.length - i))
      ;[a[i], a[j]] = [a[j]!, a[i]!]
    }
    const picked = new Set(a.slice(0, sel.sample))
    ids = ids.filter((id) => picked.has(id))
  }
  return ids
}

/** sha256 of the trace's whole text representation: the summary describes this content. */
export const contentHash = (r: RenderedTrace) => createHash('sha256').update(r.lines.join('\n')).digest('hex')

interface Summarizer {
  provider: TraceSummary['provider']
  model: string
  version: string
}

const summarizerOf = (cfg: LlmConfig): Summarizer =>
  cfg.provider === 'none' ? { provider: 'none', model: 'extractive', version: EXTRACTIVE_VERSION } : { provider: cfg.provider, model: cfg.model, version: PROMPT_VERSION }

const baseUrlOf = (cfg: LlmConfig) => cfg.baseUrl || (cfg.provider === 'openai' ? OPENAI_BASE_URL : GEMINI_BASE_URL)

/** The numbered text given to the model: the whole trace, or downsampled until it fits the model's context. */
export function promptText(r: RenderedTrace, context: number, maxOut: number): string {
  const budget = Math.floor(context * SAFETY) - estimateTokens(SYSTEM) - maxOut - 50
  let text = formatTraceText(r).text
  let tokens = estimateTokens(text)
  for (let lines = r.lines.length; tokens > budget && lines > MIN_LINES; ) {
    lines = Math.max(MIN_LINES, Math.floor(lines * (budget / tokens) * 0.95))
    text = formatTraceText(r, { maxLines: lines }).text
    tokens = estimateTokens(text)
  }
  return text
}

interface Todo {
  id: string
  detail: TraceDetail
  rendered: RenderedTrace
  hash: string
}

/** The selected traces that need a summary (content changed, prompt changed, or never summarized). */
function plan(store: Store, cfg: LlmConfig, opts: Pick<SummarizeTracesOptions, 'selection' | 'force'>): { selected: string[]; todo: () => Generator<Todo>; skipped: () => number } {
  const who = summarizerOf(cfg)
  const selected = selectTraces(store, opts.selection)
  const done = opts.force ? new Map<string, string>() : store.traceSummaries.hashes(who.provider, who.model, who.version)
  let skipped = 0
  function* todo(): Generator<Todo> {
    for (const id of selected) {
      const detail = store.spans.detail(id)
      if (!detail) continue
      const rendered = renderTrace(detail)
      const hash = contentHash(rendered)
      if (done.get(id) === hash) {
        skipped++
        continue
      }
      yield { id, detail, rendered, hash }
    }
  }
  return { selected, todo, skipped: () => skipped }
}

/** Tokens and cost of a run before it is made; nothing is sent or stored. */
export function estimateTraceSummaries(store: Store, opts: Pick<SummarizeTracesOptions, 'llm' | 'selection' | 'force' | 'maxOutputTokens'>): TraceSummaryEstimate {
  const cfg = opts.llm
  const p = plan(store, cfg, opts)
  const local = cfg.provider === 'none' || isLoopback(new URL(baseUrlOf(cfg)).hostname)
  const context = cfg.contextTokens ?? modelInfo(cfg.model)?.context ?? UNKNOWN_CONTEXT
  const maxOut = opts.maxOutputTokens ?? DEFAULT_MAX_OUTPUT
  let input = 0
  let n = 0
  for (const t of p.todo()) {
    n++
    if (cfg.provider !== 'none') input += estimateTokens(SYSTEM) + estimateTokens(promptText(t.rendered, context, maxOut))
  }
  const output = cfg.provider === 'none' ? 0 : n * Math.min(maxOut, TYPICAL_OUTPUT)
  const who = summarizerOf(cfg)
  return {
    provider: who.provider,
    model: who.model,
    cloud: !local,
    offline_refused: cfg.offline && !local,
    selected: p.selected.length,
    to_summarize: n,
    skipped: p.skipped(),
    estimated_input_tokens: input,
    estimated_output_tokens: output,
    estimated_cost_usd: cfg.provider === 'none' ? 0 : estimateCost(cfg.model, input, output, local),
  }
}

/** A failure that would fail every trace alike (bad key, unknown model, refused request): the run stops. */
const fatal = (e: unknown) =>
  e instanceof CancelledError || (e instanceof ModelRequestError && e.status !== null && e.status >= 400 && e.status < 500 && ![408, 409, 429].includes(e.status)) || !(e instanceof ModelOutputError || e instanceof ModelRequestError)

export async function summarizeTraces(store: Store, secrets: SecretSource, opts: SummarizeTracesOptions): Promise<SummarizeTracesResult> {
  const now = opts.now ?? Date.now
  const progress = opts.progress ?? (() => {})
  const cfg = opts.llm
  const who = summarizerOf(cfg)
  const p = plan(store, cfg, opts)
  const result: SummarizeTracesResult = {
    provider: who.provider,
    model: who.model,
    prompt_version: who.version,
    selected: p.selected.length,
    summarized: 0,
    skipped: 0,
    failed: [],
    dropped_refs: 0,
    usage: { input_tokens: 0, output_tokens: 0, calls: 0, cost_usd: cfg.provider === 'none' ? 0 : null },
  }
  const total = p.selected.length
  const tick = () => {
    const done = result.summarized + p.skipped() + result.failed.length
    progress({ fraction: total ? done / total : 1, done, total, message: `${who.provider === 'none' ? 'Summarizing offline' : `Asking ${who.model}`}: ${done} of ${total}` })
  }
  tick()

  if (cfg.provider === 'none') {
    for (const t of p.todo()) {
      // Milliseconds a trace, but thousands of them: the event loop (the app's main process) gets a turn between.
      await new Promise((r) => setImmediate(r))
      throwIfAborted(opts.signal)
      const s = extractiveSummary(t.detail, t.rendered)
      store.traceSummaries.put({ trace_id: t.id, ...who, prompt_version: who.version, content_hash: t.hash, kind: 'extractive', ...s, dropped_refs: 0, usage: { input_tokens: 0, output_tokens: 0, cost_usd: 0 }, created_ms: now() })
      result.summarized++
      tick()
    }
    result.skipped = p.skipped()
    return result
  }

  const provider = createProvider(cfg, secrets)
  const local = !provider.cloud
  const redactor = new Redactor(opts.redactOff ?? [])
  const maxOut = opts.maxOutputTokens ?? DEFAULT_MAX_OUTPUT
  const stop = new AbortController()
  const onAbort = () => stop.abort()
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  const queue = p.todo()
  let failure: unknown = null

  const one = async (t: Todo) => {
    const text = promptText(t.rendered, provider.contextTokens, maxOut)
    const shown = shownLines(text)
    const res = await summarizeOne(provider, redactor.redact(`Trace ${t.id}:\n\n${text}`).text, maxOut, stop.signal)
    const bullets = checkRefs(res.value.summary_bullets, shown)
    const notes = checkRefs(res.value.interesting_notes, shown)
    const cost = estimateCost(cfg.model, res.usage.input_tokens, res.usage.output_tokens, local)
    store.traceSummaries.put({
      trace_id: t.id,
      provider: who.provider,
      model: who.model,
      prompt_version: who.version,
      content_hash: t.hash,
      kind: 'model',
      title: res.value.title,
      flow_diagram: res.value.flow_diagram,
      summary_bullets: bullets.items,
      interesting_notes: notes.items,
      dropped_refs: bullets.dropped + notes.dropped,
      usage: { ...res.usage, cost_usd: cost },
      created_ms: now(),
    })
    result.summarized++
    result.dropped_refs += bullets.dropped + notes.dropped
    result.usage.input_tokens += res.usage.input_tokens
    result.usage.output_tokens += res.usage.output_tokens
    result.usage.calls++
    if (cost !== null) result.usage.cost_usd = (result.usage.cost_usd ?? 0) + cost
  }

  const worker = async () => {
    for (let next = queue.next(); !next.done && !stop.signal.aborted; next = queue.next()) {
      try {
        await one(next.value)
      } catch (e) {
        if (fatal(e) || stop.signal.aborted) {
          failure ??= stop.signal.aborted && opts.signal?.aborted ? new CancelledError() : e
          stop.abort()
          return
        }
        result.failed.push({ trace_id: next.value.id, error: (e as Error).message })
      }
      tick()
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? modelCalls.limit) }, worker))
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
  }
  if (opts.signal?.aborted) throw new CancelledError()
  if (failure) throw failure
  result.skipped = p.skipped()
  return result
}

async function summarizeOne(provider: Provider, user: string, maxOut: number, signal: AbortSignal) {
  return provider.structured({
    messages: [
      { role: 'system', parts: [{ type: 'text', text: SYSTEM }] },
      { role: 'user', parts: [{ type: 'text', text: user }] },
    ],
    schema: TraceSummarySchema,
    schemaName: 'trace_summary',
    maxOutputTokens: maxOut,
    temperature: 0.2,
    signal,
  })
}
