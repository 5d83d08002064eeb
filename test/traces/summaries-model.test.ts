// Trace summaries with a model, through the real openai and @google/genai SDKs against fake
// servers on 127.0.0.1: what is sent (the L001: text, the schema), line refs checked and dropped,
// re-runs that send nothing, the shared limiter, faults (retried, one bad answer, a refused key),
// cancel keeping what finished, Gemini, the cost estimate of a cloud run.
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CancelledError } from '../../electron/errors'
import { modelCalls, OfflineError, type LlmConfig } from '../../electron/llm'
import type { Store } from '../../electron/store'
import { estimateTraceSummaries, summarizeTraces } from '../../electron/traces/summarize-traces'
import { PROMPT_VERSION } from '../../electron/traces/summary-schema'
import type { Recorded } from '../fakes/http'
import { fakeModelServers } from '../fakes/model-servers'
import { until } from '../fakes/until'
import { tempDir } from '../helpers'
import { importOne, tracesDir, withStore } from './helpers'

const KEY = 'sk-test-TraceSummaryKey0123456789abcdef'
const secrets = { get: () => KEY }
const retry = { retries: 3, baseMs: 1, maxMs: 5 }
const tmp = tempDir('sightline-trace-sum-')

/** Cites a line that exists in short form ("L3"), one that does not, and one as a range. */
function answer(req: Recorded) {
  const text = JSON.stringify(req.body)
  const id = /Trace (\S+?):/.exec(text)?.[1] ?? '?'
  return {
    title: `Summary of ${id}`,
    flow_diagram: 'User asks\n    ↓\nAssistant answers ✓',
    summary_bullets: [
      { text: 'Header', line_refs: 'L3' },
      { text: 'Made up', line_refs: 'L9999' },
      { text: 'A range', line_refs: 'L001-L002' },
    ],
    interesting_notes: [{ text: 'Nothing', line_refs: '' }],
  }
}

const fakes = fakeModelServers(answer)
let store: Store
let ids: string[]
beforeAll(async () => {
  store = withStore(tmp.dir, 'tasks.db')
  const r = await importOne(store, path.join(tracesDir, 'llm-tasks.jsonl'))
  expect(r.error).toBeNull()
  ids = store.traces.list({ sort: 'start_ms', dir: 'asc', limit: -1, offset: 0 }).rows.map((t) => t.id)
  expect(ids.length).toBeGreaterThanOrEqual(10)
})
afterAll(async () => {
  store.close()
  tmp.cleanup()
})
afterEach(() => {
  store.db.exec('DELETE FROM trace_summaries')
})

const openai = (model = 'gpt-4.1-mini'): LlmConfig => ({ provider: 'openai', model, baseUrl: fakes.oa.baseUrl, offline: true, retry })
const chats = () => fakes.oa.chatRequests()

describe('trace summaries with OpenAI (real SDK, fake server)', () => {
  it('sends each trace as L001: text with the summary schema; keeps valid refs in the text’s form, drops and counts the rest', async () => {
    const r = await summarizeTraces(store, secrets, { llm: openai() })
    expect(r).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini', prompt_version: PROMPT_VERSION, selected: ids.length, summarized: ids.length, skipped: 0, failed: [] })
    // 'L9999' names no line of any trace: one dropped per trace.
    expect(r.dropped_refs).toBe(ids.length)
    expect(r.usage.calls).toBe(ids.length)
    expect(r.usage.cost_usd).toBe(0) // a server on this machine
    const body = chats()[0]!.body as { messages: { role: string; content: string }[]; response_format: { json_schema: { name: string; schema: { required: string[] } } } }
    expect(body.response_format.json_schema.name).toBe('trace_summary')
    expect(body.response_format.json_schema.schema.required).toEqual(['title', 'flow_diagram', 'summary_bullets', 'interesting_notes'])
    expect(body.messages[1]!.content).toMatch(/^Trace \S+:\n\nL001: /)
    const s = store.traceSummaries.latest(ids[0]!)!
    expect(s.kind).toBe('model')
    expect(s.summary_bullets.map((b) => b.line_refs)).toEqual(['L003', '', 'L001'])
    expect(s.interesting_notes).toEqual([{ text: 'Nothing', line_refs: '' }])
    expect(s.dropped_refs).toBe(1)
    expect(s.content_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('a re-run sends nothing: every trace is current (same content hash, same prompt version)', async () => {
    await summarizeTraces(store, secrets, { llm: openai() })
    const n = chats().length
    const again = await summarizeTraces(store, secrets, { llm: openai() })
    expect(again).toMatchObject({ summarized: 0, skipped: ids.length })
    expect(chats()).toHaveLength(n)
    // Another model is another summarizer: it summarizes again.
    const other = await summarizeTraces(store, secrets, { llm: openai('gpt-4.1-nano'), selection: { sample: 3 } })
    expect(other.summarized).toBe(3)
  })

  it('a random sample: the same seed picks the same traces', async () => {
    const a = await summarizeTraces(store, secrets, { llm: openai(), selection: { sample: 5, seed: 7 } })
    expect(a.summarized).toBe(5)
    const b = await summarizeTraces(store, secrets, { llm: openai(), selection: { sample: 5, seed: 7 } })
    expect(b).toMatchObject({ selected: 5, summarized: 0, skipped: 5 })
  })

  it('runs 4 calls at once under the shared limiter, never more', async () => {
    fakes.oa.server.peakInFlight = 0
    for (let i = 0; i < 12; i++) fakes.oa.server.faults.push({ kind: 'slow', ms: 30 })
    expect(modelCalls.limit).toBe(4)
    await summarizeTraces(store, secrets, { llm: openai(), selection: { sample: 12 }, concurrency: 8 })
    expect(fakes.oa.server.peakInFlight).toBe(4)
  })

  it('retries a 500, records an invalid answer as that trace’s failure and goes on', async () => {
    fakes.oa.server.faults.push({ kind: 'status', status: 500 }, { kind: 'model_text', text: '{"title": "cut' })
    const r = await summarizeTraces(store, secrets, { llm: openai(), selection: { sample: 6 }, concurrency: 1 })
    expect(r.summarized).toBe(5)
    expect(r.failed).toHaveLength(1)
    expect(r.failed[0]!.error).toMatch(/not valid JSON/)
    // The failed trace is summarized by the next run.
    const again = await summarizeTraces(store, secrets, { llm: openai(), selection: { sample: 6 } })
    expect(again).toMatchObject({ summarized: 1, skipped: 5 })
  })

  it('stops the whole run at a refused key (401): every trace would fail alike', async () => {
    fakes.oa.server.faults.push({ kind: 'status', status: 401, body: { error: { message: 'Incorrect API key provided' } } })
    await expect(summarizeTraces(store, secrets, { llm: openai(), concurrency: 1 })).rejects.toThrow(/refused: HTTP 401/)
    expect(chats()).toHaveLength(1)
  })

  it('cancel ends the run at once and keeps the summaries finished; the re-run does only the rest', async () => {
    for (let i = 0; i < ids.length; i++) fakes.oa.server.faults.push({ kind: 'slow', ms: 20 })
    const stop = new AbortController()
    let stored = 0
    const run = summarizeTraces(store, secrets, { llm: openai(), concurrency: 2, signal: stop.signal, progress: (p) => (stored = p.done ?? 0) })
    await until('3 summaries', () => stored >= 3, 20_000)
    stop.abort()
    await expect(run).rejects.toBeInstanceOf(CancelledError)
    const kept = store.traceSummaries.latestAll().length
    expect(kept).toBeGreaterThanOrEqual(3)
    expect(kept).toBeLessThan(ids.length)
    const rest = await summarizeTraces(store, secrets, { llm: openai() })
    expect(rest).toMatchObject({ summarized: ids.length - kept, skipped: kept })
  })
})

describe('trace summaries with Gemini (real SDK, fake server)', () => {
  it('summarizes through generateContent with the JSON schema', async () => {
    const r = await summarizeTraces(store, secrets, { llm: { provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: fakes.gm.baseUrl, offline: true, retry }, selection: { sample: 3 } })
    expect(r).toMatchObject({ summarized: 3, failed: [], dropped_refs: 3 })
    const req = fakes.gm.generateRequests()[0]!.body as { generationConfig: { responseJsonSchema: { required: string[] } } }
    expect(req.generationConfig.responseJsonSchema.required).toContain('flow_diagram')
  })
})

describe('before a cloud run', () => {
  const cloud: LlmConfig = { provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'https://api.openai.com/v1', offline: true }

  it('estimates tokens and cost, sending nothing', () => {
    const e = estimateTraceSummaries(store, { llm: cloud })
    expect(e).toMatchObject({ cloud: true, offline_refused: true, selected: ids.length, to_summarize: ids.length, skipped: 0 })
    expect(e.estimated_input_tokens).toBeGreaterThan(ids.length * 100)
    expect(e.estimated_cost_usd).toBeCloseTo((e.estimated_input_tokens * 0.4 + e.estimated_output_tokens * 1.6) / 1e6, 10)
  })

  it('offline mode refuses the cloud host before any request', async () => {
    await expect(summarizeTraces(store, secrets, { llm: cloud })).rejects.toBeInstanceOf(OfflineError)
  })
})
