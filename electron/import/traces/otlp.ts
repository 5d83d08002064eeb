// OTLP JSON: ResourceSpans → scopeSpans → spans (GenAI or OpenInference attributes), ResourceLogs
// → scopeLogs → logRecords (GenAI message events), and Phoenix's own span download (flat dotted
// attributes, ISO times, `context.trace_id`). Spans that are neither GenAI nor OpenInference are
// kept as plain spans of their trace (agent frameworks' own steps).
import { isObj, str, toolCallsOf } from './messages'
import { isGenAiContentEvent, messagesFromEvents } from './genai-events'
import { isOpenInference, openInferenceFields } from './openinference'
import { decodeJsonAttributes, genAiFields, type SpanFields } from './otel-genai'
import { anyValue, attributes, field, flatten, idToHex, isErrorStatus, nanos, nanosToMs, spanKind } from './otlp-values'
import type { TraceSink } from './sink'

function list(o: Record<string, unknown>, camel: string): unknown[] {
  const v = field(o, camel)
  return Array.isArray(v) ? v : []
}

export function readResourceSpans(rs: Record<string, unknown>, sink: TraceSink): void {
  const resource = isObj(rs.resource) ? attributes(rs.resource.attributes) : {}
  const scopes = [...list(rs, 'scopeSpans'), ...list(rs, 'instrumentationLibrarySpans')]
  for (const ss of scopes) {
    if (!isObj(ss)) continue
    const scope = isObj(ss.scope) ? ss.scope : isObj(field(ss, 'instrumentationLibrary')) ? (field(ss, 'instrumentationLibrary') as Record<string, unknown>) : {}
    for (const s of list(ss, 'spans')) if (isObj(s)) readOtlpSpan(s, resource, str(scope.name), sink)
  }
}

interface RawEvent {
  name: string
  time_ns: string | null
  attrs: Record<string, unknown>
}

function emit(
  sink: TraceSink,
  ids: { trace: string; span: string; parent: string | null },
  name: string,
  a: Record<string, unknown>,
  events: RawEvent[],
  times: { start: number | null; end: number | null; latency: number | null },
  status: { error: boolean; message: string | null },
  extra: Record<string, unknown>,
): void {
  const oi = Object.keys(a).length > 0 && isOpenInference(a)
  const f: SpanFields = oi ? openInferenceFields(name, a) : genAiFields(name, a)
  // Older instrumentations put the messages on span events instead of attributes.
  if (!f.input && !f.output) {
    const content = events.filter((e) => isGenAiContentEvent(e.name)).map((e) => ({ event: e.name, body: e.attrs.body ?? e.attrs }))
    if (content.length) {
      const m = messagesFromEvents(content)
      f.input = m.input
      f.output = m.output
      f.tool_calls ??= toolCallsOf(m.output)
    }
  }
  const exc = events.find((e) => e.name === 'exception')
  const errMsg = status.message ?? (exc ? (str(exc.attrs['exception.message']) ?? str(exc.attrs['exception.type'])) : null) ?? str(a['error.type'])
  const error = status.error || (exc !== undefined && f.kind !== 'span')
  sink.span({
    trace_id: ids.trace,
    span_id: ids.span,
    parent_id: ids.parent,
    kind: f.kind,
    name: f.name,
    model: f.model,
    provider: f.provider,
    input: f.input,
    output: f.output,
    tools: f.tools,
    tool_calls: f.tool_calls,
    input_tokens: f.input_tokens,
    output_tokens: f.output_tokens,
    cost_usd: f.cost_usd,
    latency_ms: times.latency ?? (times.start !== null && times.end !== null ? times.end - times.start : null),
    start_ms: times.start,
    end_ms: times.end,
    error,
    error_message: error ? errMsg : null,
    content: f.input || f.output ? 'span' : null,
    session_id: f.session_id,
    conversation_id: f.conversation_id,
    distinct_id: f.distinct_id,
    format: oi ? 'openinference' : 'otel-genai',
    attributes: { ...extra, ...decodeJsonAttributes(a), ...(events.length ? { 'otel.events': events.map((e) => ({ name: e.name, time_ns: e.time_ns, attributes: e.attrs })) } : {}) },
  })
}

function readOtlpSpan(s: Record<string, unknown>, resource: Record<string, unknown>, scope: string | null, sink: TraceSink): void {
  const trace = idToHex(field(s, 'traceId'))
  const span = idToHex(field(s, 'spanId'))
  if (!trace || !span) return sink.skip('span without traceId or spanId')
  const a = attributes(s.attributes)
  const events: RawEvent[] = list(s, 'events')
    .filter(isObj)
    .map((e) => ({ name: str(e.name) ?? '', time_ns: nanos(field(e, 'timeUnixNano')), attrs: attributes(e.attributes) }))
  const startNs = nanos(field(s, 'startTimeUnixNano') ?? s.startTime)
  const endNs = nanos(field(s, 'endTimeUnixNano') ?? s.endTime)
  const status = isObj(s.status) ? s.status : {}
  const extra: Record<string, unknown> = { 'otel.kind': spanKind(s.kind), 'otel.scope': scope, ...(Object.keys(resource).length ? { 'otel.resource': resource } : {}) }
  const durationMs = startNs !== null && endNs !== null ? Number(BigInt(endNs) - BigInt(startNs)) / 1e6 : null
  emit(
    sink,
    { trace, span, parent: idToHex(field(s, 'parentSpanId')) },
    str(s.name) ?? '',
    a,
    events,
    { start: nanosToMs(startNs), end: nanosToMs(endNs), latency: durationMs },
    { error: isErrorStatus(status), message: str(status.message) || null },
    extra,
  )
}

export function readResourceLogs(rl: Record<string, unknown>, sink: TraceSink): void {
  for (const sl of list(rl, 'scopeLogs')) {
    if (!isObj(sl)) continue
    for (const r of list(sl, 'logRecords')) {
      if (!isObj(r)) continue
      const a = attributes(r.attributes)
      const event = str(a['event.name']) ?? str(field(r, 'eventName')) ?? ''
      if (!isGenAiContentEvent(event)) {
        sink.skip('log record that is not GenAI message content')
        continue
      }
      const trace = idToHex(field(r, 'traceId'))
      const span = idToHex(field(r, 'spanId'))
      if (!trace || !span) {
        sink.skip('GenAI log record without traceId or spanId')
        continue
      }
      const body = anyValue(r.body)
      const time = nanos(field(r, 'timeUnixNano')) ?? nanos(field(r, 'observedTimeUnixNano')) ?? '0'
      // The newest convention carries the messages as attributes of one event.
      sink.log({ trace_id: trace, span_id: span, time_ns: time, event, body: event === 'gen_ai.client.inference.operation.details' ? { ...a, ...(isObj(body) ? body : {}) } : body })
    }
  }
}

/**
 * One span of Phoenix's REST span list: `{name, context:{trace_id, span_id}, parent_id,
 * span_kind, start_time, end_time, status_code, status_message, attributes, events}`.
 */
export function readPhoenixSpan(s: Record<string, unknown>, sink: TraceSink): void {
  const ctx = isObj(s.context) ? s.context : s
  const trace = idToHex(ctx.trace_id ?? ctx.traceId)
  const span = idToHex(ctx.span_id ?? ctx.spanId ?? s.id)
  if (!trace || !span) return sink.skip('span without trace_id or span_id')
  const a = flatten(isObj(s.attributes) ? s.attributes : {})
  if (a['openinference.span.kind'] === undefined && typeof s.span_kind === 'string') a['openinference.span.kind'] = s.span_kind
  const events: RawEvent[] = (Array.isArray(s.events) ? s.events : []).filter(isObj).map((e) => ({
    name: str(e.name) ?? '',
    time_ns: nanos(e.timestamp),
    attrs: isObj(e.attributes) ? flatten(e.attributes) : {},
  }))
  const start = nanosToMs(nanos(s.start_time ?? s.startTime))
  const end = nanosToMs(nanos(s.end_time ?? s.endTime))
  const code = str(s.status_code) ?? ''
  emit(
    sink,
    { trace, span, parent: idToHex(s.parent_id ?? s.parentId) },
    str(s.name) ?? '',
    a,
    events,
    { start, end, latency: null },
    { error: /ERROR/i.test(code), message: str(s.status_message) || null },
    { 'phoenix.span_kind': s.span_kind ?? null },
  )
}

export const isPhoenixSpan = (v: unknown) => isObj(v) && isObj(v.context) && ('span_id' in v.context || 'trace_id' in v.context)
export const isResourceSpans = (v: unknown) => isObj(v) && (Array.isArray(field(v, 'scopeSpans')) || Array.isArray(field(v, 'instrumentationLibrarySpans')))
export const isResourceLogs = (v: unknown) => isObj(v) && Array.isArray(field(v, 'scopeLogs'))
