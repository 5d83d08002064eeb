// Embeddings through the real openai and @google/genai SDKs against fake servers on 127.0.0.1
// that refuse what the real APIs refuse: OpenAI over 2,048 inputs, 8,192 tokens per input or
// 300k tokens per request, or an empty string; Gemini over 100 texts per batchEmbedContents.
// Batches, order, the embedding model (never the chat model), dimensions, usage, and faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createProvider, ModelRequestError, modelCalls } from '../../electron/llm'
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'

const KEY = 'sk-test-embed0123456789abcdef0123'
const secrets = { get: (n: string) => (n === 'openai' || n === 'gemini' ? KEY : undefined) }
const fast = { retries: 3, baseMs: 1, maxMs: 5 }

let oa: FakeOpenAI
let gm: FakeGemini
beforeAll(async () => {
  oa = await startFakeOpenAI()
  gm = await startFakeGemini()
})
afterAll(async () => {
  await oa.close()
  await gm.close()
})
afterEach(() => {
  for (const s of [oa.server, gm.server]) {
    s.requests.length = 0
    s.faults.length = 0
  }
})

const embedRequests = () => oa.server.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.body as { model: string; input: string[]; dimensions?: number })
const geminiBatches = () => gm.server.requests.filter((r) => r.path.includes(':batchEmbedContents'))
const openai = (over: Record<string, unknown> = {}) => createProvider({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: oa.baseUrl, offline: true, retry: fast, embeddingModel: 'text-embedding-3-large', ...over }, secrets)
const gemini = (embeddingModel: string) => createProvider({ provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: gm.baseUrl, offline: true, retry: fast, embeddingModel }, secrets)

describe('OpenAI /v1/embeddings', () => {
  it('splits 5,000 texts into requests of at most 2,048 inputs, vectors in input order', async () => {
    const texts = Array.from({ length: 5000 }, (_, i) => `text number ${i}`)
    const r = await openai().embed(texts)
    expect(embedRequests().map((b) => b.input.length)).toEqual([2048, 2048, 904])
    expect(r.vectors).toHaveLength(5000)
    r.vectors.forEach((v, i) => expect(v[0]).toBe(texts[i]!.length))
    expect(r.usage.input_tokens).toBeGreaterThan(0)
  })

  it('keeps each request under 300k tokens and cuts an input over 8,192 tokens', async () => {
    const big = 'lorem ipsum dolor sit amet consectetur '.repeat(1000) // ~7,000 tokens each
    const texts = [...Array.from({ length: 60 }, () => big), 'word '.repeat(20_000)]
    const r = await openai().embed(texts)
    expect(r.vectors).toHaveLength(61)
    expect(r.cut).toBe(1)
    // (the fake counts with cl100k_base and refuses what OpenAI refuses: every request got through)
    expect(embedRequests().length).toBeGreaterThan(1)
  })

  it('refuses an empty text with a clear error before sending anything', async () => {
    await expect(openai().embed(['fine', ''])).rejects.toThrow(/Text 2 of 2 to embed is empty/)
    expect(embedRequests()).toHaveLength(0)
  })

  it('sends the embedding model, never the chat model; text-embedding-3-large by default on api.openai.com; a local server needs one named', async () => {
    await openai().embed(['a b'])
    expect(embedRequests()[0]!.model).toBe('text-embedding-3-large')
    const local = createProvider({ provider: 'openai', model: 'llama3.1', baseUrl: oa.baseUrl, offline: true, retry: fast }, secrets)
    await expect(local.embed(['a b'])).rejects.toThrow(/No embedding model is set for http:\/\/127\.0\.0\.1:\d+\/v1/)
    expect(embedRequests()).toHaveLength(1)
  })

  it('honours dimensions', async () => {
    const r = await openai({ embeddingDimensions: 256 }).embed(['x y', 'z'])
    expect(embedRequests()[0]!.dimensions).toBe(256)
    expect(r.vectors.map((v) => v.length)).toEqual([256, 256])
  })

  it('retries a 500 and a cut-off body; a 400 fails at once', async () => {
    oa.server.faults.push({ kind: 'status', status: 500 }, { kind: 'truncated_body' })
    const r = await openai().embed(['one', 'two'])
    expect(r.vectors).toHaveLength(2)
    expect(embedRequests()).toHaveLength(3)
    oa.server.faults.push({ kind: 'status', status: 400 })
    const e = await openai().embed(['one']).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelRequestError)
    expect((e as Error).message).toMatch(/refused: HTTP 400/)
  })
})

describe('Gemini batchEmbedContents', () => {
  it('sends at most 100 texts per call, each text its own content; one vector per text', async () => {
    const texts = Array.from({ length: 250 }, (_, i) => `gemini text ${i}`)
    const r = await gemini('gemini-embedding-001').embed(texts)
    const calls = geminiBatches().map((q) => (q.body as { requests: { content: { parts: unknown[] } }[] }).requests)
    expect(calls.map((c) => c.length)).toEqual([100, 100, 50])
    for (const c of calls) for (const q of c) expect(q.content.parts).toHaveLength(1)
    expect(r.vectors).toHaveLength(250)
    r.vectors.forEach((v, i) => expect(v[0]).toBe(texts[i]!.length))
    // The API reports no tokens for embeddings: ours, marked as an estimate.
    expect(r.usage.input_tokens).toBeGreaterThan(0)
    expect(r.usage.estimated).toBe(true)
  })

  it('gemini-embedding-2 gets one vector per text, not one for all texts merged', async () => {
    const r = await gemini('gemini-embedding-2').embed(['first', 'second one', 'third'])
    expect(r.vectors.map((v) => v[0])).toEqual([5, 10, 5])
    const body = geminiBatches()[0]!.body as { requests: { content: { parts: { text: string }[] } }[] }
    expect(body.requests.map((q) => q.content.parts.map((p) => p.text))).toEqual([['first'], ['second one'], ['third']])
  })
})

describe('one limiter for every model call', () => {
  it('has at most its limit of requests in flight, however many calls are made at once', async () => {
    const before = modelCalls.limit
    modelCalls.setLimit(2)
    try {
      for (let i = 0; i < 6; i++) oa.server.faults.push({ kind: 'slow', ms: 40 })
      oa.server.peakInFlight = 0
      const p = openai()
      await Promise.all(Array.from({ length: 6 }, (_, i) => p.embed([`call ${i}`])))
      expect(embedRequests()).toHaveLength(6)
      expect(oa.server.peakInFlight).toBe(2)
    } finally {
      modelCalls.setLimit(before)
    }
  })
})
