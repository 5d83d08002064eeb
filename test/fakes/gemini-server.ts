// A fake Gemini API (generateContent with a JSON schema, batchEmbedContents) for the real
// @google/genai SDK. `answer` decides the model's JSON; faults come from FakeHttpServer. Thinking
// as the real models do it (ai.google.dev/gemini-api/docs/thinking): 2.5 Pro and Flash think by
// default, Flash-Lite only when given a budget; thoughts are spent out of maxOutputTokens before
// the answer. Budgets outside a model's range, a thinkingLevel on 2.5, and any thinkingConfig on
// a model before 2.5 are refused with 400 INVALID_ARGUMENT.
import { FakeHttpServer, type Recorded } from './http'

export interface FakeGemini {
  server: FakeHttpServer
  baseUrl: string
  answer: (req: Recorded) => unknown
  /** Tokens a thinking model thinks when left to decide (dynamic thinking, or a budget above this). */
  thinking: number
  /** Tokens thought beyond a set budget (a budget is a target: the real models may overrun it). */
  overBudget: number
  generateRequests(): Recorded[]
  close(): Promise<void>
}

interface ThinkingConfig {
  thinkingBudget?: number
  thinkingLevel?: string
}

const invalid = (message: string) => ({ status: 400, body: { error: { code: 400, message, status: 'INVALID_ARGUMENT' } } })

/** [min, max] budget, whether 0 (off) is allowed, whether the model thinks by default. */
function thinkingRange(model: string): { min: number; max: number; canOff: boolean; byDefault: boolean } | null {
  if (/^gemini-2\.5-pro/.test(model)) return { min: 128, max: 32768, canOff: false, byDefault: true }
  if (/^gemini-2\.5-flash-lite/.test(model)) return { min: 512, max: 24576, canOff: true, byDefault: false }
  if (/^gemini-2\.5-flash/.test(model)) return { min: 1, max: 24576, canOff: true, byDefault: true }
  return null
}

/** Thought tokens for this request, or the 400 Gemini answers. */
function thoughtsFor(model: string, t: ThinkingConfig | undefined, dynamic: number, over: number): number | { status: number; body: unknown } {
  if (/^gemini-(?:[3-9]|\d{2,})/.test(model)) return t?.thinkingLevel === 'LOW' || t?.thinkingLevel === 'MINIMAL' ? Math.min(dynamic, 400) : dynamic
  const range = thinkingRange(model)
  if (!range) return t ? invalid(`Thinking is not supported by ${model}: remove thinking_config.`) : 0
  if (t?.thinkingLevel !== undefined) return invalid(`thinking_level is not supported by ${model}; use thinking_budget.`)
  const b = t?.thinkingBudget
  if (b === undefined || b === -1) return range.byDefault || b === -1 ? dynamic : 0
  if (b === 0) return range.canOff ? 0 : invalid('Budget 0 is invalid. This model only works in thinking mode.')
  if (b < range.min || b > range.max) return invalid(`The thinking budget ${b} is invalid. Please choose a value between ${range.min} and ${range.max}.`)
  return Math.min(b, dynamic) + over
}

export async function startFakeGemini(answer: (req: Recorded) => unknown = () => ({})): Promise<FakeGemini> {
  const fake: Partial<FakeGemini> = { answer, thinking: 3000, overBudget: 0 }
  const server = await new FakeHttpServer((req, modelText, finish) => {
    const gen = /^\/v1beta\/models\/([^/:]+):generateContent/.exec(req.path)
    if (req.method === 'POST' && gen) {
      const config = (req.body as { generationConfig?: { maxOutputTokens?: number; thinkingConfig?: ThinkingConfig } }).generationConfig ?? {}
      const thoughts = thoughtsFor(gen[1]!, config.thinkingConfig, fake.thinking!, fake.overBudget!)
      if (typeof thoughts !== 'number') return thoughts
      // With `tools`, `answer` may return { tool_calls: [{ name, arguments }] } (functionCall parts) or { content }.
      const answered = modelText === null ? fake.answer!(req) : undefined
      if ((req.body as { tools?: unknown[] }).tools && answered && typeof answered === 'object' && ('tool_calls' in answered || 'content' in answered)) {
        const a = answered as { tool_calls?: { name: string; arguments: unknown }[]; content?: string }
        const parts = [...(a.content ? [{ text: a.content }] : []), ...(a.tool_calls ?? []).map((c) => ({ functionCall: { name: c.name, args: typeof c.arguments === 'string' ? JSON.parse(c.arguments) : (c.arguments ?? {}) } }))]
        return {
          body: {
            candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
            usageMetadata: { promptTokenCount: Math.ceil(req.text.length / 4), candidatesTokenCount: Math.ceil(JSON.stringify(parts).length / 4), totalTokenCount: 0 },
            modelVersion: gen[1],
          },
        }
      }
      let text = modelText ?? JSON.stringify(answered)
      let finishReason = finish === 'length' ? 'MAX_TOKENS' : 'STOP'
      const cap = config.maxOutputTokens
      if (cap !== undefined && thoughts + Math.ceil(text.length / 4) > cap) {
        text = text.slice(0, Math.max(0, cap - thoughts) * 4)
        finishReason = 'MAX_TOKENS'
      }
      return {
        body: {
          candidates: [{ content: { role: 'model', parts: text ? [{ text }] : [] }, finishReason, index: 0 }],
          usageMetadata: {
            promptTokenCount: Math.ceil(req.text.length / 4),
            candidatesTokenCount: Math.ceil(text.length / 4),
            ...(thoughts ? { thoughtsTokenCount: cap !== undefined ? Math.min(thoughts, cap) : thoughts } : {}),
            totalTokenCount: 0,
          },
          modelVersion: gen[1],
        },
      }
    }
    if (req.method === 'POST' && /^\/v1beta\/models\/[^/:]+:batchEmbedContents/.test(req.path)) {
      // At most 100 requests per batch (ai.google.dev/api/embeddings); one vector per content,
      // however many parts it has (the parts of one content are embedded together).
      const b = req.body as { requests: { content: { parts: { text: string }[] }; outputDimensionality?: number }[] }
      if (b.requests.length > 100) return invalid(`* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch, got ${b.requests.length}`)
      if (b.requests.some((r) => !r.content.parts.map((p) => p.text).join(''))) return invalid('* BatchEmbedContentsRequest.requests[].content.parts: contents are not specified')
      return {
        body: {
          embeddings: b.requests.map((r, i) => {
            const text = r.content.parts.map((p) => p.text).join(' ')
            return { values: Array.from({ length: r.outputDimensionality ?? 3 }, (_, k) => (k === 0 ? text.length : k === 1 ? i : 2)) }
          }),
        },
      }
    }
    return null
  }).start()
  return Object.assign(fake, {
    server,
    baseUrl: server.url,
    generateRequests: () => server.requests.filter((r) => r.path.includes(':generateContent')),
    close: () => server.close(),
  }) as FakeGemini
}
