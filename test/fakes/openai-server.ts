// A fake OpenAI-compatible server (chat completions with structured output, embeddings) for the
// real `openai` SDK. `answer` decides the model's JSON; faults come from FakeHttpServer. It refuses
// what OpenAI refuses (platform.openai.com/docs/guides/reasoning; the SDK's ChatCompletionCreateParams):
// reasoning models (o1, o3, o4-mini, gpt-5 but not gpt-5-chat) take `max_completion_tokens`, not
// `max_tokens`, and no `temperature` but 1; other models take no `reasoning_effort`. Reasoning
// tokens are spent out of `max_completion_tokens` before the answer (`reasoning` per effort).
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base'
import { FakeHttpServer, type Recorded } from './http'

export interface FakeOpenAI {
  server: FakeHttpServer
  /** Base URL to give the SDK (ends in /v1). */
  baseUrl: string
  answer: (req: Recorded) => unknown
  /** Reasoning tokens a reasoning model spends, by reasoning_effort (OpenAI's default is medium). */
  reasoning: Record<'minimal' | 'low' | 'medium' | 'high', number>
  chatRequests(): Recorded[]
  close(): Promise<void>
}

/** By the model's own name (a proxy such as OpenRouter takes `openai/gpt-5`). */
export function isReasoningModel(model: string): boolean {
  const m = model.replace(/^.*\//, '')
  return /^o\d+(?:-|$)/.test(m) || (/^gpt-5/.test(m) && !/-chat/.test(m))
}

const invalid = (message: string, param: string, code: string) => ({ status: 400, body: { error: { message, type: 'invalid_request_error', param, code } } })

interface ChatBody {
  model: string
  max_tokens?: number
  max_completion_tokens?: number
  temperature?: number
  reasoning_effort?: string
}

/** OpenAI's 400 for a request it would refuse, or null. */
function refusal(b: ChatBody): { status: number; body: unknown } | null {
  const reasoning = isReasoningModel(b.model)
  if (reasoning && b.max_tokens !== undefined)
    return invalid("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter')
  if (reasoning && b.temperature !== undefined && b.temperature !== 1)
    return invalid(`Unsupported value: 'temperature' does not support ${b.temperature} with this model. Only the default (1) value is supported.`, 'temperature', 'unsupported_value')
  if (!reasoning && b.reasoning_effort !== undefined) return invalid("Unsupported parameter: 'reasoning_effort' is not supported with this model.", 'reasoning_effort', 'unsupported_parameter')
  if (b.reasoning_effort !== undefined && !['minimal', 'low', 'medium', 'high'].includes(b.reasoning_effort))
    return invalid(`Invalid value: '${b.reasoning_effort}'. Supported values are: 'minimal', 'low', 'medium', and 'high'.`, 'reasoning_effort', 'invalid_value')
  return null
}

let toolCallIds = 0

export async function startFakeOpenAI(answer: (req: Recorded) => unknown = () => ({})): Promise<FakeOpenAI> {
  const fake: Partial<FakeOpenAI> = { answer, reasoning: { minimal: 0, low: 300, medium: 3000, high: 12000 } }
  const server = await new FakeHttpServer((req, modelText, finish) => {
    if (req.method === 'POST' && req.path === '/v1/chat/completions') {
      const b = req.body as ChatBody
      const refused = refusal(b)
      if (refused) return refused
      // With `tools`, `answer` may return { tool_calls: [{ name, arguments }] } (the model calls
      // tools) or { content } (it answers in text).
      const answered = modelText === null ? fake.answer!(req) : undefined
      if ((req.body as { tools?: unknown[] }).tools && answered && typeof answered === 'object' && ('tool_calls' in answered || 'content' in answered)) {
        const a = answered as { tool_calls?: { name: string; arguments: unknown }[]; content?: string }
        const calls = (a.tool_calls ?? []).map((c, i) => ({ id: `call_${++toolCallIds}_${i}`, type: 'function', function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}) } }))
        const text = a.content ?? null
        return {
          body: {
            id: 'chatcmpl-fake',
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: b.model,
            choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, ...(calls.length ? { tool_calls: calls } : {}) }, finish_reason: calls.length ? 'tool_calls' : 'stop', logprobs: null }],
            usage: { prompt_tokens: Math.ceil(req.text.length / 4), completion_tokens: Math.ceil(JSON.stringify(calls).length / 4) + Math.ceil((text ?? '').length / 4), total_tokens: 0 },
          },
        }
      }
      let content = modelText ?? JSON.stringify(answered)
      let completion = Math.ceil(content.length / 4)
      const reasoningTokens = isReasoningModel(b.model) ? fake.reasoning![(b.reasoning_effort ?? 'medium') as 'medium'] : 0
      const cap = b.max_completion_tokens ?? b.max_tokens
      if (cap !== undefined && reasoningTokens + completion > cap) {
        // The cap is reached: reasoning first, then as much of the answer as fits.
        content = content.slice(0, Math.max(0, cap - reasoningTokens) * 4)
        completion = Math.min(cap, reasoningTokens + completion) - reasoningTokens
        finish = 'length'
      }
      return {
        body: {
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: b.model,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finish, logprobs: null }],
          usage: {
            prompt_tokens: Math.ceil(req.text.length / 4),
            completion_tokens: Math.max(0, completion) + Math.min(reasoningTokens, cap ?? Infinity),
            total_tokens: 0,
            completion_tokens_details: { reasoning_tokens: Math.min(reasoningTokens, cap ?? Infinity) },
          },
        },
      }
    }
    if (req.method === 'POST' && req.path === '/v1/embeddings') {
      const b = req.body as { model: string; input: string | string[]; dimensions?: number }
      const input = typeof b.input === 'string' ? [b.input] : b.input
      // OpenAI's limits (platform.openai.com/docs/api-reference/embeddings/create): ≤ 2,048 inputs,
      // no empty strings, ≤ 8,192 tokens per input, ≤ 300,000 tokens per request, counted with
      // cl100k_base, the embedding models' tokenizer (the client estimates with o200k).
      const tokens = input.map((t) => countCl100k(t))
      if (input.length > 2048) return invalid(`'$.input' is invalid: the array must have at most 2048 elements, got ${input.length}.`, 'input', 'invalid_value')
      if (input.some((t) => t === '')) return invalid("'$.input' is invalid. Please check the API reference.", 'input', 'invalid_value')
      const long = tokens.findIndex((n) => n > 8192)
      if (long >= 0) return invalid(`This model's maximum context length is 8192 tokens, however you requested ${tokens[long]} tokens.`, 'input', 'context_length_exceeded')
      const total = tokens.reduce((a, n) => a + n, 0)
      if (total > 300_000) return invalid(`Requested ${total} tokens, max 300000 tokens per request`, 'input', 'max_tokens_per_request')
      if (b.dimensions !== undefined && !/^text-embedding-3/.test(b.model)) return invalid('This model does not support specifying dimensions.', 'dimensions', 'invalid_value')
      if (!/embed/.test(b.model)) return { status: 404, body: { error: { message: `The model \`${b.model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } } }
      const dim = b.dimensions ?? 3
      return {
        body: {
          object: 'list',
          model: b.model,
          data: input.map((t, index) => ({ object: 'embedding', index, embedding: Array.from({ length: dim }, (_, k) => (k === 0 ? t.length : k === 1 ? index : 1)) })),
          usage: { prompt_tokens: total, total_tokens: total },
        },
      }
    }
    return null
  }).start()
  return Object.assign(fake, {
    server,
    baseUrl: `${server.url}/v1`,
    chatRequests: () => server.requests.filter((r) => r.path === '/v1/chat/completions'),
    close: () => server.close(),
  }) as FakeOpenAI
}
