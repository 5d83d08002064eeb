// Video and images to the models through the real @google/genai and openai SDKs against the fake
// servers (real HTTP on 127.0.0.1): Gemini inline while the whole request fits its 20 MB limit,
// the Files API beyond (resumable upload, poll until ACTIVE, fileData, delete after), the upload
// URL under the offline guard; OpenAI frames as image_url parts with their detail. The files are
// real webm clips and PNG / JPEG frames made with ffmpeg; the big clip is a small one padded with
// an EBML Void element (still a valid webm of the same duration).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CancelledError, UserError } from '../../electron/errors'
import { GeminiProvider } from '../../electron/llm/gemini'
import { GEMINI_REQUEST_LIMIT } from '../../electron/llm/gemini-media'
import { UnsupportedPartError } from '../../electron/llm/errors'
import { OpenAIProvider } from '../../electron/llm/openai'
import { geminiVideoTokens, openaiImageRule, openaiImageTokens } from '../../electron/llm/prices'
import { ModelRequestError, OfflineError } from '../../electron/llm'
import type { Part } from '../../electron/llm/types'
import { NetworkGuard } from '../../electron/net'
import { fakeModelServers } from '../fakes/model-servers'
import { until } from '../fakes/until'

const Verdict = z.object({ verdict: z.enum(['confirmed', 'denied', 'inconclusive']) })
const KEY = 'test-key-0123456789'
const fast = { retries: 2, baseMs: 5, maxMs: 20 }

let dir: string
let small: string // 3 s, 320×240, 1 fps, VP9
let under: string // padded: base64 fits in one request with room to spare
let over: string // padded: 16 MB, 21.3 MB as base64, over the limit alone (and under the old 18 MiB inline rule)
let png: Buffer // 640×360
let jpeg: Buffer // 1280×720
const fakes = fakeModelServers(() => ({ verdict: 'denied' }), () => ({ verdict: 'confirmed' }))

function padded(src: string, to: number, out: string): string {
  const d = fs.readFileSync(src)
  const body = to - d.length - 9
  const head = Buffer.concat([Buffer.from([0xec, 0x01]), Buffer.from(body.toString(16).padStart(14, '0'), 'hex')])
  fs.writeFileSync(out, Buffer.concat([d, head, Buffer.alloc(body)]))
  return out
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-media-'))
  small = path.join(dir, 'small.webm')
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=1', '-t', '3', '-c:v', 'libvpx-vp9', small])
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360', '-frames:v', '1', path.join(dir, 'f.png')])
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=1280x720', '-frames:v', '1', path.join(dir, 'f.jpg')])
  png = fs.readFileSync(path.join(dir, 'f.png'))
  jpeg = fs.readFileSync(path.join(dir, 'f.jpg'))
  under = padded(small, 15_000_000, path.join(dir, 'under.webm'))
  over = padded(small, 16_000_000, path.join(dir, 'over.webm'))
}, 60_000)
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  fakes.gm.files.clear()
  fakes.gm.processingPolls = 2
  fakes.gm.processingOutcome = 'ACTIVE'
  fakes.gm.uploadOrigin = null
})

const gemini = (o: { offline?: boolean; activeMs?: number } = {}) =>
  new GeminiProvider({
    model: 'gemini-2.5-flash',
    baseUrl: fakes.gm.baseUrl,
    apiKey: KEY,
    guard: new NetworkGuard(o.offline ?? true),
    contextTokens: 1_048_576,
    retry: fast,
    files: { pollMs: 20, activeMs: o.activeMs ?? 10_000 },
  })
const video = (file: string, fps?: number) => ({ type: 'video' as const, mime: 'video/webm' as const, path: file, ...(fps !== undefined ? { fps } : {}) })
const askAbout = (p: GeminiProvider, part: Parameters<GeminiProvider['structured']>[0]['messages'][number]['parts'][number], signal?: AbortSignal) =>
  p.structured({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'Did the user see an error?' }, part] }], schema: Verdict, schemaName: 'verdict', maxOutputTokens: 200, ...(signal ? { signal } : {}) })

type GenBody = { contents: { parts: { text?: string; inlineData?: { mimeType: string; data: string }; fileData?: { fileUri: string; mimeType: string }; videoMetadata?: { fps: number } }[] }[] }
const partsOf = (r: { body: unknown }) => (r.body as GenBody).contents[0]!.parts
const paths = () => fakes.gm.server.requests.map((r) => `${r.method} ${new URL(r.path, fakes.gm.baseUrl).pathname}`)

describe('Gemini: video and images (real SDK, fake server)', () => {
  it('a small clip goes inline: its bytes exactly, its fps as videoMetadata, 258 tokens a sampled frame', async () => {
    const r = await askAbout(gemini(), video(small, 2))
    expect(r.value.verdict).toBe('confirmed')
    const [req] = fakes.gm.generateRequests()
    const part = partsOf(req!)[1]!
    expect(part.inlineData!.mimeType).toBe('video/webm')
    expect(Buffer.from(part.inlineData!.data, 'base64').equals(fs.readFileSync(small))).toBe(true)
    expect(part.videoMetadata).toEqual({ fps: 2 })
    // 3 s at 2 fps = 6 frames × 258, plus the text.
    expect(r.usage.input_tokens).toBeGreaterThanOrEqual(6 * 258)
    expect(r.usage.input_tokens).toBeLessThan(6 * 258 + 200)
    expect(paths()).toEqual(['POST /v1beta/models/gemini-2.5-flash:generateContent'])
  })

  it('a 15.0 MB clip still goes inline: the whole request stays under 20,971,520 bytes', async () => {
    await askAbout(gemini(), video(under))
    const [req] = fakes.gm.generateRequests()
    expect(req!.raw.length).toBeGreaterThan(20_000_000)
    expect(req!.raw.length).toBeLessThan(GEMINI_REQUEST_LIMIT)
    expect(fakes.gm.files.size).toBe(0)
  })

  it('a 16 MB clip (21.3 MB as base64) goes through the Files API: bytes equal, polled to ACTIVE, referenced, deleted after', async () => {
    const r = await askAbout(gemini(), video(over, 1))
    expect(r.value.verdict).toBe('confirmed')
    const [f] = [...fakes.gm.files.values()]
    expect(f!.bytes.equals(fs.readFileSync(over))).toBe(true)
    expect(f!.file.mimeType).toBe('video/webm')
    expect(f!.deleted).toBe(true)
    const [req] = fakes.gm.generateRequests()
    expect(req!.raw.length).toBeLessThan(10_000)
    expect(partsOf(req!)[1]).toEqual({ fileData: { fileUri: f!.file.uri, mimeType: 'video/webm' }, videoMetadata: { fps: 1 } })
    // start, two 8 MiB chunks (the last finalizes), PROCESSING twice then ACTIVE, the call, the delete.
    expect(paths()).toEqual([
      'POST /upload/v1beta/files',
      'POST /upload/v1beta/files',
      'POST /upload/v1beta/files',
      `GET /v1beta/${f!.file.name}`,
      `GET /v1beta/${f!.file.name}`,
      `GET /v1beta/${f!.file.name}`,
      'POST /v1beta/models/gemini-2.5-flash:generateContent',
      `DELETE /v1beta/${f!.file.name}`,
    ])
    const start = fakes.gm.server.requests[0]!
    expect(start.headers['x-goog-upload-protocol']).toBe('resumable')
    expect(start.headers['x-goog-upload-header-content-length']).toBe(String(16_000_000))
    // The clip's file name (it says the session and the moment) never reaches Google.
    const name = path.basename(over)
    for (const q of fakes.gm.server.requests) expect(JSON.stringify(q.headers) + q.path, q.path).not.toContain(name)
    expect(r.usage.input_tokens).toBeGreaterThanOrEqual(3 * 258)
  })

  it('the uploaded file is deleted when the call fails too', async () => {
    const e = await gemini()
      .structured({
        messages: [{ role: 'user', parts: [video(over), { type: 'image', mime: 'image/png', data: Buffer.from('not a png at all') }] }],
        schema: Verdict,
        schemaName: 'verdict',
      })
      .catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelRequestError)
    expect((e as Error).message).toMatch(/refused: HTTP 400.*Unable to process input image/)
    const [f] = [...fakes.gm.files.values()]
    expect(f!.deleted).toBe(true)
    expect(paths().at(-1)).toBe(`DELETE /v1beta/${f!.file.name}`)
  })

  it('processing that FAILED is a clear error (and the file is deleted)', async () => {
    fakes.gm.processingOutcome = 'FAILED'
    const e = await askAbout(gemini(), video(over)).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelRequestError)
    expect((e as Error).message).toMatch(/Gemini could not process the clip over\.webm \(files\/\w+ FAILED: The video could not be processed\.\)/)
    expect(fakes.gm.generateRequests()).toHaveLength(0)
    expect([...fakes.gm.files.values()][0]!.deleted).toBe(true)
  })

  it('a file still PROCESSING at the deadline is given up on', async () => {
    fakes.gm.processingPolls = 1e9
    const e = await askAbout(gemini({ activeMs: 300 }), video(over)).catch((x: unknown) => x)
    expect((e as Error).message).toMatch(/still processing the clip over\.webm after 0 s/)
    expect([...fakes.gm.files.values()][0]!.deleted).toBe(true)
  })

  it('cancel while polling ends the call within a second, and the file is still deleted', async () => {
    fakes.gm.processingPolls = 1e9
    const ctl = new AbortController()
    const run = askAbout(gemini(), video(over), ctl.signal).catch((x: unknown) => x)
    await until('a poll', () => [...fakes.gm.files.values()].some((f) => f.polls >= 2), 20_000)
    const t0 = performance.now()
    ctl.abort()
    const e = await run
    const ms = performance.now() - t0
    expect(e).toBeInstanceOf(CancelledError)
    expect(ms).toBeLessThan(1000)
    await until('the delete', () => [...fakes.gm.files.values()][0]!.deleted)
  })

  it('offline: an upload URL off this machine is refused before any byte of the clip is sent', async () => {
    fakes.gm.uploadOrigin = 'http://upload.invalid:9'
    const e = await askAbout(gemini({ offline: true }), video(over)).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(OfflineError)
    expect((e as Error).message).toContain('upload.invalid')
    expect(paths()).toEqual(['POST /upload/v1beta/files'])
    expect([...fakes.gm.files.values()][0]!.bytes.length).toBe(0)
  })

  it('what the SDK does with that URL: it swaps in the base URL’s host, so online the bytes still reach the base host', async () => {
    fakes.gm.uploadOrigin = 'http://upload.invalid:9'
    const r = await askAbout(gemini({ offline: false }), video(over))
    expect(r.value.verdict).toBe('confirmed')
    const chunks = fakes.gm.server.requests.filter((q) => q.path.includes('upload_id='))
    expect(chunks).toHaveLength(2)
    for (const c of chunks) expect(c.headers.host).toBe(new URL(fakes.gm.baseUrl).host)
    expect([...fakes.gm.files.values()][0]!.bytes.equals(fs.readFileSync(over))).toBe(true)
  })

  it('images inline with their bytes; tokens by 768-px tiles (258 a tile, 258 up to 384 px)', async () => {
    const r = await gemini().structured({
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Frames' }, { type: 'image', mime: 'image/png', data: png }, { type: 'image', mime: 'image/jpeg', data: jpeg }] }],
      schema: Verdict,
      schemaName: 'verdict',
    })
    const parts = partsOf(fakes.gm.generateRequests()[0]!)
    expect(Buffer.from(parts[1]!.inlineData!.data, 'base64').equals(png)).toBe(true)
    expect(parts[2]!.inlineData!.mimeType).toBe('image/jpeg')
    // 640×360: 1×1 tiles; 1280×720: 2×1 tiles.
    expect(r.usage.input_tokens - Math.ceil(JSON.stringify({}).length)).toBeGreaterThanOrEqual(3 * 258)
    expect(r.usage.input_tokens).toBeLessThan(3 * 258 + 200)
  })

  it('images too big to go inline are uploaded too (from memory, as a Blob) and referenced by URI', async () => {
    // A real 640×360 PNG followed by 16 MB of padding after IEND (decoders stop at IEND).
    const big = Buffer.concat([png, Buffer.alloc(16_000_000)])
    const r = await gemini().structured({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'Frame' }, { type: 'image', mime: 'image/png', data: big }] }], schema: Verdict, schemaName: 'verdict' })
    expect(r.value.verdict).toBe('confirmed')
    const [f] = [...fakes.gm.files.values()]
    expect(f!.bytes.equals(big)).toBe(true)
    expect(f!.deleted).toBe(true)
    expect(partsOf(fakes.gm.generateRequests()[0]!)[1]).toEqual({ fileData: { fileUri: f!.file.uri, mimeType: 'image/png' } })
  })

  it('a sampling rate outside (0, 24] is refused before anything is sent', async () => {
    await expect(askAbout(gemini(), video(small, 30))).rejects.toBeInstanceOf(UserError)
    await expect(askAbout(gemini(), video(small, 0))).rejects.toThrow(/above 0 and at most 24/)
    expect(fakes.gm.server.requests).toHaveLength(0)
  })
})

describe('the Gemini fake refuses what Gemini refuses (real SDK)', () => {
  const sdk = () => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: fakes.gm.baseUrl } })
  const send = (parts: object[]) => sdk().models.generateContent({ model: 'gemini-2.5-flash', contents: [{ role: 'user', parts }] }).catch((e: unknown) => e as Error)
  const inline = (mimeType: string, data: string) => ({ inlineData: { mimeType, data } })

  it('a request over 20,971,520 bytes: the 16 MB clip inline, as the old 18 MiB rule sent it', async () => {
    const e = await send([inline('video/webm', fs.readFileSync(over).toString('base64'))])
    expect(String(e)).toMatch(/Request payload size exceeds the limit: 20971520 bytes\./)
  })

  it('an unsupported MIME type, invalid base64, fps outside (0, 24], an image that is not one', async () => {
    expect(String(await send([inline('image/gif', png.toString('base64'))]))).toMatch(/Unsupported MIME type: image\/gif/)
    expect(String(await send([inline('image/png', '%%%not base64%%%')]))).toMatch(/Base64 decoding failed/)
    expect(String(await send([{ ...inline('video/webm', fs.readFileSync(small).toString('base64')), videoMetadata: { fps: 25 } }]))).toMatch(/fps must be in the range \(0, 24\]/)
    expect(String(await send([inline('image/png', Buffer.from('plain text').toString('base64'))]))).toMatch(/Unable to process input image/)
  })

  it('a file not ACTIVE yet (400 FAILED_PRECONDITION), a file that does not exist or was deleted (403)', async () => {
    fakes.gm.processingPolls = 1e9
    const f = await sdk().files.upload({ file: small, config: { mimeType: 'video/webm' } })
    expect(f.state).toBe('PROCESSING')
    expect([...fakes.gm.files.values()][0]!.bytes.equals(fs.readFileSync(small))).toBe(true)
    const id = f.name!.slice('files/'.length)
    expect(String(await send([{ fileData: { fileUri: f.uri, mimeType: 'video/webm' } }]))).toMatch(new RegExp(`The File ${id} is not in an ACTIVE state and usage is not allowed\\..*FAILED_PRECONDITION`))
    expect(String(await send([{ fileData: { fileUri: `${fakes.gm.baseUrl}/v1beta/files/nosuchfile`, mimeType: 'video/webm' } }]))).toMatch(/PERMISSION_DENIED/)
    await sdk().files.delete({ name: f.name! })
    expect(String(await sdk().files.get({ name: f.name! }).catch((e: unknown) => e))).toMatch(/403.*PERMISSION_DENIED/s)
  })
})

describe('OpenAI: frames as image_url parts (real SDK, fake server)', () => {
  const openai = (model: string) => new OpenAIProvider({ model, baseUrl: fakes.oa.baseUrl, apiKey: KEY, guard: new NetworkGuard(true), contextTokens: 128_000, retry: fast })
  const image = (data: Buffer, mime: 'image/png' | 'image/jpeg', detail?: 'low' | 'high' | 'auto'): Part => ({ type: 'image', mime, data, ...(detail ? { detail } : {}) })
  const frames = () => [image(png, 'image/png', 'high'), image(jpeg, 'image/jpeg', 'low'), image(jpeg, 'image/jpeg')]
  const sizes = [[640, 360, 'high'], [1280, 720, 'low'], [1280, 720, 'auto']] as const
  type ChatPart = { type: string; text?: string; image_url?: { url: string; detail?: string } }
  /** Text tokens as the fake counts them: the request's JSON without its data URLs, 4 characters a token. */
  const textTokens = (body: unknown) => Math.ceil(JSON.stringify(body, (k, v: unknown) => (k === 'url' && typeof v === 'string' && v.startsWith('data:') ? '' : v)).length / 4)

  for (const model of ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4o-mini', 'gpt-5']) {
    it(`${model}: each frame's bytes and detail sent; usage = text + the images by ${model}'s rule (prices.ts)`, async () => {
      const r = await openai(model).structured({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'What did the user see?' }, ...frames()] }], schema: Verdict, schemaName: 'verdict' })
      expect(r.value.verdict).toBe('denied')
      const [req] = fakes.oa.chatRequests()
      const parts = (req!.body as { messages: { content: ChatPart[] }[] }).messages[0]!.content
      expect(parts.map((p) => p.type)).toEqual(['text', 'image_url', 'image_url', 'image_url'])
      expect(parts.slice(1).map((p) => p.image_url!.detail)).toEqual(['high', 'low', undefined])
      expect(parts[1]!.image_url!.url).toBe(`data:image/png;base64,${png.toString('base64')}`)
      expect(parts[2]!.image_url!.url).toBe(`data:image/jpeg;base64,${jpeg.toString('base64')}`)
      const images = sizes.reduce((a, [w, h, d]) => a + openaiImageTokens(w, h, d === 'low' ? 'low' : 'high', openaiImageRule(model)), 0)
      expect(r.usage.input_tokens).toBe(textTokens(req!.body) + images)
    })
  }

  it('the published examples: tiles (GPT-4o) and patches (gpt-4.1-mini: 1,024 and 1,452 patches × 1.62)', () => {
    expect(openaiImageTokens(1024, 1024, 'high', openaiImageRule('gpt-4o'))).toBe(765)
    expect(openaiImageTokens(2048, 4096, 'high', openaiImageRule('gpt-4o'))).toBe(1105)
    expect(openaiImageTokens(4096, 8192, 'low', openaiImageRule('gpt-4o-2024-08-06'))).toBe(85)
    expect(openaiImageTokens(1024, 1024, 'high', openaiImageRule('gpt-4.1-mini'))).toBe(Math.ceil(1024 * 1.62))
    expect(openaiImageTokens(1800, 2400, 'low', openaiImageRule('gpt-4.1-mini'))).toBe(Math.ceil(1452 * 1.62))
    expect(geminiVideoTokens(10)).toBe(2580)
    expect(geminiVideoTokens(3, 2)).toBe(6 * 258)
  })

  it('models without vision refuse images: gpt-3.5-turbo, o1-mini, o3-mini', async () => {
    for (const model of ['gpt-3.5-turbo', 'o1-mini', 'o3-mini']) {
      const e = await openai(model)
        .structured({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }, frames()[0]!] }], schema: Verdict, schemaName: 'verdict' })
        .catch((x: unknown) => x)
      expect(e).toBeInstanceOf(ModelRequestError)
      expect((e as Error).message).toMatch(/refused: HTTP 400.*image_url is only supported by certain models/)
    }
  })

  it('a video part is an UnsupportedPartError, and nothing is sent', async () => {
    const e = await openai('gpt-4.1').structured({ messages: [{ role: 'user', parts: [video(small)] }], schema: Verdict, schemaName: 'verdict' }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UnsupportedPartError)
    expect((e as Error).message).toMatch(/cannot take video input/)
    expect(fakes.oa.server.requests).toHaveLength(0)
  })

  it('the fake refuses what OpenAI refuses (real SDK): a data URL that is no image, bad base64, 501 images, over 50 MB', async () => {
    // (retries: a kept-alive socket may be closed by the server while a 50 MB body is being built)
    const sdk = new OpenAI({ apiKey: KEY, baseURL: fakes.oa.baseUrl, maxRetries: 2 })
    const send = (content: ChatPart[]) =>
      sdk.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: content as OpenAI.Chat.Completions.ChatCompletionContentPart[] }] }).catch((e: unknown) => e as Error)
    const url = (u: string) => ({ type: 'image_url', image_url: { url: u } })
    expect(String(await send([url(`data:video/webm;base64,${fs.readFileSync(small).toString('base64')}`)]))).toMatch(/400 Invalid MIME type\. Only image types are supported/)
    expect(String(await send([url('data:image/png;base64,***')]))).toMatch(/400 Invalid base64 image_url/)
    expect(String(await send(Array.from({ length: 501 }, () => url(`data:image/png;base64,${png.toString('base64')}`))))).toMatch(/400 .*too many images/)
    expect(String(await send(Array.from({ length: 500 }, () => url(`data:image/png;base64,${png.toString('base64')}`))))).not.toMatch(/Error/)
    expect(String(await send([url(`data:image/png;base64,${Buffer.alloc(38 * 1024 * 1024).toString('base64')}`)]))).toMatch(/413 Request too large/)
  }, 60_000)
})
