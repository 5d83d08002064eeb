// Web mode: the built renderer and the router on 127.0.0.1, for headless machines and the e2e
// tests. A random token per launch guards every API call; the Host header check stops DNS
// rebinding. The renderer reads the token from the URL fragment, which never reaches a server log.
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { ApiEvents, EventName, Envelope } from '../shared/api'
import { isBinary } from '../shared/columns'
import { CSP } from '../shared/csp'
import { createRouter } from './api'
import type { Core } from './core'
import { UserError } from './errors'
import { rendererDir } from './paths'

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
}

const MAX_JSON_BODY = 1 << 20

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
  const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-uploads-'))
  const clients = new Set<http.ServerResponse>()
  const broadcast = <E extends EventName>(event: E, data: ApiEvents[E]) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const c of clients) c.write(frame)
  }
  const router = createRouter(core, { onChanged: (what) => broadcast('changed', { what }) })
  const offJobs = core.jobs.onJob((job) => {
    broadcast('job', job)
    // An uploaded copy has served its purpose once its import has finished.
    if (job.kind === 'import' && job.state !== 'running' && Array.isArray(job.result)) {
      for (const r of job.result as { file?: unknown }[]) {
        if (typeof r.file === 'string' && r.file.startsWith(uploads + path.sep)) fs.rmSync(path.dirname(r.file), { recursive: true, force: true })
      }
    }
  })
  let allowedHosts = new Set<string>()
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
      if (url.pathname === '/api/upload') return await upload(uploads, url, req, res)
      const body = await readJson(req)
      const envelope = await router.handle(decodeURIComponent(url.pathname.slice('/api/'.length)), body)
      // Packed columns (shared/columns.ts) go as they are: bytes, not a JSON object per row.
      if (envelope.ok && isBinary(envelope.result)) {
        return res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' }).end(Buffer.from(envelope.result))
      }
      return json(res, envelope.ok ? 200 : (STATUS[envelope.error.code] ?? 500), envelope)
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      return json(res, 400, { ok: false, error: { code: 'invalid_request', message } } satisfies Envelope<never>)
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as { port: number }).port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
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

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_JSON_BODY) throw new Error(`Request body over ${MAX_JSON_BODY} bytes`)
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return {}
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new Error('Request body is not valid JSON')
  }
}

/** A browser cannot hand over a file path, so web mode receives the bytes and imports the copy. */
async function upload(dir: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const name = path.basename(url.searchParams.get('name') ?? '').replace(/[^\w.\- ()]/g, '_').slice(0, 200) || 'upload'
  const target = path.join(fs.mkdtempSync(path.join(dir, 'f-')), name)
  await pipeline(req, fs.createWriteStream(target, { flags: 'wx' }))
  json(res, 200, { ok: true, result: { path: target } })
}

async function serveStatic(root: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'Method not allowed')
  let file = path.join(root, path.normalize(decodeURIComponent(pathname)))
  if (!file.startsWith(root + path.sep) && file !== root) return end(res, 403, 'Forbidden path')
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html')
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream'
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': type, 'Content-Security-Policy': CSP }
  headers['Cache-Control'] = file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable'
  res.writeHead(200, headers)
  if (req.method === 'HEAD') return void res.end()
  await pipeline(fs.createReadStream(file), res)
}
