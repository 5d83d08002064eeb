// How the frame page reaches the core: the web-mode bridge's shape (POST /api/<channel>, Bearer
// token, {ok, result} envelope) answered in-process by whichever frame source loaded the page, so
// the page reads chunks with the core's own replay reader (no second reader) and the browser
// never opens a socket. Static files come from the built renderer.
import fs from 'node:fs'
import path from 'node:path'
import type { ReplayMeta } from '../../shared/model'
import { CSP } from '../../shared/csp'

/** The core's replay reads: the clip renderer plans with meta; the frame page reads chunks
 * (replay:chunks, the only channel it has). */
export interface ReplayReader {
  meta(id: string): ReplayMeta
  chunks(id: string, windowId: string, seqs: number[]): { seq: number; events: unknown[] }[]
}

/** Where the frame page is served from: never resolved, every request is answered in-process. */
export const FRAME_ORIGIN = 'http://frames.sightline.invalid'

export interface BridgeResponse {
  status: number
  contentType: string
  body: Buffer | string
  headers?: Record<string, string>
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' }

/** Answers one request of the frame page (`pathname` of its URL); anything else is refused. */
export function answer(root: string, reader: ReplayReader, token: string, req: { method: string; pathname: string; auth: string | undefined; body: string | null }): BridgeResponse {
  const api = req.pathname.indexOf('/api/')
  if (api >= 0) {
    if (req.auth !== `Bearer ${token}`) return json(401, { ok: false, error: { code: 'invalid_request', message: 'no valid token' } })
    const channel = decodeURIComponent(req.pathname.slice(api + 5))
    try {
      const b = JSON.parse(req.body ?? '{}') as { id?: unknown; window_id?: unknown; seqs?: unknown }
      if (typeof b.id !== 'string') throw new Error('id must be a string')
      if (channel === 'replay:chunks') {
        if (typeof b.window_id !== 'string' || !Array.isArray(b.seqs) || !b.seqs.every((s) => Number.isInteger(s))) throw new Error('replay:chunks needs window_id and integer seqs')
        return json(200, { ok: true, result: reader.chunks(b.id, b.window_id, b.seqs as number[]) })
      }
      return json(404, { ok: false, error: { code: 'unknown_channel', message: `the frame page has no channel ${channel}` } })
    } catch (e) {
      return json(422, { ok: false, error: { code: 'user_error', message: (e as Error).message } })
    }
  }
  if (req.method !== 'GET') return { status: 405, contentType: 'text/plain', body: 'Method not allowed' }
  const file = path.join(root, path.normalize(decodeURIComponent(req.pathname)))
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return { status: 404, contentType: 'text/plain', body: 'Not found' }
  return { status: 200, contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', body: fs.readFileSync(file), headers: { 'Content-Security-Policy': CSP } }
}

const json = (status: number, body: unknown): BridgeResponse => ({ status, contentType: 'application/json', body: JSON.stringify(body) })

/** The built frame page, or a clear error naming what to build. */
export function framePage(root: string): string {
  const page = path.join(root, 'render', 'index.html')
  if (!fs.existsSync(page)) throw new Error(`The frame page is not built: ${page} is missing (run \`npx electron-vite build\`).`)
  return page
}
