// One session summary: heuristics → reduced CSV → redaction → one model call (or sequential
// segments when the session does not fit the model's context, each given the summary so far;
// never parallel: a segment without what came before loses the narrative) → a new version.
import { createHash } from 'node:crypto'
import type { ProgressFn } from '../../shared/model'
import type { DryRun, FlagLabel, FlagRow, SummaryVersion, Usage } from '../../shared/summary'
import { CancelledError, throwIfAborted } from '../errors'
import { createProvider, type LlmConfig } from '../llm'
import { ModelOutputError } from '../llm/errors'
import { isLoopback } from '../net'
import { GEMINI_BASE_URL } from '../llm/gemini'
import { OPENAI_BASE_URL } from '../llm/openai'
import { estimateCost, modelInfo, UNKNOWN_CONTEXT } from '../llm/prices'
import { mergeCounts, Redactor, type RedactCategory, type RedactResult } from '../llm/redact'
import { estimateTokens } from '../llm/tokens'
import type { Provider } from '../llm/types'
import { scrubSecrets, type SecretSource } from '../secrets'
import { evidenceFor, reduceSession, type ReducedRow, type ReducedSession } from '../sessions'
import { renderReduced } from '../sessions/reduce'
import type { Store } from '../store'
import type { NewFlag } from '../store/flags'
import { linkFlags, restate } from './flag-identity'
import { offlineSummary } from './offline'
import { hintsCsv, SUMMARY_SO_FAR_PLACEHOLDER, SYSTEM, userMessage } from './prompt'
import { SessionSummarySchema, type SessionSummaryOut } from './schema'

export interface SummarizeOptions {
  llm: LlmConfig
  /** Redaction categories the user turned off. */
  redactOff?: RedactCategory[]
  dryRun?: boolean
  /** Output budget per call. */
  maxOutputTokens?: number
  signal?: AbortSignal
  progress?: ProgressFn
  now?: () => number
}

export interface SummarizeResult {
  dry_run: DryRun | null
  summary: SummaryVersion | null
}

const DEFAULT_MAX_OUTPUT = 4096
// Room for token-count error between our tokenizer and the provider's.
const SAFETY = 0.9

const severityOf: Record<FlagLabel, NewFlag['severity']> = { blocking: 'high', friction: 'medium', noise: 'low' }

export async function summarizeSession(store: Store, secrets: SecretSource, sessionId: string, opts: SummarizeOptions): Promise<SummarizeResult> {
  const now = opts.now ?? Date.now
  const progress = opts.progress ?? (() => {})
  // The flags detected at import (or by "detect again"): a summary reads them, never re-detects.
  const heuristics = store.flags.list(sessionId, { origin: 'heuristic' })
  const reduced = reduceSession(store, sessionId)
  const cfg = opts.llm

  if (cfg.provider === 'none') {
    if (opts.dryRun) return { dry_run: noneDryRun(), summary: null }
    return { dry_run: null, summary: saveOffline(store, sessionId, reduced, heuristics, now()) }
  }

  const redactor = new Redactor(opts.redactOff ?? [])
  const maxOut = opts.maxOutputTokens ?? DEFAULT_MAX_OUTPUT
  const baseUrl = cfg.baseUrl || (cfg.provider === 'openai' ? OPENAI_BASE_URL : GEMINI_BASE_URL)
  const context = cfg.contextTokens ?? modelInfo(cfg.model)?.context ?? UNKNOWN_CONTEXT
  const hints = hintsCsv(heuristics, reduced)
  const segments = planSegments(reduced, hints, context, maxOut)
  const system = redactor.redact(SYSTEM)
  // For a dry run and the run key, later segments show a placeholder where the summary so far goes.
  const planned = segments.map((rows, index) => redactor.redact(userMessage(reduced, rows, hints, { index, count: segments.length }, index > 0 ? SUMMARY_SO_FAR_PLACEHOLDER : null)))
  const local = isLoopback(new URL(baseUrl).hostname)

  if (opts.dryRun) {
    const input = planned.reduce((n, u) => n + estimateTokens(system.text) + estimateTokens(u.text) + (u === planned[0] ? 0 : maxOut), 0)
    const output = Math.min(maxOut, 1500) * segments.length
    const counts = planned.reduce((c, u) => mergeCounts(c, u.counts), system.counts)
    return {
      summary: null,
      dry_run: {
        provider: cfg.provider,
        model: cfg.model,
        base_url: baseUrl,
        cloud: !local,
        offline_refused: cfg.offline && !local,
        requests: planned.map((u) => ({ system: system.text, user: u.text })),
        estimated_input_tokens: input,
        estimated_output_tokens: output,
        estimated_cost_usd: estimateCost(cfg.model, input, output, local),
        redaction: Object.entries(counts).map(([category, count]) => ({ category, count: count! })),
        segments: segments.length,
        context_tokens: context,
      },
    }
  }

  const provider = createProvider(cfg, secrets)
  const runKey = createHash('sha256')
    .update(JSON.stringify([sessionId, cfg.provider, cfg.model, baseUrl, system.text, planned.map((p) => p.text)]))
    .digest('hex')
  const done = new Map(store.summaries.checkpoints(runKey).map((c) => [c.segment, c]))
  const usage: Usage = { input_tokens: 0, output_tokens: 0, calls: 0, cost_usd: null }
  let soFar: SessionSummaryOut | null = null
  for (let k = 0; k < segments.length; k++) {
    throwIfAborted(opts.signal)
    const cached = done.get(k)
    if (cached) {
      soFar = SessionSummarySchema.parse(cached.result)
      addUsage(usage, cached.usage)
      continue
    }
    progress({ fraction: k / segments.length, message: segments.length > 1 ? `Asking ${cfg.model} (segment ${k + 1} of ${segments.length})` : `Asking ${cfg.model}` })
    const user = k === 0 ? planned[0]! : redactor.redact(userMessage(reduced, segments[k]!, hints, { index: k, count: segments.length }, soFar))
    const result = await call(store, secrets, provider, sessionId, runKey, k, system, user, maxOut, opts.signal, now)
    const callUsage: Usage = { input_tokens: result.usage.input_tokens, output_tokens: result.usage.output_tokens, calls: 1, cost_usd: estimateCost(cfg.model, result.usage.input_tokens, result.usage.output_tokens, local) }
    store.summaries.saveCheckpoint(runKey, k, result.value, callUsage, now())
    addUsage(usage, callUsage)
    soFar = result.value
  }
  throwIfAborted(opts.signal)
  const out = soFar!
  const summary = store.summaries.insert(
    {
      session_id: sessionId,
      provider: cfg.provider,
      model: cfg.model,
      kind: 'model',
      goal: out.goal,
      outcome: out.outcome,
      outcome_reason: out.outcome_reason,
      segments: out.segments.map((s) => ({ start_ms: at(reduced, s.start_s), end_ms: at(reduced, s.end_s), title: s.title, what_happened: s.what_happened })),
      key_moments: out.key_moments.map((m) => ({ time_ms: at(reduced, m.t_s), description: m.description, evidence: evidenceFor(reduced, m.event_refs) })),
      usage,
      run_key: runKey,
      // The same flag as a detected one, or as one of the previous version, keeps its id.
      flags: linkFlags(
        out.flags.map((f, i) => ({
          key: `model:${i}:${f.type}`,
          type: f.type,
          label: f.label,
          severity: severityOf[f.label],
          blocking: f.label === 'blocking',
          time_ms: at(reduced, f.t_s),
          window_id: windowOf(reduced, f.event_refs),
          evidence: evidenceFor(reduced, f.event_refs),
          confidence: f.confidence,
          title: f.title,
          detail: f.explanation,
        })),
        [...heuristics, ...(store.summaries.latest(sessionId)?.flags ?? [])],
      ),
    },
    now(),
  )
  progress({ fraction: 1, message: 'Summary stored' })
  return { dry_run: null, summary }
}

async function call(
  store: Store,
  secrets: SecretSource,
  provider: Provider,
  sessionId: string,
  runKey: string,
  segment: number,
  system: RedactResult,
  user: RedactResult,
  maxOut: number,
  signal: AbortSignal | undefined,
  now: () => number,
) {
  try {
    return await provider.structured({
      messages: [
        { role: 'system', parts: [{ type: 'text', text: system.text }] },
        { role: 'user', parts: [{ type: 'text', text: user.text }] },
      ],
      schema: SessionSummarySchema,
      schemaName: 'session_summary',
      maxOutputTokens: maxOut,
      ...(signal ? { signal } : {}),
    })
  } catch (e) {
    if (e instanceof ModelOutputError) {
      // A server may echo the key in what it answers: nothing of it is stored (secrets.ts).
      e.message = scrubSecrets(e.message, secrets)
      const id = store.summaries.recordFailure({ session_id: sessionId, run_key: runKey, segment, error: e.message, raw: scrubSecrets(e.raw, secrets) }, now())
      e.message += ` The raw answer (${e.raw.length} characters) is kept as failure ${id} (summary:get shows it).`
    }
    if (signal?.aborted) throw new CancelledError()
    throw e
  }
}

/**
 * Contiguous slices of rows, each small enough for one call next to the system prompt, hints,
 * output budget and (after the first) the summary so far. One slice when the session fits.
 */
export function planSegments(r: ReducedSession, hints: string, context: number, maxOut: number): ReducedRow[][] {
  if (r.rows.length === 0) return [[]]
  const fixed = estimateTokens(SYSTEM) + estimateTokens(hints) + maxOut
  const budget = Math.floor(context * SAFETY) - fixed
  if (estimateTokens(renderReduced(r)) <= budget) return [r.rows]
  // After the first segment the summary so far rides along; it is at most one answer long.
  const perSegment = budget - maxOut
  if (perSegment < 200) throw new Error(`The model's context (${context} tokens) is too small for even a short segment of this session.`)
  // Each row costs its CSV line plus the mapping rows of aliases it introduces (approximated once).
  const cost = r.rows.map((row) => estimateTokens(`${row.e},${(row.t_ms / 1000).toFixed(1)},${row.tab ?? ''},${row.event},${row.target},${row.el},${row.url},${row.detail}`) + 2)
  const segments: ReducedRow[][] = []
  let cur: ReducedRow[] = []
  let used = 200 // header, column names
  r.rows.forEach((row, i) => {
    const c = cost[i]! + (row.url ? 12 : 0) + (row.el ? 10 : 0)
    if (cur.length && used + c > perSegment) {
      segments.push(cur)
      cur = []
      used = 200
    }
    cur.push(row)
    used += c
  })
  if (cur.length) segments.push(cur)
  return segments
}

const at = (r: ReducedSession, s: number) => Math.round(r.start_ms + Math.max(0, Math.min(s * 1000, r.end_ms - r.start_ms)))

function windowOf(r: ReducedSession, refs: number[]): string | null {
  return refs.map((e) => r.rows[e - 1]).find(Boolean)?.window ?? null
}

function addUsage(total: Usage, u: Usage): void {
  total.input_tokens += u.input_tokens
  total.output_tokens += u.output_tokens
  total.calls += u.calls
  if (u.cost_usd !== null) total.cost_usd = (total.cost_usd ?? 0) + u.cost_usd
}

function noneDryRun(): DryRun {
  return {
    provider: 'none',
    model: 'heuristics',
    base_url: null,
    cloud: false,
    offline_refused: false,
    requests: [],
    estimated_input_tokens: 0,
    estimated_output_tokens: 0,
    estimated_cost_usd: 0,
    redaction: [],
    segments: 0,
    context_tokens: 0,
  }
}

function saveOffline(store: Store, sessionId: string, r: ReducedSession, heuristics: FlagRow[], now: number): SummaryVersion {
  const s = offlineSummary(r, heuristics)
  return store.summaries.insert(
    {
      session_id: sessionId,
      provider: 'none',
      model: 'heuristics',
      kind: 'heuristic',
      ...s,
      usage: { input_tokens: 0, output_tokens: 0, calls: 0, cost_usd: 0 },
      run_key: null,
      flags: heuristics.map((f) => restate(f, `heuristic:${f.id}`)),
    },
    now,
  )
}
