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
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CancelledError, UserError } from '../../electron/errors'
import { GeminiProvider } from '../../electron/llm/gemini'
import { GEMINI_REQUEST_LIMIT } from '../../electron/llm/gemini-media'
import { ModelRequestError, OfflineError } from '../../electron/llm'
import { NetworkGuard } from '../../electron/net'
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server'
import { until } from '../fakes/until'

const Verdict = z.object({ verdict: z.enum(['confirmed', 'denied', 'inconclusive']) })
const KEY = 'test-key-0123456789'
const fast = { retries: 2, baseMs: 5, maxMs: 20 }

let dir: string
let small: string // 3 s, 320×240, 1 fps, VP9
let under: string // padded: base64 fits in one request with room to spare
let over: string // padded: base64 alone is over the limit (and under the old 18 MiB inline rule)
let png: Buffer // 640×360
let jpeg: Buffer // 1280×720
let gm: FakeGemini

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
  over = padded(small, 15_600_000, path.join(dir, 'over.webm'))
  gm = await startFakeGemini(() => ({ verdict: 'confirmed' }))
}, 60_000)
afterAll(async () => {
  await gm.close()
  fs.rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  gm.server.requests.length = 0
  gm.server.faults.length = 0
  gm.files.clear()
  gm.processingPolls = 2
  gm.processingOutcome = 'ACTIVE'
  gm.uploadOrigin = null
})

const gemini = (o: { offline?: boolean; activeMs?: number } = {}) =>
  new GeminiProvider({
    model: 'gemini-2.5-flash',
    baseUrl: gm.baseUrl,
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
const paths = () => gm.server.requests.map((r) => `${r.method} ${new URL(r.path, gm.baseUrl).pathname}`)

describe('Gemini: video and images (real SDK, fake server)', () => {
  it('a small clip goes inline: its bytes exactly, its fps as videoMetadata, 258 tokens a sampled frame', async () => {
    const r = await askAbout(gemini(), video(small, 2))
    expect(r.value.verdict).toBe('confirmed')
    const [req] = gm.generateRequests()
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
    const [req] = gm.generateRequests()
    expect(req!.raw.length).toBeGreaterThan(20_000_000)
    expect(req!.raw.length).toBeLessThan(GEMINI_REQUEST_LIMIT)
    expect(gm.files.size).toBe(0)
  })

  it('a 15.6 MB clip (20.8 MB as base64) goes through the Files API: bytes equal, polled to ACTIVE, referenced, deleted after', async () => {
    const r = await askAbout(gemini(), video(over, 1))
    expect(r.value.verdict).toBe('confirmed')
    const [f] = [...gm.files.values()]
    expect(f!.bytes.equals(fs.readFileSync(over))).toBe(true)
    expect(f!.file.mimeType).toBe('video/webm')
    expect(f!.deleted).toBe(true)
    const [req] = gm.generateRequests()
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
    const start = gm.server.requests[0]!
    expect(start.headers['x-goog-upload-protocol']).toBe('resumable')
    expect(start.headers['x-goog-upload-header-content-length']).toBe(String(15_600_000))
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
    const [f] = [...gm.files.values()]
    expect(f!.deleted).toBe(true)
    expect(paths().at(-1)).toBe(`DELETE /v1beta/${f!.file.name}`)
  })

  it('processing that FAILED is a clear error (and the file is deleted)', async () => {
    gm.processingOutcome = 'FAILED'
    const e = await askAbout(gemini(), video(over)).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelRequestError)
    expect((e as Error).message).toMatch(/Gemini could not process the clip over\.webm \(files\/\w+ FAILED: The video could not be processed\.\)/)
    expect(gm.generateRequests()).toHaveLength(0)
    expect([...gm.files.values()][0]!.deleted).toBe(true)
  })

  it('a file still PROCESSING at the deadline is given up on', async () => {
    gm.processingPolls = 1e9
    const e = await askAbout(gemini({ activeMs: 300 }), video(over)).catch((x: unknown) => x)
    expect((e as Error).message).toMatch(/still processing the clip over\.webm after 0 s/)
    expect([...gm.files.values()][0]!.deleted).toBe(true)
  })

  it('cancel while polling ends the call within a second, and the file is still deleted', async () => {
    gm.processingPolls = 1e9
    const ctl = new AbortController()
    const run = askAbout(gemini(), video(over), ctl.signal).catch((x: unknown) => x)
    await until('a poll', () => [...gm.files.values()].some((f) => f.polls >= 2), 20_000)
    const t0 = performance.now()
    ctl.abort()
    const e = await run
    const ms = performance.now() - t0
    expect(e).toBeInstanceOf(CancelledError)
    expect(ms).toBeLessThan(1000)
    await until('the delete', () => [...gm.files.values()][0]!.deleted)
  })

  it('offline: an upload URL off this machine is refused before any byte of the clip is sent', async () => {
    gm.uploadOrigin = 'http://upload.invalid:9'
    const e = await askAbout(gemini({ offline: true }), video(over)).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(OfflineError)
    expect((e as Error).message).toContain('upload.invalid')
    expect(paths()).toEqual(['POST /upload/v1beta/files'])
    expect([...gm.files.values()][0]!.bytes.length).toBe(0)
  })

  it('what the SDK does with that URL: it swaps in the base URL’s host, so online the bytes still reach the base host', async () => {
    gm.uploadOrigin = 'http://upload.invalid:9'
    const r = await askAbout(gemini({ offline: false }), video(over))
    expect(r.value.verdict).toBe('confirmed')
    const chunks = gm.server.requests.filter((q) => q.path.includes('upload_id='))
    expect(chunks).toHaveLength(2)
    for (const c of chunks) expect(c.headers.host).toBe(new URL(gm.baseUrl).host)
    expect([...gm.files.values()][0]!.bytes.equals(fs.readFileSync(over))).toBe(true)
  })

  it('images inline with their bytes; tokens by 768-px tiles (258 a tile, 258 up to 384 px)', async () => {
    const r = await gemini().structured({
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Frames' }, { type: 'image', mime: 'image/png', data: png }, { type: 'image', mime: 'image/jpeg', data: jpeg }] }],
      schema: Verdict,
      schemaName: 'verdict',
    })
    const parts = partsOf(gm.generateRequests()[0]!)
    expect(Buffer.from(parts[1]!.inlineData!.data, 'base64').equals(png)).toBe(true)
    expect(parts[2]!.inlineData!.mimeType).toBe('image/jpeg')
    // 640×360: 1×1 tiles; 1280×720: 2×1 tiles.
    expect(r.usage.input_tokens - Math.ceil(JSON.stringify({}).length)).toBeGreaterThanOrEqual(3 * 258)
    expect(r.usage.input_tokens).toBeLessThan(3 * 258 + 200)
  })

  it('a sampling rate outside (0, 24] is refused before anything is sent', async () => {
    await expect(askAbout(gemini(), video(small, 30))).rejects.toBeInstanceOf(UserError)
    await expect(askAbout(gemini(), video(small, 0))).rejects.toThrow(/above 0 and at most 24/)
    expect(gm.server.requests).toHaveLength(0)
  })
})
