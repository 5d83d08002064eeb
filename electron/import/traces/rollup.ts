// A trace's own row, recomputed from all of its stored spans (they may come from several files):
// root, orphans, name, time range, token and cost totals, error, session, models.
import type { Span } from '../../../shared/trace-model'
import type { SpanHints, TraceRollup } from '../../store/spans'

const CALLS = new Set(['llm', 'embedding'])

export function rootOf(traceId: string, spans: Span[]): Span | null {
  const explicit = spans.find((s) => s.kind === 'trace' && s.span_id === traceId)
  if (explicit) return explicit
  const top = spans.filter((s) => s.parent_id === null || s.parent_id === traceId)
  return top.length === 1 ? top[0]! : null
}

/** Spans whose parent is neither in the trace nor the trace itself: hung off the root. */
export function orphansOf(traceId: string, spans: Span[]): string[] {
  const ids = new Set(spans.map((s) => s.span_id))
  return spans.filter((s) => s.parent_id !== null && s.parent_id !== traceId && !ids.has(s.parent_id)).map((s) => s.span_id)
}

export function rollup(traceId: string, spans: Span[], hints: SpanHints[]): TraceRollup {
  const root = rootOf(traceId, spans)
  const byStart = [...spans].sort((a, b) => (a.start_ms ?? Infinity) - (b.start_ms ?? Infinity))
  const starts = spans.map((s) => s.start_ms).filter((t): t is number => t !== null)
  const ends = spans.map((s) => s.end_ms ?? s.start_ms).filter((t): t is number => t !== null)
  // Tokens of model calls only: parents (agent, chain) that repeat their children's totals would double them.
  const calls = spans.filter((s) => CALLS.has(s.kind))
  const counted = calls.some((s) => s.input_tokens !== null || s.output_tokens !== null) ? calls : spans
  const costs = spans.map((s) => s.cost_usd).filter((c): c is number => c !== null)
  const rootHints = hints.find((h) => h.span_id === root?.span_id)
  const first = <K extends keyof SpanHints>(k: K) => (rootHints?.[k] ?? hints.find((h) => h[k] !== null)?.[k] ?? null) as SpanHints[K] | null
  const models: string[] = []
  for (const s of byStart) if (CALLS.has(s.kind) && s.model && !models.includes(s.model)) models.push(s.model)
  return {
    id: traceId,
    name: root?.name ?? byStart[0]?.name ?? null,
    start_ms: starts.length ? Math.min(...starts) : null,
    end_ms: ends.length ? Math.max(...ends) : null,
    spans: spans.length,
    input_tokens: counted.reduce((a, s) => a + (s.input_tokens ?? 0), 0),
    output_tokens: counted.reduce((a, s) => a + (s.output_tokens ?? 0), 0),
    cost_usd: costs.length ? costs.reduce((a, b) => a + b, 0) : null,
    error: spans.some((s) => s.error),
    session_id: first('session_id'),
    conversation_id: first('conversation_id'),
    distinct_id: first('distinct_id'),
    root_span_id: root?.span_id ?? null,
    format: first('format'),
    models,
  }
}
