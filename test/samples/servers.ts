// The three local HTTP servers the generator runs on 127.0.0.1: a fake OpenAI-compatible model,
// a fake telemetry collector (PostHog capture + OTLP/HTTP), and the demo shop itself.
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { Turn } from './conversations'

export interface Running {
  url: string
  close(): Promise<void>
}

type Handler = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void | Promise<void>

async function listen(handler: Handler): Promise<Running> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      Promise.resolve(handler(req, Buffer.concat(chunks), res)).catch((err: unknown) => {
        console.error('[server]', err)
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
    })
  })
  // The SDKs keep connections alive; closeAllConnections below lets close() finish promptly.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const tokens = (text: string) => Math.max(1, Math.round(text.length / 4))
const hex = (n: number) => randomBytes(n).toString('hex')

// ---------------------------------------------------------------------------------------------
// Fake OpenAI: answers /v1/chat/completions from the scripted turns, keyed by the user's words.

interface ChatMessage {
  role: string
  content?: unknown
  tool_calls?: unknown[]
}

export function startFakeOpenAI(turns: Map<string, Turn>): Promise<Running> {
  const failed = new Set<string>()
  return listen(async (req, raw, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return sendJson(res, 404, { error: { message: 'not found' } })
    const body = JSON.parse(raw.toString('utf8')) as { model: string; messages: ChatMessage[] }
    const messages = body.messages
    const lastUser = [...messages].reverse().find((m) => m.role === 'user')
    const turn = typeof lastUser?.content === 'string' ? turns.get(lastUser.content) : undefined
    if (!turn) return sendJson(res, 400, { error: { message: 'fake model: no scripted turn for this message', type: 'invalid_request_error' } })

    const promptText = messages.map((m) => JSON.stringify(m.content ?? m.tool_calls ?? '')).join(' ')
    // Look like a model: a little latency that grows with the answer.
    await sleep(180 + Math.min(500, turn.answer.length * 1.5))

    if (turn.fail && !failed.has(turn.user)) {
      failed.add(turn.user)
      return turn.fail.status === 429
        ? sendJson(res, 429, { error: { message: `Rate limit reached for ${body.model} in organization org-lumen on tokens per min (TPM): Limit 200000, Used 199120, Requested 1450. Please try again in 435ms.`, type: 'tokens', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '435', 'x-request-id': 'req_' + hex(12) })
        : sendJson(res, 500, { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } }, { 'x-request-id': 'req_' + hex(12) })
    }

    const last = messages[messages.length - 1]
    const wantsTool = turn.tool && last?.role === 'user'
    const message = wantsTool
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_' + hex(12), type: 'function', function: { name: turn.tool!.name, arguments: JSON.stringify(turn.tool!.args) } }],
          refusal: null,
          annotations: [],
        }
      : { role: 'assistant', content: turn.answer, refusal: null, annotations: [] }
    const completion = wantsTool ? 12 + tokens(JSON.stringify(turn.tool!.args)) : tokens(turn.answer)
    const prompt = 40 + tokens(promptText)
    sendJson(
      res,
      200,
      {
        id: 'chatcmpl-' + hex(14),
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: `${body.model}-2025-04-14`,
        choices: [{ index: 0, message, logprobs: null, finish_reason: wantsTool ? 'tool_calls' : 'stop' }],
        usage: {
          prompt_tokens: prompt,
          completion_tokens: completion,
          total_tokens: prompt + completion,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
        service_tier: 'default',
        system_fingerprint: 'fp_' + hex(5),
      },
      { 'x-request-id': 'req_' + hex(12), 'openai-processing-ms': '412' },
    )
  })
}

// ---------------------------------------------------------------------------------------------
// Fake collector: keeps what the SDKs send, exactly as sent (only gzip is undone).

export interface Collected {
  /** PostHog batch items, one per event, in the order posthog-node sent them */
  posthog: Record<string, unknown>[]
  /** OTLP/HTTP JSON export requests (traces and logs), in arrival order */
  otlp: string[]
}

export async function startCollector(): Promise<Running & { collected: Collected }> {
  const collected: Collected = { posthog: [], otlp: [] }
  const running = await listen((req, raw, res) => {
    const body = req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw
    const url = req.url ?? ''
    if (url.startsWith('/v1/traces') || url.startsWith('/v1/logs')) {
      collected.otlp.push(body.toString('utf8'))
      return sendJson(res, 200, {})
    }
    if (url.startsWith('/batch')) {
      const payload = JSON.parse(body.toString('utf8')) as { batch: Record<string, unknown>[] }
      collected.posthog.push(...payload.batch)
      return sendJson(res, 200, { status: 1 })
    }
    if (url.startsWith('/flags')) return sendJson(res, 200, { flags: {}, errorsWhileComputingFlags: false })
    sendJson(res, 404, {})
  })
  return { ...running, collected }
}

// ---------------------------------------------------------------------------------------------
// The demo shop: static files, a checkout that always fails, and the "Ask AI" endpoint.

const SITE = path.join(import.meta.dirname, 'demo-site')
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' }

export function startDemoShop(ask: (question: string) => Promise<string>): Promise<Running> {
  return listen(async (req, raw, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (req.method === 'POST' && url.pathname === '/api/checkout') {
      // The bug the recording is about: the payment provider call blows up server-side.
      await sleep(350)
      return sendJson(res, 500, { error: 'payment_provider_unavailable' })
    }
    if (req.method === 'POST' && url.pathname === '/api/ai') {
      const { question } = JSON.parse(raw.toString('utf8')) as { question: string }
      const started = Date.now()
      const answer = await ask(question)
      return sendJson(res, 200, { answer, latency_ms: Date.now() - started })
    }
    const file = path.join(SITE, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname))
    if (!file.startsWith(SITE) || !fs.existsSync(file)) return sendJson(res, 404, { error: 'not found' })
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
    res.end(fs.readFileSync(file))
  })
}
