// A fake OpenAI-compatible server (chat completions with structured output, embeddings) for the
// real `openai` SDK. `answer` decides the model's JSON; faults come from FakeHttpServer. It refuses
// what OpenAI refuses (platform.openai.com/docs/guides/reasoning; the SDK's ChatCompletionCreateParams):
// reasoning models (o1, o3, o4-mini, gpt-5 but not gpt-5-chat) take `max_completion_tokens`, not
// `max_tokens`, and no `temperature` but 1; other models take no `reasoning_effort`. Reasoning
// tokens are spent out of `max_completion_tokens` before the answer (`reasoning` per effort).
//
// Images (platform.openai.com/docs/guides/images-vision): image_url parts with a data URL of an
// image (or an http URL, not fetched here) and detail low / high / auto, at most 500 images and
// 50 MB a request, only on vision models; each counted from the image's real size (PNG / JPEG
// headers) by the model's rule: 512-px tiles after fitting (detail low: the base alone), or 32-px
// patches (at most 1,536) times a multiplier.
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base'
import { FakeHttpServer, type Recorded } from './http'
import { imageSize } from './media-info'

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

/** Models that take no image input (their 400 says so). */
const NO_VISION = /^(?:gpt-3\.5|o1-mini|o1-preview|o3-mini|gpt-4(?:-0613|-0314|-32k)?$)/
const MAX_IMAGES = 500
const MAX_PAYLOAD = 50 * 1024 * 1024

type Rule = { tiles: [number, number] } | { patches: number }
/** Image tokens per model family, as OpenAI's "Calculating costs" tables give them. */
function ruleOf(model: string): Rule {
  const m = model.replace(/^.*\//, '')
  const table: [RegExp, Rule][] = [
    [/^gpt-(?:4\.1|5)-mini/, { patches: 1.62 }],
    [/^gpt-(?:4\.1|5)-nano/, { patches: 2.46 }],
    [/^o4-mini/, { patches: 1.72 }],
    [/^gpt-4o-mini/, { tiles: [2833, 5667] }],
    [/^gpt-5/, { tiles: [70, 140] }],
    [/^o[13](?:-|$)/, { tiles: [75, 150] }],
  ]
  return table.find(([re]) => re.test(m))?.[1] ?? { tiles: [85, 170] }
}

/** Tokens of a `w`×`h` image by the model's rule. */
function imageTokens(model: string, w: number, h: number, detail: string): number {
  const rule = ruleOf(model)
  if ('patches' in rule) {
    let [pw, ph] = [Math.ceil(w / 32), Math.ceil(h / 32)]
    if (pw * ph > 1536) {
      const scale = Math.sqrt((1536 * 1024) / (w * h))
      const [sw, sh] = [(w * scale) / 32, (h * scale) / 32]
      const adjust = Math.min(Math.floor(sw) / sw, Math.floor(sh) / sh)
      ;[pw, ph] = [Math.ceil(sw * adjust), Math.ceil(sh * adjust)]
    }
    return Math.ceil(Math.min(1536, pw * ph) * rule.patches)
  }
  const [base, tile] = rule.tiles
  if (detail === 'low') return base
  // Into 2048×2048, then the shortest side to 768 (never up), then 512-px tiles.
  let [fw, fh] = [w, h]
  if (Math.max(fw, fh) > 2048) [fw, fh] = [(fw * 2048) / Math.max(w, h), (fh * 2048) / Math.max(w, h)]
  const short = Math.min(fw, fh)
  if (short > 768) [fw, fh] = [(fw * 768) / short, (fh * 768) / short]
  return base + tile * Math.ceil(fw / 512) * Math.ceil(fh / 512)
}

type ContentPart = { type: string; text?: string; image_url?: { url?: string; detail?: string } }

/** Image tokens of the request, or OpenAI's 400 for an image part it refuses. */
function imagesOf(req: Recorded, b: ChatBody & { messages?: { content?: string | ContentPart[] }[] }): number | { status: number; body: unknown } {
  if (req.raw.length > MAX_PAYLOAD) return { status: 413, body: { error: { message: `Request too large: ${req.raw.length} bytes; the maximum is ${MAX_PAYLOAD} bytes (50 MB).`, type: 'invalid_request_error', param: null, code: 'request_too_large' } } }
  let tokens = 0
  let count = 0
  for (const [mi, m] of (b.messages ?? []).entries()) {
    if (!Array.isArray(m.content)) continue
    for (const [pi, p] of m.content.entries()) {
      if (p.type !== 'image_url') continue
      const at = `messages.[${mi}].content.[${pi}]`
      if (NO_VISION.test(b.model.replace(/^.*\//, ''))) return invalid('Invalid content type. image_url is only supported by certain models.', `${at}.type`, 'invalid_value')
      if (++count > MAX_IMAGES) return invalid(`Invalid 'messages': too many images in the request; at most ${MAX_IMAGES} are allowed.`, 'messages', 'too_many_images')
      const detail = p.image_url?.detail ?? 'auto'
      if (!['low', 'high', 'auto'].includes(detail)) return invalid(`Invalid value: '${detail}'. Supported values are: 'low', 'high', and 'auto'.`, `${at}.image_url.detail`, 'invalid_value')
      const url = p.image_url?.url ?? ''
      const data = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url)
      if (!data) {
        if (/^https?:\/\//.test(url)) continue
        return invalid(`Invalid image URL: '${at}.image_url.url'. Expected a valid URL or a base64-encoded data URL.`, `${at}.image_url.url`, 'invalid_image_url')
      }
      if (!/^image\/(?:png|jpeg|gif|webp)$/.test(data[1]!))
        return invalid(`Invalid MIME type. Only image types are supported (got '${data[1]}').`, `${at}.image_url.url`, 'invalid_image_format')
      if (!data[2] || !/^[A-Za-z0-9+/]*={0,2}$/.test(data[3]!) || data[3]!.length % 4 !== 0) return invalid('Invalid base64 image_url.', `${at}.image_url.url`, 'invalid_base64')
      const size = imageSize(Buffer.from(data[3]!, 'base64'))
      if (!size && (data[1] === 'image/png' || data[1] === 'image/jpeg')) return invalid('You uploaded an unsupported image. Please make sure your image is valid.', `${at}.image_url.url`, 'invalid_image')
      tokens += size ? imageTokens(b.model, size.width, size.height, detail === 'low' ? 'low' : 'high') : 85
    }
  }
  return tokens
}

/** The request's JSON with the data URLs left out (what text tokens are counted on). */
const textWithoutImages = (req: Recorded) => JSON.stringify(req.body, (k, v: unknown) => (k === 'url' && typeof v === 'string' && v.startsWith('data:') ? '' : v))

let toolCallIds = 0

/** A chat.completion as OpenAI sends it: one assistant choice. */
const chatCompletion = (model: string, message: Record<string, unknown>, finish: string, usage: Record<string, unknown>) => ({
  body: {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message }, finish_reason: finish, logprobs: null }],
    usage,
  },
})

export async function startFakeOpenAI(answer: (req: Recorded) => unknown = () => ({})): Promise<FakeOpenAI> {
  const fake: Partial<FakeOpenAI> = { answer, reasoning: { minimal: 0, low: 300, medium: 3000, high: 12000 } }
  const server = await new FakeHttpServer((req, modelText, finish) => {
    if (req.method === 'POST' && req.path === '/v1/chat/completions') {
      const b = req.body as ChatBody
      const refused = refusal(b)
      if (refused) return refused
      const images = imagesOf(req, b)
      if (typeof images !== 'number') return images
      const promptTokens = Math.ceil(textWithoutImages(req).length / 4) + images
      // With `tools`, `answer` may return { tool_calls: [{ name, arguments }] } (the model calls
      // tools) or { content } (it answers in text).
      const answered = modelText === null ? fake.answer!(req) : undefined
      if ((req.body as { tools?: unknown[] }).tools && answered && typeof answered === 'object' && ('tool_calls' in answered || 'content' in answered)) {
        const a = answered as { tool_calls?: { name: string; arguments: unknown }[]; content?: string }
        const calls = (a.tool_calls ?? []).map((c, i) => ({ id: `call_${++toolCallIds}_${i}`, type: 'function', function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}) } }))
        const text = a.content ?? null
        return chatCompletion(
          b.model,
          { content: text, ...(calls.length ? { tool_calls: calls } : {}) },
          calls.length ? 'tool_calls' : 'stop',
          { prompt_tokens: promptTokens, completion_tokens: Math.ceil(JSON.stringify(calls).length / 4) + Math.ceil((text ?? '').length / 4), total_tokens: 0 },
        )
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
      return chatCompletion(b.model, { content }, finish, {
        prompt_tokens: promptTokens,
        completion_tokens: Math.max(0, completion) + Math.min(reasoningTokens, cap ?? Infinity),
        total_tokens: 0,
        completion_tokens_details: { reasoning_tokens: Math.min(reasoningTokens, cap ?? Infinity) },
      })
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
