// A real HTTP server on 127.0.0.1 for tests of the real SDKs: records every request and plays
// scripted faults (status codes, slowness, stalls before or after the headers, a body sent a byte
// at a time, invalid JSON, a body cut off mid-way, redirects) before answering.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'slow'; ms: number }
  /** Nothing at all is sent until the client goes away. */
  | { kind: 'stall' }
  /** The headers of a normal answer (with its Content-Length), then nothing until the client goes away. */
  | { kind: 'stall_after_headers' }
  /** A normal answer, its body one byte every `everyMs`. */
  | { kind: 'trickle'; everyMs: number }
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string }
  /** The HTTP body is not JSON at all. */
  | { kind: 'invalid_json' }
  /** Content-Length promises more than is sent; the socket closes mid-body. */
  | { kind: 'truncated_body' }
  /** A well-formed API response whose model text is this (invalid or cut-off JSON). */
  | { kind: 'model_text'; text: string; finish?: 'stop' | 'length' }

export interface Recorded {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: unknown
  text: string
  /** The request body's bytes as received (uploads are binary). */
  raw: Buffer
}

/**
 * An HTTP server on a free 127.0.0.1 port. A handler that throws is a bug in the fake, not a fault
 * it plays: `bug` answers it (status 599) unless headers are out, then the socket is dropped.
 */
export async function listenLocal(
  onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
  bug: (res: http.ServerResponse, message: string) => void,
): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      if (!res.headersSent) bug(res, `fake server bug: ${String(e)}`)
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/** Closes a listenLocal server, open keep-alive connections included. */
export async function closeLocal(server: http.Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

/** An answer: `body` as JSON, or, when `body` is undefined, an empty body; `headers` added to the response. */
export type Handler = (req: Recorded, modelText: string | null, finish: 'stop' | 'length') => { status?: number; body: unknown; headers?: Record<string, string> } | null

export class FakeHttpServer {
  readonly requests: Recorded[] = []
  /** Consumed one per request, in order; an empty queue answers normally. */
  readonly faults: Fault[] = []
  /** Requests being answered now, and the most at once so far (concurrency limits). */
  inFlight = 0
  peakInFlight = 0
  private server!: http.Server
  url = ''

  constructor(private readonly handle: Handler) {}

  async start(): Promise<this> {
    ;({ server: this.server, url: this.url } = await listenLocal(
      (req, res) => this.onRequest(req, res),
      (res, message) => this.send(res, 599, { error: { message } }),
    ))
    return this
  }

  close(): Promise<void> {
    return closeLocal(this.server)
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks)
    const text = raw.toString('utf8')
    let body: unknown = null
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      body = text
    }
    const rec: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, text, raw }
    this.requests.push(rec)
    this.inFlight++
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight)
    res.once('close', () => this.inFlight--)
    const fault = this.faults.shift()
    res.on('error', () => {})
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms))
    // Only faults that wait for the client to leave listen for it (a keep-alive socket serves many requests).
    const gone = () => new Promise<void>((r) => (res.socket?.destroyed ? r() : res.socket?.once('close', () => r())))
    if (fault?.kind === 'stall') return gone()
    // (req itself is destroyed once read to the end; the socket says whether the client left)
    if (res.destroyed || !res.socket || res.socket.destroyed) return
    if (fault?.kind === 'status') return this.send(res, fault.status, fault.body ?? { error: { message: `injected ${fault.status}`, code: fault.status } }, fault.headers)
    if (fault?.kind === 'redirect') {
      res.writeHead(fault.status, { location: fault.location, 'content-length': '0' })
      return void res.end()
    }
    if (fault?.kind === 'invalid_json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end('{"choices": [ this is not json')
    }
    const out = this.handle(rec, fault?.kind === 'model_text' ? fault.text : null, fault?.kind === 'model_text' ? (fault.finish ?? 'stop') : 'stop')
    if (!out) return this.send(res, 404, { error: { message: `no route ${rec.method} ${rec.path}` } })
    if (fault?.kind === 'truncated_body') {
      const s = JSON.stringify(out.body)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(s)) })
      res.write(s.slice(0, Math.floor(s.length / 2)))
      setTimeout(() => res.destroy(), 10)
      return
    }
    if (fault?.kind === 'stall_after_headers' || fault?.kind === 'trickle') {
      const s = Buffer.from(JSON.stringify(out.body))
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(s.length) })
      res.flushHeaders()
      if (fault.kind === 'stall_after_headers') return gone()
      let closed = false
      void gone().then(() => (closed = true))
      for (let i = 0; i < s.length && !closed; i++) {
        res.write(s.subarray(i, i + 1))
        await new Promise((r) => setTimeout(r, fault.everyMs))
      }
      if (!closed) res.end()
      return
    }
    if (out.body === undefined) {
      res.writeHead(out.status ?? 200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '0', ...out.headers })
      return void res.end()
    }
    this.send(res, out.status ?? 200, out.body, out.headers)
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
}
