// Images and video for Gemini. Inline data only while the WHOLE generateContent request (its JSON,
// base64 included) stays under Gemini's 20 MB request limit; beyond that the largest media go
// through the Files API (the SDK's resumable files.upload), are polled until ACTIVE, referenced by
// URI, and deleted after the call whatever its outcome. Every request runs under routeGlobalFetch
// through the guard's fetch; the upload URL the service hands back is checked by the guard too
// (the SDK rewrites its host to the base URL's today, which we do not rely on).
import fs from 'node:fs'
import path from 'node:path'
import type { Content, File as GFile, GoogleGenAI, Part as GPart } from '@google/genai'
import { UserError } from '../errors'
import { type NetworkGuard, routeGlobalFetch } from '../net'
import { realClock } from './clock'
import { ModelRequestError } from './errors'
import { GEMINI_MEDIA } from './prices'
import { withRetry, type RetryOptions } from './retry'
import type { Message, Part } from './types'

/** Gemini refuses requests over 20,971,520 bytes; the margin covers what the SDK adds around our estimate. */
export const GEMINI_REQUEST_LIMIT = 20_971_520
export const INLINE_REQUEST_MAX = GEMINI_REQUEST_LIMIT - 256 * 1024

export interface GeminiFilesOptions {
  /** First wait between polls of a PROCESSING file (then ×1.5, at most 5 s). */
  pollMs: number
  /** A file still PROCESSING after this long is given up on. */
  activeMs: number
}
export const DEFAULT_FILES: GeminiFilesOptions = { pollMs: 1000, activeMs: 180_000 }

type Media = Extract<Part, { type: 'image' | 'video' }>

/** Bytes of `n` bytes in base64. */
const b64 = (n: number) => 4 * Math.ceil(n / 3)
const sizeOf = (p: Media) => (p.type === 'image' ? p.data.byteLength : fs.statSync(p.path).size)
const what = (p: Media) => (p.type === 'video' ? `the clip ${path.basename(p.path)}` : 'an image')

/** `inner` with `signal` added to every call's own (the SDK passes none to some files calls). */
const withSignal =
  (inner: typeof fetch, signal: AbortSignal): typeof fetch =>
  (input, init) =>
    inner(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal })

export class GeminiMedia {
  constructor(
    private readonly client: GoogleGenAI,
    private readonly viaGuard: typeof globalThis.fetch,
    private readonly guard: NetworkGuard,
    private readonly retry: RetryOptions,
    private readonly files: GeminiFilesOptions = DEFAULT_FILES,
  ) {}

  /**
   * Runs `call` with the messages as Gemini contents: media inline while the request (`rest`: the
   * other top-level fields, sized as JSON) stays under the limit, the largest uploaded otherwise.
   * Uploaded files are deleted once `call` settles, or when anything after their upload fails.
   */
  async run<T>(messages: Message[], rest: object, signal: AbortSignal | undefined, call: (contents: Content[]) => Promise<T>): Promise<T> {
    const turns = messages.filter((m) => m.role !== 'system')
    for (const m of turns) for (const p of m.parts) if (p.type === 'video' && p.fps !== undefined) checkFps(p.fps)
    const upload = this.toUpload(turns, rest)
    const active = new Map<Media, GFile>()
    const uploaded: GFile[] = []
    try {
      for (const p of upload) active.set(p, await this.uploadActive(p, signal, uploaded))
      const contents = turns.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: m.parts.map((p) => toPart(p, active.get(p as Media))) }))
      return await call(contents)
    } finally {
      await this.remove(uploaded)
    }
  }

  /** The media parts to upload, largest first, until the rest fits inline. */
  private toUpload(turns: Message[], rest: object): Media[] {
    const media = turns.flatMap((m) => m.parts.filter((p): p is Media => p.type !== 'text')).map((p) => ({ p, size: sizeOf(p) }))
    if (!media.length) return []
    const skeleton = turns.map((m) => ({ role: 'user', parts: m.parts.map((p) => (p.type === 'text' ? { text: p.text } : { inlineData: { mimeType: p.mime, data: '' }, videoMetadata: { fps: 1 } })) }))
    let total = Buffer.byteLength(JSON.stringify({ contents: skeleton, ...rest })) + media.reduce((a, m) => a + b64(m.size), 0)
    const out: Media[] = []
    for (const m of [...media].sort((a, b) => b.size - a.size)) {
      if (total <= INLINE_REQUEST_MAX) break
      out.push(m.p)
      total -= b64(m.size) - 300 // a fileData part instead: its URI and MIME type
    }
    return out
  }

  /**
   * Uploads one part (resumable, the SDK's files.upload) and waits until the service has processed
   * it. From memory, never by path: with a path the SDK sends the file's name (session and time).
   */
  private async uploadActive(p: Media, signal: AbortSignal | undefined, uploaded: GFile[]): Promise<GFile> {
    const file = await withRetry(
      `Uploading ${what(p)} to Gemini`,
      (s) => this.routed(s, () => this.client.files.upload({ file: new Blob([p.type === 'video' ? fs.readFileSync(p.path) : Buffer.from(p.data)], { type: p.mime }), config: { mimeType: p.mime, abortSignal: s } })),
      { ...this.retry, signal },
    )
    if (!file.name) throw new ModelRequestError(`Gemini answered the upload of ${what(p)} without a file name.`, null, 1)
    uploaded.push(file)
    return this.untilActive(file, p, signal)
  }

  /** Polls files.get until ACTIVE: FAILED and the deadline are errors, the signal cancels at once. */
  private async untilActive(first: GFile, p: Media, signal: AbortSignal | undefined): Promise<GFile> {
    const clock = this.retry.clock ?? realClock
    const start = clock.now()
    let file = first
    for (let wait = this.files.pollMs; file.state !== 'ACTIVE'; wait = Math.min(5000, wait * 1.5)) {
      if (file.state === 'FAILED')
        throw new ModelRequestError(`Gemini could not process ${what(p)} (${file.name} FAILED${file.error?.message ? `: ${file.error.message}` : ''}).`, null, 1)
      if (clock.now() - start >= this.files.activeMs)
        throw new ModelRequestError(`Gemini was still processing ${what(p)} after ${Math.round(this.files.activeMs / 1000)} s (${file.name}); giving up.`, null, 1)
      await clock.sleep(wait, signal)
      const name = file.name!
      file = await withRetry(`Checking ${name}`, (s) => this.routed(s, () => this.client.files.get({ name, config: { abortSignal: s } })), { ...this.retry, signal })
    }
    if (!file.uri) throw new ModelRequestError(`Gemini gave ${file.name} no URI.`, null, 1)
    return file
  }

  /** Deletes uploaded files, within its own short deadline (also after a cancel); a failure only leaves a file Gemini removes after 48 h. */
  private async remove(files: GFile[]): Promise<void> {
    for (const f of files) {
      const s = AbortSignal.timeout(10_000)
      await this.routed(s, () => this.client.files.delete({ name: f.name!, config: { abortSignal: s } })).catch(() => {})
    }
  }

  /** `fn`'s fetches through the guard, with `signal`, every upload URL the service returns checked. */
  private routed<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    const inner = withSignal(this.viaGuard, signal)
    return routeGlobalFetch(async (input, init) => {
      const res = await inner(input, init)
      const next = res.headers.get('x-goog-upload-url')
      if (next) this.guard.check(next)
      return res
    }, fn)
  }
}

function checkFps(fps: number): void {
  if (!(fps > 0 && fps <= GEMINI_MEDIA.max_fps)) throw new UserError(`A video's sampling rate must be above 0 and at most ${GEMINI_MEDIA.max_fps} frames a second for Gemini (got ${fps}).`)
}

function toPart(p: Part, file: GFile | undefined): GPart {
  if (p.type === 'text') return { text: p.text }
  const meta = p.type === 'video' && p.fps !== undefined ? { videoMetadata: { fps: p.fps } } : {}
  if (file) return { fileData: { fileUri: file.uri!, mimeType: file.mimeType ?? p.mime }, ...meta }
  const data = p.type === 'image' ? Buffer.from(p.data) : fs.readFileSync(p.path)
  return { inlineData: { mimeType: p.mime, data: data.toString('base64') }, ...meta }
}

