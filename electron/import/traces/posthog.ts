// PostHog LLM analytics events ($ai_generation, $ai_embedding, $ai_span, $ai_trace; $ai_metric,
// $ai_feedback, survey responses) into spans and feedback. Tree: $ai_parent_id names another
// event's $ai_span_id or the trace id; the $ai_trace event is the root (span id = trace id).
import type { Message, SpanKind } from '../../../shared/trace-model'
import { parseTime } from '../timestamps'
import { isObj, looksLikeMessages, maybeJson, normalizeMessages, normalizeTools, str, toolCallsOf } from './messages'
import { hashOf, type SpanIn, type TraceSink } from './sink'

export const AI_SPAN_EVENTS = new Set(['$ai_generation', '$ai_embedding', '$ai_span', '$ai_trace'])
export const AI_FEEDBACK_EVENTS = new Set(['$ai_metric', '$ai_feedback', '$ai_evaluation'])

/** Content properties: stored as messages, not again among the attributes. */
const CONTENT = new Set(['$ai_input', '$ai_output', '$ai_output_choices', '$ai_tools', '$ai_input_state', '$ai_output_state'])

export const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) ? n : null
}
const truthy = (v: unknown) => v === true || v === 'true' || v === 'True' || v === 1

/** Event properties arrive as an object or, from exports, as a JSON string. */
export function propsOf(ev: Record<string, unknown>): Record<string, unknown> {
  const p = maybeJson(ev.properties)
  return isObj(p) ? p : {}
}

/** The wrapper stores the JS error as JSON ({name, message, stack}): keep the message, drop the stack. */
export function errorText(v: unknown): string | null {
  const e = maybeJson(v)
  if (e === null || e === undefined || e === '' || e === false) return null
  if (isObj(e)) return str(e.message) ?? str(e.error) ?? (isObj(e.error) ? (str(e.error.message) ?? JSON.stringify(e.error)) : JSON.stringify(e))
  return typeof e === 'string' ? e : JSON.stringify(e)
}

/** A span's input/output state: messages when it looks like messages, else one JSON part. */
function stateMessages(v: unknown, role: string): Message[] | null {
  v = maybeJson(v)
  if (v === null || v === undefined) return null
  if (looksLikeMessages(v)) return normalizeMessages(v, role)
  return [{ role, parts: [typeof v === 'string' ? { type: 'text', text: v } : { type: 'json', value: v }] }]
}

export function readPosthogAiEvent(ev: Record<string, unknown>, sink: TraceSink, traceHint?: string): void {
  const name = String(ev.event)
  const p = propsOf(ev)
  const time = parseTime(ev.timestamp ?? ev.createdAt) ?? parseTime(p.$time)
  const uuid = str(ev.uuid) ?? str(ev.id) ?? hashOf(JSON.stringify(ev))
  const traceId = str(p.$ai_trace_id) ?? traceHint ?? null

  if (AI_FEEDBACK_EVENTS.has(name) || name === 'survey sent') {
    if (!traceId) return sink.skip(`${name} without $ai_trace_id`)
    const value =
      name === '$ai_feedback'
        ? p.$ai_feedback_text
        : name === 'survey sent'
          ? Object.entries(p).find(([k]) => k.startsWith('$survey_response'))?.[1]
          : (p.$ai_metric_value ?? p.$ai_score)
    sink.feedback({
      uuid,
      trace_id: traceId,
      kind: name === '$ai_feedback' || name === 'survey sent' ? 'feedback' : 'metric',
      name: str(p.$ai_metric_name) ?? (name === 'survey sent' ? 'survey' : name === '$ai_feedback' ? 'feedback' : name.slice(4)),
      value: typeof value === 'string' ? value : JSON.stringify(value ?? null),
      time_ms: time,
    })
    return
  }

  // A generation without a trace is a trace of its own (PostHog lists it on its own too).
  const trace = traceId ?? uuid
  const isTrace = name === '$ai_trace'
  const kind: SpanKind =
    name === '$ai_generation' ? 'llm' : name === '$ai_embedding' ? 'embedding' : isTrace ? 'trace' : p.tool_call_id !== undefined || p.$ai_tool_call_id !== undefined ? 'tool' : 'span'
  const latencyS = num(p.$ai_latency)
  const latency = latencyS === null ? null : Math.round(latencyS * 1000 * 1000) / 1000
  const status = num(p.$ai_http_status)
  const errMsg = errorText(p.$ai_error)
  const isError = truthy(p.$ai_is_error) || errMsg !== null || (status !== null && status >= 400)
  const costIn = num(p.$ai_input_cost_usd)
  const costOut = num(p.$ai_output_cost_usd)
  const cost = num(p.$ai_total_cost_usd) ?? (costIn !== null || costOut !== null ? (costIn ?? 0) + (costOut ?? 0) : null)

  let input: Message[] | null
  let output: Message[] | null
  if (kind === 'llm') {
    input = normalizeMessages(p.$ai_input, 'user')
    output = normalizeMessages(p.$ai_output_choices ?? p.$ai_output, 'assistant')
  } else if (kind === 'embedding') {
    input = normalizeMessages(p.$ai_input, 'user')
    output = null
  } else {
    input = stateMessages(p.$ai_input_state ?? p.$ai_input, 'input')
    output = stateMessages(p.$ai_output_state ?? p.$ai_output, 'output')
  }
  const attributes: Record<string, unknown> = { event: name, uuid }
  for (const [k, v] of Object.entries(p)) if (!CONTENT.has(k)) attributes[k] = v
  const span: SpanIn = {
    trace_id: trace,
    span_id: isTrace ? trace : (str(p.$ai_span_id) ?? uuid),
    parent_id: isTrace ? null : (str(p.$ai_parent_id) ?? (traceId ? trace : null)),
    kind,
    name: str(p.$ai_span_name) ?? str(p.$ai_trace_name) ?? (kind === 'llm' || kind === 'embedding' ? str(p.$ai_model) : null) ?? name,
    model: str(p.$ai_model),
    provider: str(p.$ai_provider),
    input,
    output,
    tools: normalizeTools(p.$ai_tools),
    tool_calls:
      kind === 'tool' ? [{ id: str(p.tool_call_id ?? p.$ai_tool_call_id), name: str(p.$ai_span_name) ?? 'tool', arguments: maybeJson(p.$ai_input_state) }] : toolCallsOf(output),
    input_tokens: num(p.$ai_input_tokens),
    output_tokens: num(p.$ai_output_tokens),
    cost_usd: cost,
    latency_ms: latency,
    // PostHog stamps an event when the call has finished.
    start_ms: time !== null && latency !== null ? Math.round(time - latency) : time,
    end_ms: time,
    error: isError,
    error_message: isError ? (errMsg ?? (status !== null && status >= 400 ? `HTTP ${status}` : null)) : null,
    content: input || output ? 'span' : null,
    session_id: str(p.$session_id),
    conversation_id: str(p.$ai_session_id),
    distinct_id: str(ev.distinct_id) ?? str(p.distinct_id),
    format: 'posthog',
    attributes,
  }
  sink.span(span)
}

/**
 * PostHog's trace object as the LLM analytics UI/API gives it ({id, traceName, createdAt,
 * events:[…]}): its events are ordinary $ai_* events with `createdAt`. Totals are recomputed
 * from the events (the object's own may be 0).
 */
export function readPosthogTraceObject(t: Record<string, unknown>, sink: TraceSink, place: string): void {
  const id = str(t.id) ?? str(t.traceId)
  const events = Array.isArray(t.events) ? t.events : []
  if (!id) return sink.skip(`trace object without an id (${place})`)
  const person = isObj(t.person) ? t.person : {}
  const distinct = str(person.distinct_id) ?? str(t.distinctId)
  let hasRoot = false
  for (const e of events) {
    if (!isObj(e) || typeof e.event !== 'string') {
      sink.skip('trace object event that is not an event')
      continue
    }
    if (e.event === '$ai_trace') hasRoot = true
    readPosthogAiEvent({ distinct_id: distinct, ...e, properties: propsOf(e) }, sink, id)
  }
  if (!hasRoot) {
    // The object itself is the trace: give it its root span so the name and time survive.
    readPosthogAiEvent(
      {
        event: '$ai_trace',
        uuid: `${id}:trace`,
        distinct_id: distinct,
        timestamp: t.createdAt,
        properties: { $ai_trace_id: id, $ai_span_name: str(t.traceName) ?? null, $ai_input_state: t.inputState ?? null, $ai_output_state: t.outputState ?? null },
      },
      sink,
      id,
    )
  }
}
