// Web mode: the built renderer and the router on 127.0.0.1, for headless machines and the e2e
// tests. A random token per launch guards every API call; the Host header check stops DNS
// rebinding; POSTs from a foreign Origin are refused even with the token (defence in depth). The
// renderer reads the token from the URL fragment, which never reaches a server log. Uploads go to
// the app's data folder, capped in size, and are deleted when aborted, imported, or at the next start.
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { ApiEvents, EventName, Envelope } from '../shared/api'
import { isBinary } from '../shared/columns'
import { CSP } from '../shared/csp'
import { createRouter } from './api'
import type { Core } from './core'
import { UserError } from './errors'
import { dataDir, rendererDir } from './paths'
import { alive } from './processes'

export interface WebServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export interface ServeOptions {
  port?: number
  /** Folder of the built renderer; defaults to out/renderer. */
  root?: string
  /** Where uploaded files wait for their import; defaults to `uploads` in the app's data folder. */
  uploadsDir?: string
  /** Largest upload accepted (bytes). */
  maxUploadBytes?: number
}

const MAX_JSON_BODY = 1 << 20
/** Bigger than any recording export seen (the import benchmark goes to 500 MB). */
export const MAX_UPLOAD_BYTES = 4 * 2 ** 30

/** A request refused with an HTTP status (body too large, …). */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

/** Cookies are shared across the ports of a host: the name carries the port (one per running server). */
const cookieName = (port: number) => `sightline_token_${port}`

function readCookie(req: http.IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim()
  }
  return null
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}

/** The launch's secret, as the Bearer token (the printed URL's fragment) or the cookie set once the tab used it. */
function authorized(req: http.IncomingMessage, token: string, port: number): boolean {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
  const cookie = readCookie(req, cookieName(port))
  return (bearer !== undefined && same(bearer, token)) || (cookie !== null && same(cookie, token))
}

/** Names what the user ran: `npm start` (npm says so in its environment) or `sightline serve`. */
function noTokenMessage(): string {
  const ev = process.env.npm_lifecycle_event
  const ran = ev ? (ev === 'start' ? 'npm start' : `npm run ${ev}`) : 'sightline serve'
  return `This page has no valid access token for this server. Open the URL that \`${ran}\` printed (each launch prints a new one), in this browser.`
}

const STATUS: Record<string, number> = { invalid_request: 400, unknown_channel: 404, not_found: 404, user_error: 422, internal: 500 }

export async function serve(core: Core, opts: ServeOptions = {}): Promise<WebServer> {
  const root = path.resolve(opts.root ?? rendererDir())
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new UserError(`The renderer is not built: ${root}/index.html is missing.`, 'user_error', ['npm run build'])
  }
  const token = crypto.randomBytes(24).toString('base64url')
  const uploadsRoot = path.resolve(opts.uploadsDir ?? path.join(dataDir(), 'uploads'))
  removeStaleUploads(uploadsRoot)
  // One folder per running server, named by its process: the next start knows what is stale.
  const uploads = fs.mkdtempSync(path.join(uploadsRoot, `serve-${process.pid}-`))
  const maxUpload = opts.maxUploadBytes ?? MAX_UPLOAD_BYTES
  const clients = new Set<http.ServerResponse>()
  const broadcast = <E extends EventName>(event: E, data: ApiEvents[E]) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const c of clients) c.write(frame)
  }
  const router = createRouter(core, { onChanged: (what) => broadcast('changed', { what }) })
  const offJobs = core.jobs.onJob((job) => {
    broadcast('job', job)
    // An uploaded copy has served its purpose once its import has ended (done, failed or cancelled).
    if (job.kind === 'import' && job.state !== 'running') {
      const asked = ((core.store.jobs.record(job.id)?.input as { files?: unknown[] } | undefined)?.files ?? []).map((f) => (typeof f === 'string' ? f : (f as { path?: unknown } | null)?.path))
      const files = [...asked, ...(Array.isArray(job.result) ? (job.result as { file?: unknown }[]).map((r) => r.file) : [])]
      for (const f of files) if (typeof f === 'string' && f.startsWith(uploads + path.sep)) fs.rmSync(path.dirname(f), { recursive: true, force: true })
    }
  })
  let allowedHosts = new Set<string>()
  let allowedOrigins = new Set<string>()
  let port = 0

  const server = http.createServer(async (req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    if (!allowedHosts.has(req.headers.host ?? '')) return end(res, 403, 'Forbidden host')
    const url = new URL(req.url ?? '/', 'http://localhost')
    try {
      if (!url.pathname.startsWith('/api/')) return await serveStatic(root, url.pathname, req, res)
      if (!authorized(req, token, port)) return json(res, 401, { ok: false, error: { code: 'invalid_request', message: noTokenMessage() } } satisfies Envelope<never>)
      // The secret also travels as a cookie of this launch, so a link copied from this tab opens in another.
      if (readCookie(req, cookieName(port)) !== token) res.setHeader('Set-Cookie', `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`)
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
        res.write(': connected\n\n')
        clients.add(res)
        req.on('close', () => clients.delete(res))
        return
      }
      if (req.method !== 'POST') return end(res, 405, 'Use POST')
      // A page elsewhere that got hold of the token still cannot make this browser change state.
      if (!sameOrigin(req, allowedOrigins)) return json(res, 403, { ok: false, error: { code: 'invalid_request', message: 'Requests from other origins are refused' } } satisfies Envelope<never>)
      if (url.pathname === '/api/upload') return await upload(uploads, maxUpload, url, req, res)
      const body = await readJson(req)
      const envelope = await router.handle(decodeURIComponent(url.pathname.slice('/api/'.length)), body)
      // Packed columns (shared/columns.ts) go as they are: bytes, not a JSON object per row.
      if (envelope.ok && isBinary(envelope.result)) {
        return res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' }).end(Buffer.from(envelope.result))
      }
      return json(res, envelope.ok ? 200 : (STATUS[envelope.error.code] ?? 500), envelope)
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      if (res.headersSent) return void res.destroy()
      // Refused before its body was read: say so, then close rather than read megabytes nobody wants.
      if (e instanceof HttpError) res.setHeader('Connection', 'close')
      return json(res, e instanceof HttpError ? e.status : 400, { ok: false, error: { code: 'invalid_request', message } } satisfies Envelope<never>)
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as { port: number }).port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`))
  // SSE comments keep idle connections from being dropped by proxies and let dead clients surface.
  const ping = setInterval(() => clients.forEach((c) => c.write(': ping\n\n')), 15_000)
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    async close() {
      clearInterval(ping)
      offJobs()
      for (const c of clients) c.end()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      fs.rmSync(uploads, { recursive: true, force: true })
    },
  }
}

function end(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text)
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body))
}

/**
 * Browsers send Origin on every POST (fetch included); other clients (scripts, the CLI's tests)
 * send none and are let in on the token alone. Sec-Fetch-Site backs it up where Origin is absent.
 */
function sameOrigin(req: http.IncomingMessage, allowed: Set<string>): boolean {
  const origin = req.headers.origin
  if (origin !== undefined) return allowed.has(origin)
  const site = req.headers['sec-fetch-site']
  return site === undefined || site === 'same-origin' || site === 'none'
}

/** The declared length, when it already says the body is too big. */
function tooLong(req: http.IncomingMessage, max: number): boolean {
  const n = Number(req.headers['content-length'])
  return Number.isFinite(n) && n > max
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const tooBig = () => new HttpError(413, `Request body over ${MAX_JSON_BODY} bytes`)
  if (tooLong(req, MAX_JSON_BODY)) throw tooBig()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_JSON_BODY) throw tooBig()
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return {}
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new Error('Request body is not valid JSON')
  }
}

/**
 * A browser cannot hand over a file path, so web mode receives the bytes and imports the copy.
 * Over `max` bytes, or cut off by the client, the copy is deleted at once.
 */
async function upload(dir: string, max: number, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const tooBig = () => new HttpError(413, `Upload over ${max} bytes; import a file this big with \`sightline import\``)
  if (tooLong(req, max)) throw tooBig()
  const name = path.basename(url.searchParams.get('name') ?? '').replace(/[^\w.\- ()]/g, '_').slice(0, 200) || 'upload'
  const folder = fs.mkdtempSync(path.join(dir, 'f-'))
  const target = path.join(folder, name)
  let size = 0
  try {
    await pipeline(
      req,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length
          if (size > max) throw tooBig()
          yield chunk
        }
      },
      fs.createWriteStream(target, { flags: 'wx' }),
    )
  } catch (e) {
    fs.rmSync(folder, { recursive: true, force: true })
    throw e
  }
  json(res, 200, { ok: true, result: { path: target } })
}

/** Upload folders of servers no longer running (their process is gone): deleted at start. */
function removeStaleUploads(root: string): void {
  fs.mkdirSync(root, { recursive: true })
  for (const entry of fs.readdirSync(root)) {
    const pid = Number(/^serve-(\d+)-/.exec(entry)?.[1])
    if (pid && pid !== process.pid && alive(pid)) continue
    fs.rmSync(path.join(root, entry), { recursive: true, force: true })
  }
}


/** A `..` segment, a backslash or a NUL byte. */
const UNSAFE_PATH = /(^|[/\\])\.\.([/\\]|$)|\\|\0/

async function serveStatic(root: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'Method not allowed')
  // `..` segments, backslashes and NUL have no business in a renderer asset path, encoded or not;
  // looked for in the path as sent (URL parsing would quietly resolve `/../` and `/%2e%2e/`).
  const decoded = decodeURIComponent(pathname)
  if (UNSAFE_PATH.test(decodeURIComponent((req.url ?? '/').split(/[?#]/)[0]!)) || UNSAFE_PATH.test(decoded)) return end(res, 403, 'Forbidden path')
  let file = path.join(root, path.normalize(decoded))
  if (!file.startsWith(root + path.sep) && file !== root) return end(res, 403, 'Forbidden path')
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html')
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream'
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': type, 'Content-Security-Policy': CSP }
  headers['Cache-Control'] = file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable'
  res.writeHead(200, headers)
  if (req.method === 'HEAD') return void res.end()
  await pipeline(fs.createReadStream(file), res)
}
