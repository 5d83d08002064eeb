// OpenInference (Arize Phoenix) attributes on one span: flattened llm.input_messages.N.message.*,
// llm.output_messages.N.*, llm.tools.N.tool.json_schema, token counts, tool/chain/agent spans.
// When the flattened messages are missing, the request/response JSON in input.value and
// output.value (OpenAI instrumentation) is the fallback.
import type { Message, MessagePart, SpanKind } from '../../../shared/trace-model'
import { isObj, looksLikeMessages, maybeJson, normalizeMessage, normalizeMessages, normalizeTools, str, toolCallsOf } from './messages'
import type { SpanFields } from './otel-genai'
import { indexed } from './otlp-values'
import { num } from './posthog'

const KINDS: Record<string, SpanKind> = {
  LLM: 'llm',
  EMBEDDING: 'embedding',
  TOOL: 'tool',
  CHAIN: 'chain',
  AGENT: 'agent',
  RETRIEVER: 'retriever',
  RERANKER: 'reranker',
  GUARDRAIL: 'guardrail',
  EVALUATOR: 'evaluator',
}

export const isOpenInference = (a: Record<string, unknown>) => typeof a['openinference.span.kind'] === 'string'

/** `{message: {role, content, contents:[{message_content}], tool_calls:[{tool_call}]}}` → a Message. */
function oiMessage(item: Record<string, unknown>, role: string): Message | null {
  const m = isObj(item.message) ? item.message : item
  const contents: MessagePart[] = []
  for (const c of Array.isArray(m.contents) ? m.contents : []) {
    const mc = isObj(c) && isObj(c.message_content) ? c.message_content : c
    if (!isObj(mc)) continue
    if (mc.type === 'image' || isObj(mc.image)) {
      const img = isObj(mc.image) && isObj(mc.image.image) ? mc.image.image : mc.image
      contents.push({ type: 'media', kind: 'image', ref: isObj(img) ? (str(img.url) ?? null) : null })
    } else if (typeof mc.text === 'string') contents.push({ type: 'text', text: mc.text })
    else if (mc.type) contents.push({ type: 'media', kind: String(mc.type), ref: null })
  }
  const toolCalls = (Array.isArray(m.tool_calls) ? m.tool_calls : []).map((t) => (isObj(t) && isObj(t.tool_call) ? t.tool_call : t))
  const out = normalizeMessage({ role: m.role ?? role, content: m.content ?? null, tool_calls: toolCalls, tool_call_id: m.tool_call_id, name: m.name }, role)
  if (out && contents.length) out.parts = [...contents, ...out.parts]
  return out
}

function messagesAt(a: Record<string, unknown>, prefix: string, role: string): Message[] | null {
  const items = indexed(a, prefix)
  if (!items.length) return null
  return items.map((i) => oiMessage(i, role)).filter((m): m is Message => m !== null)
}

/** input.value / output.value: a request/response JSON, messages, or plain text. */
function valueMessages(v: unknown, mime: unknown, role: string): Message[] | null {
  if (v === undefined || v === null || v === '') return null
  // The mime type may be missing (attributes over the SDK's limit are dropped): JSON-looking text is parsed.
  const parsed = mime === 'text/plain' ? v : maybeJson(v)
  if (isObj(parsed) && (Array.isArray(parsed.messages) || Array.isArray(parsed.choices) || parsed.object === 'response')) return normalizeMessages(parsed, role)
  if (looksLikeMessages(parsed)) return normalizeMessages(parsed, role)
  return [{ role, parts: [typeof parsed === 'string' ? { type: 'text', text: parsed } : { type: 'json', value: parsed }] }]
}

/** The OTel SDKs keep at most 128 attributes per span by default; past that, some were dropped. */
const ATTRIBUTE_LIMIT = 128

/**
 * The flattened messages, unless attributes were dropped and the JSON value holds more of them
 * (and is messages, not text). Parsing the value is the expensive part: only when needed.
 */
function fuller(flat: Message[] | null, capped: boolean, fromValue: () => Message[] | null): Message[] | null {
  if (flat && !capped) return flat
  const value = fromValue()
  if (!flat) return value
  const isMessages = value?.every((m) => m.role !== 'input' && m.parts.every((p) => p.type !== 'json'))
  return value && isMessages && value.length > flat.length ? value : flat
}

export function openInferenceFields(spanName: string, a: Record<string, unknown>): SpanFields {
  const kind = KINDS[String(a['openinference.span.kind']).toUpperCase()] ?? 'span'
  const params = maybeJson(a['llm.invocation_parameters'])
  let parsedInput: unknown
  const inputJson = () => (parsedInput ??= maybeJson(a['input.value']))
  const capped = Object.keys(a).length >= ATTRIBUTE_LIMIT
  let input: Message[] | null = null
  let output: Message[] | null = null
  let toolCalls: SpanFields['tool_calls'] = null
  if (kind === 'llm') {
    // Long histories overflow the SDK's attribute limit (128) and lose flattened messages: the
    // request/response JSON then holds more of them.
    input = fuller(messagesAt(a, 'llm.input_messages', 'user'), capped, () => valueMessages(a['input.value'], a['input.mime_type'], 'user'))
    output = fuller(messagesAt(a, 'llm.output_messages', 'assistant'), capped, () => valueMessages(a['output.value'], a['output.mime_type'], 'assistant'))
    toolCalls = toolCallsOf(output)
  } else if (kind === 'embedding') {
    const texts = indexed(a, 'embedding.embeddings').map((e) => (isObj(e.embedding) ? str(e.embedding.text) : null)).filter((t): t is string => t !== null)
    input = texts.length ? texts.map((t) => ({ role: 'user', parts: [{ type: 'text' as const, text: t }] })) : valueMessages(a['input.value'], a['input.mime_type'], 'user')
  } else if (kind === 'tool') {
    const name = str(a['tool.name']) ?? spanName
    toolCalls = [{ id: str(a['tool_call.id']) ?? str(a['tool.id']), name, arguments: maybeJson(a['tool.parameters'] ?? a['input.value'] ?? null) }]
    const result = a['output.value']
    if (result !== undefined) output = [{ role: 'tool', tool_call_id: toolCalls[0]!.id ?? undefined, name, parts: [{ type: 'text', text: typeof result === 'string' ? result : JSON.stringify(result) }] }]
  } else {
    input = valueMessages(a['input.value'], a['input.mime_type'], 'input')
    output = valueMessages(a['output.value'], a['output.mime_type'], 'output')
  }
  const toolSchemas = indexed(a, 'llm.tools').map((t) => (isObj(t.tool) ? t.tool.json_schema : t.json_schema))
  const tools =
    normalizeTools(toolSchemas.length ? toolSchemas : null) ??
    (kind === 'llm' && isObj(inputJson()) ? normalizeTools((inputJson() as Record<string, unknown>).tools) : null) ??
    (isObj(params) ? normalizeTools(params.tools) : null)
  const total = num(a['llm.cost.total'])
  return {
    kind,
    name: spanName || null,
    // The request's model (what the app asked for), as PostHog and OTel GenAI report it.
    model: (isObj(params) ? str(params.model) : null) ?? (kind === 'llm' && isObj(inputJson()) ? str((inputJson() as Record<string, unknown>).model) : null) ?? str(a['llm.model_name']) ?? str(a['embedding.model_name']),
    provider: str(a['llm.provider']) ?? str(a['llm.system']),
    input,
    output,
    tools,
    tool_calls: toolCalls,
    input_tokens: num(a['llm.token_count.prompt']),
    output_tokens: num(a['llm.token_count.completion']),
    cost_usd: total,
    session_id: str(a['session.id']),
    conversation_id: str(a['session.id']),
    distinct_id: str(a['user.id']),
  }
}
