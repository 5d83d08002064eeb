// Langfuse's trace as its API and UI export it: {id, name, timestamp, input, output, sessionId,
// userId, observations:[{id, parentObservationId, type, name, model, input, output, usage |
// usageDetails, costDetails, level, statusMessage, startTime, endTime}], scores:[…]}. The trace
// itself becomes the root span; scores become feedback.
import type { SpanKind } from '../../../shared/trace-model'
import { parseTime } from '../timestamps'
import { isObj, looksLikeMessages, normalizeMessages, normalizeTools, str, toolCallsOf } from './messages'
import { num } from './posthog'
import type { TraceSink } from './sink'

const KINDS: Record<string, SpanKind> = {
  GENERATION: 'llm',
  EMBEDDING: 'embedding',
  AGENT: 'agent',
  TOOL: 'tool',
  CHAIN: 'chain',
  RETRIEVER: 'retriever',
  EVALUATOR: 'evaluator',
  GUARDRAIL: 'guardrail',
}

export const isLangfuseTrace = (v: unknown) => isObj(v) && Array.isArray(v.observations) && typeof v.id === 'string'

function asMessages(v: unknown, role: string) {
  if (v === undefined || v === null) return null
  if (looksLikeMessages(v) || (isObj(v) && (Array.isArray(v.messages) || Array.isArray(v.choices)))) return normalizeMessages(v, role)
  return [{ role, parts: [typeof v === 'string' ? { type: 'text' as const, text: v } : { type: 'json' as const, value: v }] }]
}

export function readLangfuseTrace(t: Record<string, unknown>, sink: TraceSink): void {
  const id = String(t.id)
  const session = str(t.sessionId)
  const user = str(t.userId)
  const common = { session_id: session, conversation_id: session, distinct_id: user, format: 'langfuse', tools: null, cost_usd: null, input_tokens: null, output_tokens: null }
  const start = parseTime(t.timestamp)
  const latency = num(t.latency)
  sink.span({
    ...common,
    trace_id: id,
    span_id: id,
    parent_id: null,
    kind: 'trace',
    name: str(t.name),
    model: null,
    provider: null,
    input: asMessages(t.input, 'input'),
    output: asMessages(t.output, 'output'),
    tool_calls: null,
    latency_ms: latency === null ? null : latency * 1000,
    start_ms: start,
    end_ms: start !== null && latency !== null ? Math.round(start + latency * 1000) : start,
    error: false,
    error_message: null,
    content: t.input !== undefined || t.output !== undefined ? 'span' : null,
    attributes: { tags: t.tags ?? null, metadata: t.metadata ?? null },
  })
  for (const o of t.observations as unknown[]) {
    if (!isObj(o) || typeof o.id !== 'string') {
      sink.skip('Langfuse observation without an id')
      continue
    }
    const kind = KINDS[String(o.type).toUpperCase()] ?? 'span'
    const usage = isObj(o.usageDetails) ? o.usageDetails : isObj(o.usage) ? o.usage : {}
    const cost = isObj(o.costDetails) ? num(o.costDetails.total) : (num(o.calculatedTotalCost) ?? num(o.totalCost))
    const s = parseTime(o.startTime)
    const e = parseTime(o.endTime)
    const isError = String(o.level).toUpperCase() === 'ERROR'
    const output = kind === 'llm' ? normalizeMessages(o.output, 'assistant') : asMessages(o.output, kind === 'tool' ? 'tool' : 'output')
    sink.span({
      ...common,
      trace_id: id,
      span_id: o.id,
      parent_id: str(o.parentObservationId) ?? id,
      kind,
      name: str(o.name),
      model: str(o.model),
      provider: null,
      input: kind === 'llm' || kind === 'embedding' ? normalizeMessages(o.input, 'user') : asMessages(o.input, 'input'),
      output,
      tools: isObj(o.modelParameters) ? normalizeTools(o.modelParameters.tools) : null,
      tool_calls: kind === 'llm' ? toolCallsOf(output) : kind === 'tool' ? [{ id: null, name: str(o.name) ?? 'tool', arguments: o.input ?? null }] : null,
      input_tokens: num(usage.input ?? usage.promptTokens),
      output_tokens: num(usage.output ?? usage.completionTokens),
      cost_usd: cost,
      latency_ms: s !== null && e !== null ? e - s : null,
      start_ms: s,
      end_ms: e,
      error: isError,
      error_message: isError ? (str(o.statusMessage) ?? null) : null,
      content: o.input !== undefined || o.output !== undefined ? 'span' : null,
      attributes: { type: o.type ?? null, level: o.level ?? null, metadata: o.metadata ?? null, modelParameters: o.modelParameters ?? null },
    })
  }
  for (const sc of Array.isArray(t.scores) ? t.scores : []) {
    if (!isObj(sc)) continue
    const value = sc.stringValue ?? sc.value
    sink.feedback({
      uuid: str(sc.id) ?? `${id}:score:${String(sc.name)}`,
      trace_id: id,
      kind: 'metric',
      name: str(sc.name) ?? 'score',
      value: typeof value === 'string' ? value : JSON.stringify(value ?? null),
      time_ms: parseTime(sc.timestamp),
    })
  }
}
