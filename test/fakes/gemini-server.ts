// A fake Gemini API (generateContent with a JSON schema, batchEmbedContents) for the real
// @google/genai SDK. `answer` decides the model's JSON; faults come from FakeHttpServer. Thinking
// as the real models do it (ai.google.dev/gemini-api/docs/thinking): 2.5 Pro and Flash think by
// default, Flash-Lite only when given a budget; thoughts are spent out of maxOutputTokens before
// the answer. Budgets outside a model's range, a thinkingLevel on 2.5, and any thinkingConfig on
// a model before 2.5 are refused with 400 INVALID_ARGUMENT.
//
// Media as the service takes it (ai.google.dev/gemini-api/docs/files, /vision, /video-understanding;
// the SDK's files.upload, files.get, files.delete): inline data only within the 20 MB request limit,
// supported MIME types and valid base64; the Files API's resumable upload (start → upload URL in
// x-goog-upload-url → chunks at their offsets, the last one with finalize), files PROCESSING until
// polled `processingPolls` times, then ACTIVE (or FAILED); a fileData part only for an ACTIVE file of
// ours. Media tokens: 258 a sampled video frame (1 fps unless videoMetadata.fps), 258 an image up to
// 384 px, else 258 per 768-px tile.
import { randomBytes } from 'node:crypto'
import { FakeHttpServer, type Recorded } from './http'
import { imageSize, videoSeconds } from './media-info'

export interface FakeGemini {
  server: FakeHttpServer
  baseUrl: string
  answer: (req: Recorded) => unknown
  /** Tokens a thinking model thinks when left to decide (dynamic thinking, or a budget above this). */
  thinking: number
  /** Tokens thought beyond a set budget (a budget is a target: the real models may overrun it). */
  overBudget: number
  generateRequests(): Recorded[]
  /** Files API: GETs a file answers PROCESSING before it is done; what it ends as. */
  processingPolls: number
  processingOutcome: 'ACTIVE' | 'FAILED'
  /** The origin of the upload URL the start of an upload answers (the real one: the API's own host). */
  uploadOrigin: string | null
  /** Every file uploaded (deleted ones too), with the bytes received. */
  files: Map<string, FakeFile>
  close(): Promise<void>
}

export interface FakeFile {
  /** The File resource as the API returns it (name files/ID, uri, mimeType, sizeBytes, state …). */
  file: { name: string; uri: string; mimeType: string; sizeBytes: string; state: 'PROCESSING' | 'ACTIVE' | 'FAILED'; displayName?: string; error?: { code: number; message: string } }
  bytes: Buffer
  polls: number
  deleted: boolean
}

/** The request limit of generateContent (ai.google.dev/gemini-api/docs/files: "the total request size is larger than 20 MB"). */
export const GEMINI_REQUEST_LIMIT = 20_971_520
/** Inline MIME types the API takes (images, video, audio, documents). */
const INLINE_MIME = new Set([
  ...['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'],
  ...['video/mp4', 'video/mpeg', 'video/mov', 'video/avi', 'video/x-flv', 'video/mpg', 'video/webm', 'video/wmv', 'video/3gpp'],
  ...['audio/wav', 'audio/mp3', 'audio/aiff', 'audio/aac', 'audio/ogg', 'audio/flac', 'application/pdf', 'text/plain'],
])
const TOKENS_PER_FRAME = 258

const googleError = (code: number, status: string, message: string) => ({ status: code, body: { error: { code, message, status } } })

interface ThinkingConfig {
  thinkingBudget?: number
  thinkingLevel?: string
}

const invalid = (message: string) => googleError(400, 'INVALID_ARGUMENT', message)

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
  const fake: Partial<FakeGemini> = { answer, thinking: 3000, overBudget: 0, processingPolls: 2, processingOutcome: 'ACTIVE', uploadOrigin: null, files: new Map() }
  const server: FakeHttpServer = await new FakeHttpServer((req, modelText, finish) => {
    const files = filesApi(req, fake as FakeGemini, server.url)
    if (files) return files
    const gen = /^\/v1beta\/models\/([^/:]+):generateContent/.exec(req.path)
    if (req.method === 'POST' && gen) {
      if (req.raw.length > GEMINI_REQUEST_LIMIT) return invalid(`Request payload size exceeds the limit: ${GEMINI_REQUEST_LIMIT} bytes.`)
      const media = mediaTokens(req.body as { contents?: Content[] }, fake as FakeGemini)
      if (typeof media !== 'number') return media
      const promptTokens = Math.ceil(textWithoutMedia(req).length / 4) + media
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
            usageMetadata: { promptTokenCount: promptTokens, candidatesTokenCount: Math.ceil(JSON.stringify(parts).length / 4), totalTokenCount: 0 },
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
            promptTokenCount: promptTokens,
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

interface Content {
  parts?: { text?: string; inlineData?: { mimeType?: string; data?: string }; fileData?: { fileUri?: string; mimeType?: string }; videoMetadata?: { fps?: number } }[]
}

/** The request's JSON with inline data left out (what text tokens are counted on). */
const textWithoutMedia = (req: Recorded) => JSON.stringify(req.body, (k, v: unknown) => (k === 'data' && typeof v === 'string' ? '' : v))

// Standard or URL-safe alphabet, padded or not (a single leftover character is no byte at all).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/
const base64Ok = (s: string) => (BASE64.test(s) || BASE64URL.test(s)) && s.replace(/=+$/, '').length % 4 !== 1

/** Tokens of the request's images and videos, or the 400/403 Gemini answers for a part it refuses. */
function mediaTokens(body: { contents?: Content[] }, fake: FakeGemini): number | { status: number; body: unknown } {
  let tokens = 0
  for (const [ci, c] of (body.contents ?? []).entries())
    for (const [pi, p] of (c.parts ?? []).entries()) {
      const at = `contents[${ci}].parts[${pi}]`
      const fps = p.videoMetadata?.fps ?? 1
      if (p.videoMetadata && !(fps > 0 && fps <= 24)) return invalid(`* GenerateContentRequest.${at}.video_metadata.fps: fps must be in the range (0, 24], got ${fps}.`)
      let bytes: Buffer
      let mime: string
      if (p.inlineData) {
        mime = p.inlineData.mimeType ?? ''
        const data = p.inlineData.data ?? ''
        if (!INLINE_MIME.has(mime)) return invalid(`Unsupported MIME type: ${mime}`)
        if (!base64Ok(data)) return invalid(`Invalid value at '${at}.inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${data.slice(0, 20)}"`)
        bytes = Buffer.from(data, BASE64.test(data) ? 'base64' : 'base64url')
      } else if (p.fileData) {
        const id = /\/files\/([^/?]+)$/.exec(p.fileData.fileUri ?? '')?.[1]
        const f = id ? fake.files.get(`files/${id}`) : undefined
        if (!f || f.deleted) return googleError(403, 'PERMISSION_DENIED', `You do not have permission to access the File ${id ?? p.fileData.fileUri} or it may not exist.`)
        if (f.file.state !== 'ACTIVE') return googleError(400, 'FAILED_PRECONDITION', `The File ${id} is not in an ACTIVE state and usage is not allowed.`)
        bytes = f.bytes
        mime = f.file.mimeType
      } else continue
      if (mime.startsWith('video/')) {
        const seconds = videoSeconds(bytes)
        if (seconds === null) return invalid(`Request contains an invalid argument: ${at} is not a valid ${mime} video.`)
        tokens += Math.ceil(seconds * fps) * TOKENS_PER_FRAME
      } else if (mime.startsWith('image/')) {
        const size = imageSize(bytes)
        if (!size && (mime === 'image/png' || mime === 'image/jpeg')) return invalid('Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting')
        tokens += !size || (size.width <= 384 && size.height <= 384) ? TOKENS_PER_FRAME : Math.ceil(size.width / 768) * Math.ceil(size.height / 768) * TOKENS_PER_FRAME
      }
    }
  return tokens
}

type Answer = { status?: number; body: unknown; headers?: Record<string, string> }

/** The Files API: resumable upload, get, delete. Null for any other path. */
function filesApi(req: Recorded, fake: FakeGemini, self: string): Answer | null {
  const url = new URL(req.path, self)
  const h = (n: string) => {
    const v = req.headers[n]
    return Array.isArray(v) ? v.join(', ') : v
  }
  const uploadId = url.searchParams.get('upload_id')
  if (req.method === 'POST' && url.pathname.replace(/\/+$/, '') === '/upload/v1beta/files' && !uploadId) {
    const size = Number(h('x-goog-upload-header-content-length'))
    const mimeType = h('x-goog-upload-header-content-type') ?? (req.body as { file?: { mimeType?: string } } | null)?.file?.mimeType
    if (h('x-goog-upload-protocol') !== 'resumable' || h('x-goog-upload-command') !== 'start') return invalid('Upload protocol and command must be "resumable" and "start".')
    if (!Number.isInteger(size) || size <= 0) return invalid('X-Goog-Upload-Header-Content-Length must be the size of the file.')
    if (!mimeType) return invalid('Can not determine the mimeType of the file.')
    const id = randomBytes(6).toString('hex')
    const name = `files/${id}`
    const meta = (req.body as { file?: { displayName?: string } } | null)?.file
    fake.files.set(name, {
      file: { name, uri: `${self}/v1beta/${name}`, mimeType, sizeBytes: String(size), state: 'PROCESSING', ...(meta?.displayName ? { displayName: meta.displayName } : {}) },
      bytes: Buffer.alloc(0),
      polls: -1, // not finalized yet
      deleted: false,
    })
    return { body: undefined, headers: { 'x-goog-upload-url': `${fake.uploadOrigin ?? self}/upload/v1beta/files?upload_id=${id}&upload_protocol=resumable`, 'x-goog-upload-status': 'active', 'x-goog-upload-chunk-granularity': '262144' } }
  }
  if (req.method === 'POST' && uploadId) {
    const f = fake.files.get(`files/${uploadId}`)
    if (!f || f.polls !== -1) return { status: 404, body: undefined, headers: { 'x-goog-upload-status': 'final' } }
    const command = (h('x-goog-upload-command') ?? '').split(',').map((c) => c.trim())
    const offset = Number(h('x-goog-upload-offset'))
    const declared = Number(f.file.sizeBytes)
    if (!command.includes('upload') || offset !== f.bytes.length) return { status: 400, body: undefined, headers: { 'x-goog-upload-status': 'active' } }
    const finalize = command.includes('finalize')
    // Chunks before the last are whole multiples of the granularity (256 KiB).
    if ((!finalize && req.raw.length % 262_144 !== 0) || f.bytes.length + req.raw.length > declared) return { status: 400, body: undefined, headers: { 'x-goog-upload-status': 'active' } }
    f.bytes = Buffer.concat([f.bytes, req.raw])
    if (!finalize) return { body: undefined, headers: { 'x-goog-upload-status': 'active' } }
    if (f.bytes.length !== declared) return { status: 400, body: undefined, headers: { 'x-goog-upload-status': 'final' } }
    f.polls = 0
    return { body: { file: f.file }, headers: { 'x-goog-upload-status': 'final' } }
  }
  const one = /^\/v1beta\/(files\/[^/:?]+)$/.exec(url.pathname)
  if (one && (req.method === 'GET' || req.method === 'DELETE')) {
    const f = fake.files.get(one[1]!)
    if (!f || f.deleted || f.polls === -1) return googleError(403, 'PERMISSION_DENIED', `You do not have permission to access the File ${one[1]!.slice(6)} or it may not exist.`)
    if (req.method === 'DELETE') {
      f.deleted = true
      return { body: {} }
    }
    if (f.file.state === 'PROCESSING' && ++f.polls > fake.processingPolls) {
      f.file.state = fake.processingOutcome
      if (f.file.state === 'FAILED') f.file.error = { code: 400, message: 'The video could not be processed.' }
    }
    return { body: f.file }
  }
  return null
}
