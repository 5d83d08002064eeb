// OpenAI and every OpenAI-compatible server (Ollama, llama.cpp, LM Studio, vLLM) through the
// official SDK. Requests go through the offline guard's fetch (every redirect hop checked), are
// read whole within one deadline per attempt, and retried by us (retry.ts). Which fields a request
// carries depends on the model family (request-rules.ts).
import OpenAI from 'openai'
import { z } from 'zod'
import type { NetworkGuard } from '../net'
import { ModelOutputError, ReasoningBudgetError, UnsupportedPartError } from './errors'
import { UserError } from '../errors'
import { OPENAI_EMBED_LIMITS, planEmbedBatches } from './embed-batches'
import { DEFAULT_EMBEDDING_MODEL } from './prices'
import { isOpenAIReasoning, openaiOutputParams } from './request-rules'
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry'
import { wholeBodyFetch } from './whole-body'
import { jsonSchemaOf, parseStructured } from './schema'
import type { ChatMessage, Message, Provider, StructuredRequest, StructuredResult, ToolsRequest, ToolsTurn } from './types'

export const OPENAI_BASE_URL = 'https://api.openai.com/v1'

export interface OpenAIOptions {
  model: string
  baseUrl: string
  /** Not needed by most local servers; the SDK insists on a string. */
  apiKey: string | undefined
  guard: NetworkGuard
  contextTokens: number
  retry?: Partial<RetryOptions>
  embeddingModel?: string
  /** Output dimensions (text-embedding-3-* take `dimensions`). */
  embeddingDimensions?: number
}

const ChatResponse = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ finish_reason: z.string().nullable().optional(), message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }) })).min(1),
  usage: z
    .object({ prompt_tokens: z.number(), completion_tokens: z.number(), completion_tokens_details: z.object({ reasoning_tokens: z.number().nullish() }).nullish() })
    .nullish(),
})
const ToolsResponse = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullable().optional(),
        message: z.object({
          content: z.string().nullable().optional(),
          tool_calls: z.array(z.object({ id: z.string(), function: z.object({ name: z.string(), arguments: z.string() }) })).nullish(),
        }),
      }),
    )
    .min(1),
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
      fetch: wholeBodyFetch(opts.guard.fetch),
      maxRetries: 0,
      // Ours (retry.ts) covers headers and body; the SDK's stops at the headers.
      timeout: this.retry.deadlineMs + 1000,
    })
  }

  async structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const output = openaiOutputParams(this.model, this.official, req.maxOutputTokens, req.temperature)
    const body = {
      model: this.model,
      messages: req.messages.map(toOpenAI),
      response_format: { type: 'json_schema' as const, json_schema: { name: req.schemaName, schema: jsonSchemaOf(req.schema), strict: true } },
      ...output,
    }
    const res = await withRetry(`The request to ${this.model}`, (signal) => this.client.chat.completions.create(body, { signal }), { ...this.retry, signal: req.signal })
    const parsed = ChatResponse.safeParse(res)
    if (!parsed.success) throw new ModelOutputError(`${this.model} sent a response without a message.`, JSON.stringify(res).slice(0, 100_000))
    const choice = parsed.data.choices[0]!
    const raw = choice.message.content ?? ''
    if (choice.message.refusal) throw new ModelOutputError(`${this.model} refused: ${choice.message.refusal.slice(0, 200)}`, raw)
    const usage = parsed.data.usage
    const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens ?? null
    if (choice.finish_reason === 'length' && !raw.trim() && (reasoningTokens || isOpenAIReasoning(this.model)))
      throw new ReasoningBudgetError(this.model, Number(output.max_completion_tokens ?? output.max_tokens ?? usage?.completion_tokens ?? 0), reasoningTokens)
    if (choice.finish_reason === 'length') throw new ModelOutputError(`${this.model} ran out of output tokens; its JSON is cut off.`, raw)
    const out = parseStructured(req.schema, raw)
    if (!out.ok) throw new ModelOutputError(`${this.model} answered with ${out.reason}.`, raw)
    return {
      value: out.value,
      raw,
      usage: { input_tokens: usage?.prompt_tokens ?? 0, output_tokens: usage?.completion_tokens ?? 0 },
      model: parsed.data.model ?? this.model,
    }
  }

  /** One turn with function tools (chat completions `tools`); the model's tool calls come back for the caller to run. */
  async toolsTurn(req: ToolsRequest): Promise<ToolsTurn> {
    const body = {
      model: this.model,
      messages: req.messages.map(toOpenAIChat),
      tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })),
      ...openaiOutputParams(this.model, this.official, req.maxOutputTokens, undefined),
    }
    const res = await withRetry(`The request to ${this.model}`, (signal) => this.client.chat.completions.create(body, { signal }), { ...this.retry, signal: req.signal })
    const parsed = ToolsResponse.safeParse(res)
    if (!parsed.success) throw new ModelOutputError(`${this.model} sent a response without a message.`, JSON.stringify(res).slice(0, 100_000))
    const m = parsed.data.choices[0]!.message
    return {
      content: m.content ?? null,
      toolCalls: (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
      usage: { input_tokens: parsed.data.usage?.prompt_tokens ?? 0, output_tokens: parsed.data.usage?.completion_tokens ?? 0 },
      model: parsed.data.model ?? this.model,
    }
  }

  /** Batched within the API's limits (embed-batches.ts), one request after another; vectors in the order of `texts`. */
  async embed(texts: string[], o: { signal?: AbortSignal } = {}) {
    const model = embeddingModelOf(this.opts, this.official)
    const plan = planEmbedBatches(texts, OPENAI_EMBED_LIMITS)
    const vectors: number[][] = new Array(texts.length)
    let tokens = 0
    for (const batch of plan.batches) {
      const input = batch.map((i) => plan.texts[i]!)
      const body = { model, input, encoding_format: 'float' as const, ...(this.opts.embeddingDimensions ? { dimensions: this.opts.embeddingDimensions } : {}) }
      const res = await withRetry(`Embedding with ${model}`, (signal) => this.client.embeddings.create(body, { signal }), { ...this.retry, signal: o.signal })
      const parsed = EmbeddingResponse.safeParse(res)
      if (!parsed.success || parsed.data.data.length !== input.length)
        throw new ModelOutputError(`${model} returned ${parsed.success ? parsed.data.data.length : 'no'} embeddings for ${input.length} texts.`, JSON.stringify(res).slice(0, 10_000))
      for (const d of parsed.data.data) {
        if (d.index < 0 || d.index >= batch.length) throw new ModelOutputError(`${model} returned an embedding for input ${d.index} of ${batch.length}.`, JSON.stringify(res).slice(0, 10_000))
        vectors[batch[d.index]!] = d.embedding
      }
      tokens += parsed.data.usage?.prompt_tokens ?? 0
    }
    return { vectors, usage: { input_tokens: tokens, output_tokens: 0 }, model, cut: plan.cut }
  }
}

/** The embedding model: never the chat model (the services refuse it); OpenAI's default only on OpenAI's own API. */
function embeddingModelOf(o: OpenAIOptions, official: boolean): string {
  if (o.embeddingModel) return o.embeddingModel
  if (official) return DEFAULT_EMBEDDING_MODEL.openai
  throw new UserError(`No embedding model is set for ${o.baseUrl}.`, 'user_error', [
    'Set one in Settings (Embedding model) or pass --model, e.g. nomic-embed-text for Ollama',
  ])
}

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'low' | 'high' | 'auto' } }

function toOpenAI(m: Message): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  const parts: ContentPart[] = m.parts.map((p) => {
    if (p.type === 'text') return { type: 'text', text: p.text }
    // detail low: one 512-px tile, billed as the base alone (prices.ts); absent = the API's auto.
    if (p.type === 'image') return { type: 'image_url', image_url: { url: `data:${p.mime};base64,${Buffer.from(p.data).toString('base64')}`, ...(p.detail ? { detail: p.detail } : {}) } }
    // Chat completions take no video; verification sends frames as images to this provider.
    throw new UnsupportedPartError('OpenAI chat completions', 'video')
  })
  if (m.role === 'system') return { role: 'system', content: parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n') }
  if (m.role === 'assistant') return { role: 'assistant', content: parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n') }
  return { role: 'user', content: parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('\n') : parts }
}

function toOpenAIChat(m: ChatMessage): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.tool_call_id, content: m.content }
  if (m.role === 'assistant')
    return {
      role: 'assistant',
      content: m.content,
      ...(m.tool_calls?.length ? { tool_calls: m.tool_calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {}),
    }
  return { role: m.role, content: m.content }
}
