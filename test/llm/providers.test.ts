// The real openai and @google/genai SDKs against fake servers on 127.0.0.1: what is sent
// (schema, messages), what comes back (validated), and every fault the servers can inject. Time is
// a ManualClock: backoff passes at once and a deadline fires when the test says, so request counts
// do not depend on how busy the machine is.
import net from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createProvider, ModelOutputError, ModelRequestError, OfflineError, type Provider } from '../../electron/llm'
import { NetworkGuard } from '../../electron/net'
import { fakeModelServers } from '../fakes/model-servers'
import { until } from '../fakes/until'
import { ManualClock } from './manual-clock'

const Answer = z.object({ verdict: z.enum(['yes', 'no']), reasons: z.array(z.string()) })
const KEY = 'sk-test-DoNotLeakThisKey0123456789abcdef'
const secrets = { get: (n: string) => (n === 'openai' || n === 'gemini' ? KEY : undefined) }
const fast = { retries: 3, baseMs: 5, maxMs: 20 }

const fakes = fakeModelServers(() => ({ verdict: 'yes', reasons: ['because'] }), () => ({ verdict: 'no', reasons: [] }))

const DEADLINE = 2000
const openai = (clock = new ManualClock()): Provider =>
  createProvider({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: fakes.oa.baseUrl, offline: true, timeoutMs: DEADLINE, retry: { ...fast, clock } }, secrets)
const gemini = (clock = new ManualClock()): Provider =>
  createProvider({ provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: fakes.gm.baseUrl, offline: true, timeoutMs: DEADLINE, retry: { ...fast, clock } }, secrets)
const ask = (p: Provider) =>
  p.structured({
    messages: [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Is the sky blue?' }] },
    ],
    schema: Answer,
    schemaName: 'answer',
    maxOutputTokens: 100,
  })

describe('OpenAI provider (real SDK, fake server)', () => {
  it('sends messages and a strict JSON schema, validates the answer, reports usage', async () => {
    const r = await ask(openai())
    expect(r.value).toEqual({ verdict: 'yes', reasons: ['because'] })
    const [req] = fakes.oa.chatRequests()
    const body = req!.body as { messages: { role: string; content: string }[]; response_format: { type: string; json_schema: { name: string; strict: boolean; schema: { properties: object; required: string[]; additionalProperties: boolean } } } }
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Is the sky blue?' },
    ])
    expect(body.response_format.type).toBe('json_schema')
    expect(body.response_format.json_schema).toMatchObject({ name: 'answer', strict: true })
    expect(body.response_format.json_schema.schema).toMatchObject({ additionalProperties: false, required: ['verdict', 'reasons'] })
    expect(req!.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(r.usage.input_tokens).toBeGreaterThan(0)
  })

  it('retries 429 and 5xx with backoff, then succeeds', async () => {
    fakes.oa.server.faults.push({ kind: 'status', status: 429, headers: { 'retry-after': '0' } }, { kind: 'status', status: 500 }, { kind: 'status', status: 503 })
    const r = await ask(openai())
    expect(r.value.verdict).toBe('yes')
    expect(fakes.oa.chatRequests()).toHaveLength(4)
  })

  it('gives up after the retries with a clear error naming the status', async () => {
    fakes.oa.server.faults.push(...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })))
    const e = await ask(openai()).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelRequestError)
    expect((e as Error).message).toMatch(/failed after 4 attempts: HTTP 500/)
    expect((e as Error).message).not.toContain(KEY)
  })

  it('does not retry a 400 or 401, and never puts the key in the error', async () => {
    fakes.oa.server.faults.push({ kind: 'status', status: 401, body: { error: { message: 'bad key' } } })
    const e = await ask(openai()).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelRequestError)
    expect((e as Error).message).toMatch(/refused: HTTP 401/)
    expect((e as Error).message).not.toContain(KEY)
    expect(fakes.oa.chatRequests()).toHaveLength(1)
  })

  it('retries a request that times out, and a body cut off mid-way', async () => {
    fakes.oa.server.faults.push({ kind: 'stall' }, { kind: 'truncated_body' })
    const clock = new ManualClock()
    const run = ask(openai(clock))
    await until('the first request', () => fakes.oa.chatRequests().length === 1)
    clock.advance(DEADLINE)
    const r = await run
    expect(r.value.verdict).toBe('yes')
    expect(fakes.oa.chatRequests()).toHaveLength(3)
  })

  it('invalid or cut-off JSON from the model is an error that keeps the raw text', async () => {
    fakes.oa.server.faults.push({ kind: 'model_text', text: '{"verdict": "yes", "reas' })
    const e = (await ask(openai()).catch((x: unknown) => x)) as ModelOutputError
    expect(e).toBeInstanceOf(ModelOutputError)
    expect(e.raw).toBe('{"verdict": "yes", "reas')
    fakes.oa.server.faults.push({ kind: 'model_text', text: '{"verdict": "maybe", "reasons": []}' })
    const e2 = (await ask(openai()).catch((x: unknown) => x)) as ModelOutputError
    expect(e2.message).toMatch(/does not match the schema/)
    expect(e2.raw).toContain('maybe')
    fakes.oa.server.faults.push({ kind: 'model_text', text: '{"verdict": "yes", "reasons": ["a', finish: 'length' })
    expect(((await ask(openai()).catch((x: unknown) => x)) as Error).message).toMatch(/ran out of output tokens/)
  })

  it('an HTTP body that is not JSON is retried, then a clear error', async () => {
    fakes.oa.server.faults.push(...Array.from({ length: 4 }, () => ({ kind: 'invalid_json' as const })))
    const e = await ask(openai()).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelRequestError)
    expect((e as Error).message).toMatch(/failed after 4 attempts: the answer was not valid JSON/)
  })

  it('embeds through the same client', async () => {
    const p = createProvider({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: fakes.oa.baseUrl, offline: true, retry: fast, embeddingModel: 'text-embedding-3-small' }, secrets)
    const r = await p.embed(['one', 'three'])
    expect(r.vectors).toEqual([
      [3, 0, 1],
      [5, 1, 1],
    ])
    expect((fakes.oa.server.requests.at(-1)!.body as { model: string }).model).toBe('text-embedding-3-small')
  })
})

describe('Gemini provider (real SDK, fake server)', () => {
  it('sends the system instruction, contents and a JSON schema; validates the answer', async () => {
    const r = await ask(gemini())
    expect(r.value).toEqual({ verdict: 'no', reasons: [] })
    const [req] = fakes.gm.generateRequests()
    expect(req!.path).toMatch(/^\/v1beta\/models\/gemini-2.5-flash:generateContent/)
    const body = req!.body as { contents: unknown[]; systemInstruction: unknown; generationConfig: Record<string, unknown> }
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Is the sky blue?' }] }])
    expect(JSON.stringify(body.systemInstruction)).toContain('Be brief.')
    expect(body.generationConfig.responseMimeType).toBe('application/json')
    expect(body.generationConfig.responseJsonSchema).toMatchObject({ type: 'object', required: ['verdict', 'reasons'] })
    expect(req!.headers['x-goog-api-key']).toBe(KEY)
  })

  it('retries 429/500 and a timeout, then succeeds', async () => {
    fakes.gm.server.faults.push({ kind: 'status', status: 429 }, { kind: 'status', status: 500 }, { kind: 'stall' })
    const clock = new ManualClock()
    const run = ask(gemini(clock))
    await until('the third request', () => fakes.gm.generateRequests().length === 3)
    clock.advance(DEADLINE)
    const r = await run
    expect(r.value.verdict).toBe('no')
    expect(fakes.gm.generateRequests()).toHaveLength(4)
  })

  it('cut-off JSON (MAX_TOKENS) and invalid JSON keep the raw text', async () => {
    fakes.gm.server.faults.push({ kind: 'model_text', text: '{"verdict": "n', finish: 'length' })
    const e = (await ask(gemini()).catch((x: unknown) => x)) as ModelOutputError
    expect(e).toBeInstanceOf(ModelOutputError)
    expect(e.raw).toBe('{"verdict": "n')
    fakes.gm.server.faults.push({ kind: 'model_text', text: 'Sure! Here is your JSON: {' })
    const e2 = (await ask(gemini()).catch((x: unknown) => x)) as ModelOutputError
    expect(e2.message).toMatch(/not valid JSON/)
    expect(e2.raw).toBe('Sure! Here is your JSON: {')
  })

  it('embeds with batchEmbedContents', async () => {
    const p = createProvider({ provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: fakes.gm.baseUrl, offline: true, retry: fast, embeddingModel: 'gemini-embedding-001' }, secrets)
    const r = await p.embed(['ab', 'abcd'])
    expect(r.vectors).toEqual([
      [2, 0, 2],
      [4, 1, 2],
    ])
  })
})

describe('offline guard', () => {
  it('refuses a non-loopback host before any socket opens, for every provider and the guard fetch', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect')
    try {
      expect(() => createProvider({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'http://10.255.255.1/v1', offline: true }, secrets)).toThrow(OfflineError)
      expect(() => createProvider({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: '', offline: true }, secrets)).toThrow(/api\.openai\.com/)
      expect(() => createProvider({ provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: '', offline: true }, secrets)).toThrow(OfflineError)
      // A hostname that would resolve to 127.0.0.1 is not trusted either: no DNS is asked.
      expect(() => createProvider({ provider: 'openai', model: 'm', baseUrl: 'http://evil.example/v1', offline: true }, secrets)).toThrow(OfflineError)
      const guard = new NetworkGuard(true)
      await expect(guard.fetch('https://api.openai.com/v1/models')).rejects.toBeInstanceOf(OfflineError)
      await expect(guard.fetch(new URL('http://[2001:db8::1]/'))).rejects.toBeInstanceOf(OfflineError)
      expect(connect).not.toHaveBeenCalled()
    } finally {
      connect.mockRestore()
    }
  })

  it('lets loopback through with offline on, and anything through with offline off', async () => {
    expect((await ask(openai())).value.verdict).toBe('yes')
    const guard = new NetworkGuard(true)
    for (const h of ['http://localhost:1/', 'http://127.0.0.1:1/', 'http://[::1]:1/', 'http://127.1.2.3/']) expect(() => guard.check(h)).not.toThrow()
    expect(() => new NetworkGuard(false).check('https://api.openai.com/v1')).not.toThrow()
  })

  it('a cloud URL without a key asks for the key; a local server needs none', () => {
    const none = { get: () => undefined }
    expect(() => createProvider({ provider: 'openai', model: 'm', baseUrl: '', offline: false }, none)).toThrow(/OPENAI_API_KEY/)
    expect(() => createProvider({ provider: 'gemini', model: 'm', baseUrl: '', offline: false }, none)).toThrow(/GEMINI_API_KEY/)
    expect(() => createProvider({ provider: 'openai', model: 'llama3', baseUrl: fakes.oa.baseUrl, offline: true }, none)).not.toThrow()
  })
})
