// OpenAI and every OpenAI-compatible server (Ollama, llama.cpp, LM Studio, vLLM) through the
// official SDK. Requests go through the offline guard's fetch; retries are ours (retry.ts).
import OpenAI from 'openai'
import { z } from 'zod'
import { ModelOutputError, UnsupportedPartError } from './errors'
import type { NetworkGuard } from './guard'
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry'
import { jsonSchemaOf, parseStructured } from './schema'
import type { Message, Provider, StructuredRequest, StructuredResult } from './types'

export const OPENAI_BASE_URL = 'https://api.openai.com/v1'

export interface OpenAIOptions {
  model: string
  baseUrl: string
  /** Not needed by most local servers; the SDK insists on a string. */
  apiKey: string | undefined
  guard: NetworkGuard
  contextTokens: number
  timeoutMs: number
  retry?: Partial<RetryOptions>
  embeddingModel?: string
}

const ChatResponse = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ finish_reason: z.string().nullable().optional(), message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
})
const EmbeddingResponse = z.object({
  model: z.string().optional(),
  data: z.array(z.object({ index: z.number(), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number() }).nullish(),
})

export class OpenAIProvider implements Provider {
  readonly name = 'openai' as const
  readonly model: string
  readonly baseUrl: string
  readonly cloud: boolean
  readonly contextTokens: number
  private readonly client: OpenAI
  private readonly retry: RetryOptions
  private readonly official: boolean

  constructor(private readonly opts: OpenAIOptions) {
    this.model = opts.model
    this.baseUrl = opts.baseUrl
    this.cloud = opts.guard.isCloud(opts.baseUrl)
    this.contextTokens = opts.contextTokens
    this.retry = { ...DEFAULT_RETRY, ...opts.retry }
    this.official = new URL(opts.baseUrl).hostname === 'api.openai.com'
    opts.guard.check(opts.baseUrl)
    this.client = new OpenAI({
      apiKey: opts.apiKey ?? 'no-key',
      baseURL: opts.baseUrl,
      fetch: opts.guard.fetch,
      maxRetries: 0,
      timeout: opts.timeoutMs,
    })
  }

  async structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const body = {
      model: this.model,
      messages: req.messages.map(toOpenAI),
      response_format: { type: 'json_schema' as const, json_schema: { name: req.schemaName, schema: jsonSchemaOf(req.schema), strict: true } },
      // OpenAI's own API wants max_completion_tokens (reasoning models refuse max_tokens); the
      // compatible servers (Ollama, llama.cpp, LM Studio, older vLLM) know max_tokens.
      ...(req.maxOutputTokens ? (this.official ? { max_completion_tokens: req.maxOutputTokens } : { max_tokens: req.maxOutputTokens }) : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    }
    const res = await withRetry(`The request to ${this.model}`, () => this.client.chat.completions.create(body, { signal: req.signal }), { ...this.retry, signal: req.signal })
    const parsed = ChatResponse.safeParse(res)
    if (!parsed.success) throw new ModelOutputError(`${this.model} sent a response without a message.`, JSON.stringify(res).slice(0, 100_000))
    const choice = parsed.data.choices[0]!
    const raw = choice.message.content ?? ''
    if (choice.message.refusal) throw new ModelOutputError(`${this.model} refused: ${choice.message.refusal.slice(0, 200)}`, raw)
    if (choice.finish_reason === 'length') throw new ModelOutputError(`${this.model} ran out of output tokens; its JSON is cut off.`, raw)
    const out = parseStructured(req.schema, raw)
    if (!out.ok) throw new ModelOutputError(`${this.model} answered with ${out.reason}.`, raw)
    return {
      value: out.value,
      raw,
      usage: { input_tokens: parsed.data.usage?.prompt_tokens ?? 0, output_tokens: parsed.data.usage?.completion_tokens ?? 0 },
      model: parsed.data.model ?? this.model,
    }
  }

  async embed(texts: string[], o: { signal?: AbortSignal } = {}) {
    const model = this.opts.embeddingModel ?? this.model
    const res = await withRetry(`Embedding with ${model}`, () => this.client.embeddings.create({ model, input: texts, encoding_format: 'float' }, { signal: o.signal }), { ...this.retry, signal: o.signal })
    const parsed = EmbeddingResponse.safeParse(res)
    if (!parsed.success || parsed.data.data.length !== texts.length) throw new ModelOutputError(`${model} returned ${parsed.success ? parsed.data.data.length : 'no'} embeddings for ${texts.length} texts.`, JSON.stringify(res).slice(0, 10_000))
    const vectors = [...parsed.data.data].sort((a, b) => a.index - b.index).map((d) => d.embedding)
    return { vectors, usage: { input_tokens: parsed.data.usage?.prompt_tokens ?? 0, output_tokens: 0 }, model }
  }
}

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }

function toOpenAI(m: Message): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  const parts: ContentPart[] = m.parts.map((p) => {
    if (p.type === 'text') return { type: 'text', text: p.text }
    if (p.type === 'image') return { type: 'image_url', image_url: { url: `data:${p.mime};base64,${Buffer.from(p.data).toString('base64')}` } }
    // Chat completions take no video; verification sends frames as images to this provider.
    throw new UnsupportedPartError('OpenAI chat completions', 'video')
  })
  if (m.role === 'system') return { role: 'system', content: parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n') }
  if (m.role === 'assistant') return { role: 'assistant', content: parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n') }
  return { role: 'user', content: parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('\n') : parts }
}
