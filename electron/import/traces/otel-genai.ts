// OpenTelemetry GenAI semantic conventions (old and new attribute names), plus OpenLLMetry's
// indexed gen_ai.prompt.N / gen_ai.completion.N attributes, on one OTLP span.
import type { Message, Span, SpanKind } from '../../../shared/trace-model'
import { maybeJson, normalizeMessage, normalizeMessages, normalizeTools, str, toolCallsOf } from './messages'
import { indexed } from './otlp-values'
import { num } from './posthog'

/** What the GenAI attributes say of a span: the model-call fields of a Span, and who it belongs to. */
export type SpanFields = Pick<Span, 'kind' | 'name' | 'model' | 'provider' | 'input' | 'output' | 'tools' | 'tool_calls' | 'input_tokens' | 'output_tokens' | 'cost_usd'> & {
  session_id: string | null
  conversation_id: string | null
  distinct_id: string | null
}

const LLM_OPS = new Set(['chat', 'text_completion', 'generate_content', 'completion', 'responses'])
const TRACELOOP_KINDS: Record<string, SpanKind> = { workflow: 'chain', task: 'chain', agent: 'agent', tool: 'tool' }

function indexedMessages(attrs: Record<string, unknown>, prefix: string, role: string): Message[] | null {
  const items = indexed(attrs, prefix)
  if (!items.length) return null
  return items
    .map((m) => normalizeMessage({ ...m, content: maybeJson(m.content) ?? null, tool_calls: Array.isArray(m.tool_calls) ? m.tool_calls : undefined }, role))
    .filter((m): m is Message => m !== null)
}

export function genAiFields(spanName: string, a: Record<string, unknown>): SpanFields {
  const op = str(a['gen_ai.operation.name'])
  const model = str(a['gen_ai.request.model']) ?? str(a['gen_ai.response.model']) ?? str(a['llm.request.model'])
  const kind: SpanKind =
    op === 'embeddings' || op === 'embedding'
      ? 'embedding'
      : op === 'execute_tool'
        ? 'tool'
        : op === 'invoke_agent' || op === 'create_agent'
          ? 'agent'
          : (op && LLM_OPS.has(op)) || (!op && model && (a['gen_ai.system'] !== undefined || a['gen_ai.provider.name'] !== undefined))
            ? 'llm'
            : (TRACELOOP_KINDS[str(a['traceloop.span.kind']) ?? ''] ?? 'span')

  let input: Message[] | null = null
  let output: Message[] | null = null
  let toolCalls: SpanFields['tool_calls'] = null
  if (kind === 'tool') {
    const call = { id: str(a['gen_ai.tool.call.id']), name: str(a['gen_ai.tool.name']) ?? spanName.replace(/^execute_tool /, ''), arguments: maybeJson(a['gen_ai.tool.call.arguments'] ?? null) }
    toolCalls = [call]
    const result = a['gen_ai.tool.call.result']
    if (result !== undefined) output = [{ role: 'tool', tool_call_id: call.id ?? undefined, parts: [{ type: 'text', text: typeof result === 'string' ? result : JSON.stringify(result) }] }]
  } else {
    const sys = normalizeMessages(a['gen_ai.system_instructions'], 'system')?.map((m) => ({ ...m, role: 'system' })) ?? []
    const msgs = normalizeMessages(a['gen_ai.input.messages'], 'user') ?? indexedMessages(a, 'gen_ai.prompt', 'user')
    input = sys.length || msgs ? [...sys, ...(msgs ?? [])] : null
    output = normalizeMessages(a['gen_ai.output.messages'], 'assistant') ?? indexedMessages(a, 'gen_ai.completion', 'assistant')
    toolCalls = toolCallsOf(output)
  }
  const tools = normalizeTools(a['gen_ai.tool.definitions'] ?? null) ?? normalizeTools(indexed(a, 'llm.request.functions'))
  return {
    kind,
    name: spanName || null,
    model,
    provider: str(a['gen_ai.provider.name']) ?? str(a['gen_ai.system']),
    input,
    output,
    tools,
    tool_calls: toolCalls,
    input_tokens: num(a['gen_ai.usage.input_tokens'] ?? a['gen_ai.usage.prompt_tokens'] ?? a['llm.usage.prompt_tokens']),
    output_tokens: num(a['gen_ai.usage.output_tokens'] ?? a['gen_ai.usage.completion_tokens'] ?? a['llm.usage.completion_tokens']),
    cost_usd: num(a['gen_ai.usage.cost'] ?? a['gen_ai.usage.cost_usd']),
    // GenAI has no session of its own: the conversation is what groups a user's traces.
    session_id: str(a['session.id']) ?? str(a['gen_ai.conversation.id']),
    conversation_id: str(a['gen_ai.conversation.id']) ?? str(a['session.id']),
    distinct_id: str(a['enduser.id']) ?? str(a['user.id']),
  }
}

/** Attributes JSON-encoded as strings by some SDKs (finish_reasons, Java): decoded for storage. */
export function decodeJsonAttributes(a: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(a)) out[k] = k === 'gen_ai.response.finish_reasons' ? maybeJson(v) : v
  return out
}

export const isGenAiSpan = (a: Record<string, unknown>) => Object.keys(a).some((k) => k.startsWith('gen_ai.') || k.startsWith('llm.') || k.startsWith('traceloop.'))

