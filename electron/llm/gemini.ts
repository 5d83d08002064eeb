// Gemini through the official @google/genai SDK. The SDK calls the global fetch and accepts no
// other (nor a dispatcher or a redirect option), so every call runs under routeGlobalFetch: its
// fetches go through the offline guard's fetch (every redirect hop checked) and are read whole
// within one deadline per attempt. Retries are ours (retry.ts); the SDK's are off by default.
// Thinking is bounded and given room in the output cap (request-rules.ts).
import { GoogleGenAI, type Content, type Part as GPart } from '@google/genai'
import { z } from 'zod'
import { type NetworkGuard, routeGlobalFetch } from '../net'
import { ModelOutputError, ReasoningBudgetError } from './errors'
import { GEMINI_EMBED_LIMITS, planEmbedBatches } from './embed-batches'
import { DEFAULT_FILES, GeminiMedia, type GeminiFilesOptions } from './gemini-media'
import { DEFAULT_EMBEDDING_MODEL } from './prices'
import { geminiThinking } from './request-rules'
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry'
import { wholeBodyFetch } from './whole-body'
import { jsonSchemaOf, parseStructured } from './schema'
import { textOf, type ChatMessage, type Provider, type StructuredRequest, type StructuredResult, type ToolsRequest, type ToolsTurn } from './types'

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com'

export interface GeminiOptions {
  model: string
  baseUrl: string
  apiKey: string
  guard: NetworkGuard
  contextTokens: number
  retry?: Partial<RetryOptions>
  embeddingModel?: string
  /** outputDimensionality (gemini-embedding-001: 128–3072). */
  embeddingDimensions?: number
  /** Polling of uploaded media (gemini-media.ts). */
  files?: Partial<GeminiFilesOptions>
}

const GenResponse = z.object({
  candidates: z.array(z.object({ finishReason: z.string().optional(), content: z.object({ parts: z.array(z.object({ text: z.string().optional() })).optional() }).optional() })).optional(),
  usageMetadata: z.object({ promptTokenCount: z.number().optional(), candidatesTokenCount: z.number().optional(), thoughtsTokenCount: z.number().optional() }).optional(),
  modelVersion: z.string().optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
})
const ToolsResponse = z.object({
  candidates: z
    .array(z.object({ content: z.object({ parts: z.array(z.object({ text: z.string().optional(), thought: z.boolean().optional(), functionCall: z.object({ id: z.string().optional(), name: z.string(), args: z.record(z.string(), z.unknown()).optional() }).optional() })).optional() }).optional() }))
    .optional(),
  usageMetadata: z.object({ promptTokenCount: z.number().optional(), candidatesTokenCount: z.number().optional() }).optional(),
  modelVersion: z.string().optional(),
})
const EmbedResponse = z.object({ embeddings: z.array(z.object({ values: z.array(z.number()) })) })

export class GeminiProvider implements Provider {
  readonly name = 'gemini' as const
  readonly model: string
  readonly baseUrl: string
  readonly cloud: boolean
  readonly contextTokens: number
  private readonly client: GoogleGenAI
  private readonly retry: RetryOptions
  private readonly fetch: typeof fetch
  private readonly media: GeminiMedia

  constructor(private readonly opts: GeminiOptions) {
    this.model = opts.model
    this.baseUrl = opts.baseUrl
    this.cloud = opts.guard.isCloud(opts.baseUrl)
    this.contextTokens = opts.contextTokens
    this.retry = { ...DEFAULT_RETRY, ...opts.retry }
    opts.guard.check(opts.baseUrl)
    this.fetch = wholeBodyFetch(opts.guard.fetch)
    // timeout: also sent as X-Server-Timeout so that Google stops working on an abandoned request.
    this.client = new GoogleGenAI({ apiKey: opts.apiKey, httpOptions: { baseUrl: opts.baseUrl, timeout: this.retry.deadlineMs } })
    this.media = new GeminiMedia(this.client, this.fetch, opts.guard, this.retry, { ...DEFAULT_FILES, ...opts.files })
  }

  async structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const system = req.messages.filter((m) => m.role === 'system').map(textOf).join('\n\n')
    const thinking = geminiThinking(this.model)
    const cap = req.maxOutputTokens ? req.maxOutputTokens + thinking.room : undefined
    const config = {
      ...(system ? { systemInstruction: system } : {}),
      responseMimeType: 'application/json',
      responseJsonSchema: jsonSchemaOf(req.schema),
      ...(cap ? { maxOutputTokens: cap } : {}),
      ...(thinking.thinkingConfig ? { thinkingConfig: thinking.thinkingConfig } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    }
    // Media inline while the whole request fits Gemini's limit, else uploaded (and deleted after).
    const res = await this.media.run(req.messages, { systemInstruction: system, generationConfig: config }, req.signal, (contents) => {
      const call = (signal: AbortSignal) => routeGlobalFetch(this.fetch, () => this.client.models.generateContent({ model: this.model, contents, config: { ...config, abortSignal: signal } }))
      return withRetry(`The request to ${this.model}`, call, { ...this.retry, signal: req.signal })
    })
    const parsed = GenResponse.safeParse(res)
    if (!parsed.success) throw new ModelOutputError(`${this.model} sent an unexpected response.`, JSON.stringify(res).slice(0, 100_000))
    const cand = parsed.data.candidates?.[0]
    const raw = (cand?.content?.parts ?? []).map((p) => p.text ?? '').join('')
    if (!cand) throw new ModelOutputError(`${this.model} gave no answer${parsed.data.promptFeedback?.blockReason ? ` (blocked: ${parsed.data.promptFeedback.blockReason})` : ''}.`, raw)
    const thoughts = parsed.data.usageMetadata?.thoughtsTokenCount ?? null
    if (cand.finishReason === 'MAX_TOKENS' && !raw.trim() && (thoughts || thinking.thinkingConfig)) throw new ReasoningBudgetError(this.model, cap ?? 0, thoughts)
    if (cand.finishReason === 'MAX_TOKENS') throw new ModelOutputError(`${this.model} ran out of output tokens; its JSON is cut off.`, raw)
    const out = parseStructured(req.schema, raw)
    if (!out.ok) throw new ModelOutputError(`${this.model} answered with ${out.reason}.`, raw)
    const u = parsed.data.usageMetadata
    return { value: out.value, raw, usage: { input_tokens: u?.promptTokenCount ?? 0, output_tokens: u?.candidatesTokenCount ?? 0 }, model: parsed.data.modelVersion ?? this.model }
  }

  /** One turn with function declarations; functionCall parts come back as tool calls, results go back as functionResponse parts. */
  async toolsTurn(req: ToolsRequest): Promise<ToolsTurn> {
    const system = req.messages.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n\n')
    const thinking = geminiThinking(this.model)
    const cap = req.maxOutputTokens ? req.maxOutputTokens + thinking.room : undefined
    const call = (signal: AbortSignal) =>
      routeGlobalFetch(this.fetch, () =>
        this.client.models.generateContent({
          model: this.model,
          contents: toGeminiChat(req.messages),
          config: {
            ...(system ? { systemInstruction: system } : {}),
            tools: [{ functionDeclarations: req.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })) }],
            ...(cap ? { maxOutputTokens: cap } : {}),
            ...(thinking.thinkingConfig ? { thinkingConfig: thinking.thinkingConfig } : {}),
            abortSignal: signal,
          },
        }),
      )
    const res = await withRetry(`The request to ${this.model}`, call, { ...this.retry, signal: req.signal })
    const parsed = ToolsResponse.safeParse(res)
    if (!parsed.success) throw new ModelOutputError(`${this.model} sent an unexpected response.`, JSON.stringify(res).slice(0, 100_000))
    const parts = parsed.data.candidates?.[0]?.content?.parts ?? []
    const text = parts.filter((p) => p.text && !p.thought).map((p) => p.text).join('')
    const u = parsed.data.usageMetadata
    return {
      content: text || null,
      toolCalls: parts.flatMap((p, i) => (p.functionCall ? [{ id: p.functionCall.id ?? `call_${i}`, name: p.functionCall.name, arguments: JSON.stringify(p.functionCall.args ?? {}) }] : [])),
      usage: { input_tokens: u?.promptTokenCount ?? 0, output_tokens: u?.candidatesTokenCount ?? 0 },
      model: parsed.data.modelVersion ?? this.model,
    }
  }

  /**
   * batchEmbedContents in calls of at most 100 texts, each text its own content (a list of plain
   * strings is one content of many parts to the SDK for gemini-embedding-2: one vector for all).
   * The API reports no token counts for embeddings: usage is our estimate (o200k).
   */
  async embed(texts: string[], o: { signal?: AbortSignal } = {}) {
    const model = this.opts.embeddingModel ?? DEFAULT_EMBEDDING_MODEL.gemini
    const plan = planEmbedBatches(texts, GEMINI_EMBED_LIMITS)
    const vectors: number[][] = new Array(texts.length)
    for (const batch of plan.batches) {
      const contents: Content[] = batch.map((i) => ({ role: 'user', parts: [{ text: plan.texts[i]! }] }))
      const dims = this.opts.embeddingDimensions ? { outputDimensionality: this.opts.embeddingDimensions } : {}
      const call = (signal: AbortSignal) => routeGlobalFetch(this.fetch, () => this.client.models.embedContent({ model, contents, config: { ...dims, abortSignal: signal } }))
      const res = await withRetry(`Embedding with ${model}`, call, { ...this.retry, signal: o.signal })
      const parsed = EmbedResponse.safeParse(res)
      if (!parsed.success || parsed.data.embeddings.length !== batch.length)
        throw new ModelOutputError(`${model} returned ${parsed.success ? parsed.data.embeddings.length : 'no'} embeddings for ${batch.length} texts.`, JSON.stringify(res).slice(0, 10_000))
      parsed.data.embeddings.forEach((e, k) => (vectors[batch[k]!] = e.values))
    }
    const tokens = plan.tokens.reduce((a, b) => a + b, 0)
    return { vectors, usage: { input_tokens: tokens, output_tokens: 0, estimated: true }, model, cut: plan.cut }
  }
}

/** Chat messages as Gemini contents: tool results of one turn go back together as functionResponse parts. */
function toGeminiChat(messages: ChatMessage[]): Content[] {
  const out: Content[] = []
  for (const m of messages) {
    if (m.role === 'system') continue
    if (m.role === 'user') out.push({ role: 'user', parts: [{ text: m.content }] })
    else if (m.role === 'assistant') {
      const parts: GPart[] = m.content ? [{ text: m.content }] : []
      for (const c of m.tool_calls ?? []) parts.push({ functionCall: { id: c.id, name: c.name, args: JSON.parse(c.arguments || '{}') as Record<string, unknown> } })
      out.push({ role: 'model', parts })
    } else if (m.role === 'tool') {
      let response: Record<string, unknown>
      try {
        const v = JSON.parse(m.content) as unknown
        response = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { result: v }
      } catch {
        response = { result: m.content }
      }
      const part: GPart = { functionResponse: { id: m.tool_call_id, name: m.name, response } }
      const last = out.at(-1)
      if (last?.role === 'user' && last.parts?.every((p) => p.functionResponse)) last.parts.push(part)
      else out.push({ role: 'user', parts: [part] })
    }
  }
  return out
}
