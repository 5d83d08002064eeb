// Session summaries end to end with the real SDKs against fake servers on 127.0.0.1: what is sent
// (CSV with aliases, no PII of S5, the schema), versions, flags, dry runs, sequential segments
// resumed after an interruption, invalid answers kept, provider none, offline mode.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRouter } from '../../electron/api'
import { openCore } from '../../electron/core'
import { ModelOutputError, ModelRequestError, OfflineError } from '../../electron/llm'
import { summarizeSession, type SummarizeOptions } from '../../electron/summarize'
import type { Store } from '../../electron/store'
import type { Recorded } from '../fakes/http'
import { fakeModelServers } from '../fakes/model-servers'
import { importSample, S5_SECRETS, tempDir } from './helpers'

const KEY = 'sk-test-NeverStoreThisKey0123456789abcdef'
const secrets = { get: () => KEY }
const fast = { retries: 3, baseMs: 5, maxMs: 20 }
const tmp = tempDir()

/** A valid answer that cites the first rows; its goal names the call so segments can be told apart. */
function answer(req: Recorded) {
  const n = (JSON.stringify(req.body).match(/segment (\d+) of/) ?? [])[1] ?? '1'
  return {
    goal: `Buy something (through segment ${n})`,
    outcome: 'failed',
    outcome_reason: 'The order could not be placed.',
    segments: [{ start_s: 0, end_s: 20, title: 'Browsing', what_happened: 'Looked at products.' }],
    key_moments: [{ t_s: 11.5, description: 'Coupon button did nothing', event_refs: [2] }],
    flags: [
      { type: 'checkout_error', label: 'blocking', t_s: 39.7, event_refs: [1, 2], confidence: 0.9, title: 'Place order throws', explanation: 'TypeError on submit.' },
      { type: 'widget_errors', label: 'noise', t_s: 5, event_refs: [], confidence: 0.6, title: 'Console noise', explanation: 'Not noticed.' },
    ],
  }
}

const fakes = fakeModelServers(answer)
afterAll(() => tmp.cleanup())

const viaOpenAI = (over: Partial<SummarizeOptions['llm']> = {}): SummarizeOptions => ({
  llm: { provider: 'openai', model: 'gpt-4.1-mini', baseUrl: fakes.oa.baseUrl, offline: true, retry: fast, timeoutMs: 5000, ...over },
})
const userText = (r: Recorded) => (r.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'user')!.content

describe('summary through OpenAI (real SDK)', () => {
  let store: Store
  let sid: string
  beforeAll(async () => {
    ;({ store, sessionId: sid } = await importSample(tmp.dir, 'S5-pii-order-refund-chat.posthog-events.jsonl', 'openai.db'))
  })
  afterAll(() => store.close())

  it('sends one call with the CSV table, aliases, hints and the schema, and none of S5’s personal data', async () => {
    const r = await summarizeSession(store, secrets, sid, viaOpenAI())
    const reqs = fakes.oa.chatRequests()
    expect(reqs).toHaveLength(1)
    const body = reqs[0]!.body as { response_format: { json_schema: { schema: { required: string[] } } } }
    expect(body.response_format.json_schema.schema.required).toEqual(['goal', 'outcome', 'outcome_reason', 'segments', 'key_moments', 'flags'])
    const user = userText(reqs[0]!)
    expect(user).toContain('e,t,event,target,el,url,detail')
    expect(user).toMatch(/^url_1,/m)
    expect(user).toMatch(/,nav,,,url_\d+,/)
    expect(user).toContain('Detector hints')
    expect(user).toContain('http_error_after_action')
    for (const s of S5_SECRETS) expect(reqs[0]!.text).not.toContain(s)
    expect(reqs[0]!.text).not.toMatch(/refund to bank account|refund%20to%20bank/)
    expect(r.summary).toMatchObject({ version: 1, kind: 'model', outcome: 'failed', provider: 'openai' })
    expect(r.summary!.usage.calls).toBe(1)
    expect(r.summary!.usage.cost_usd).toBe(0) // a loopback server: local, free
  })

  it('maps times and row citations back to epoch ms and event ids; flags start unverified', async () => {
    const s = store.summaries.latest(sid)!
    const start = store.sessions.get(sid)!.start_ms
    const blocking = s.flags.find((f) => f.type === 'checkout_error')!
    expect(blocking).toMatchObject({ origin: 'model', label: 'blocking', blocking: true, severity: 'high', status: 'unverified', confidence: 0.9 })
    expect(Math.abs(blocking.time_ms - (start + 39_700))).toBeLessThan(2000)
    const ids = new Set(store.events.bySession(sid).map((e) => e.id))
    expect(blocking.evidence.length).toBeGreaterThan(0)
    for (const id of blocking.evidence) expect(ids.has(id)).toBe(true)
    expect(s.flags.find((f) => f.type === 'widget_errors')).toMatchObject({ label: 'noise', blocking: false })
  })

  it('adds a version on every run and never changes an old one', async () => {
    const v1 = store.summaries.byVersion(sid, 1)!
    fakes.oa.answer = (req) => ({ ...answer(req), outcome: 'partly' })
    try {
      const r = await summarizeSession(store, secrets, sid, viaOpenAI())
      expect(r.summary!.version).toBe(2)
      expect(store.summaries.byVersion(sid, 1)).toEqual(v1)
      expect(store.summaries.latest(sid)!.outcome).toBe('partly')
      expect(store.summaries.versions(sid).map((v) => v.version)).toEqual([2, 1])
    } finally {
      fakes.oa.answer = answer
    }
  })

  it('a dry run sends nothing and shows exactly the request a real run sends', async () => {
    const d = (await summarizeSession(store, secrets, sid, { ...viaOpenAI(), dryRun: true })).dry_run!
    expect(fakes.oa.chatRequests()).toHaveLength(0)
    expect(d).toMatchObject({ provider: 'openai', cloud: false, offline_refused: false, segments: 1, estimated_cost_usd: 0 })
    expect(d.estimated_input_tokens).toBeGreaterThan(500)
    expect(d.redaction.find((x) => x.category === 'emails')!.count).toBeGreaterThan(0)
    await summarizeSession(store, secrets, sid, viaOpenAI())
    const sent = fakes.oa.chatRequests()[0]!.body as { messages: { role: string; content: string }[] }
    expect(sent.messages).toEqual([
      { role: 'system', content: d.requests[0]!.system },
      { role: 'user', content: d.requests[0]!.user },
    ])
    const cloud = (await summarizeSession(store, secrets, sid, { llm: { provider: 'openai', model: 'gpt-4.1-mini', baseUrl: '', offline: true }, dryRun: true })).dry_run!
    expect(cloud).toMatchObject({ cloud: true, offline_refused: true })
    expect(cloud.estimated_cost_usd).toBeGreaterThan(0)
  })

  it('an invalid answer is an error; the raw text is kept and no version is added', async () => {
    const before = store.summaries.versions(sid).length
    fakes.oa.server.faults.push({ kind: 'model_text', text: '{"goal": "buy", "outcome": "won' })
    const e = await summarizeSession(store, secrets, sid, viaOpenAI()).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ModelOutputError)
    expect(store.summaries.versions(sid)).toHaveLength(before)
    expect(store.summaries.failures(sid)[0]).toMatchObject({ raw: '{"goal": "buy", "outcome": "won', segment: 0 })
  })

  it('with offline on, a non-loopback base URL is refused before any request', async () => {
    const e = await summarizeSession(store, secrets, sid, viaOpenAI({ baseUrl: 'https://api.openai.com/v1' })).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(OfflineError)
    expect(fakes.oa.server.requests).toHaveLength(0)
  })

  it('never stores the key', () => {
    store.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(fs.readFileSync(store.file).includes(Buffer.from(KEY))).toBe(false)
  })
})

describe('long sessions: sequential segments', () => {
  it('splits when the context is too small, passes the summary so far, and resumes an interrupted run without repeating calls', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S5-pii-order-refund-chat.posthog-events.jsonl', 'segments.db')
    try {
      const opts = viaOpenAI({ contextTokens: 2000 })
      const plan = (await summarizeSession(store, secrets, sessionId, { ...opts, dryRun: true, maxOutputTokens: 400 })).dry_run!
      expect(plan.segments).toBeGreaterThan(1)
      // Segment 1 answers; segment 2 keeps failing: the run stops with a clear error.
      fakes.oa.server.faults.push({ kind: 'slow', ms: 0 }, ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })))
      const e = await summarizeSession(store, secrets, sessionId, { ...opts, maxOutputTokens: 400 }).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(ModelRequestError)
      expect((e as Error).message).toMatch(/after 4 attempts: HTTP 503/)
      expect(store.summaries.versions(sessionId)).toHaveLength(0)
      const firstRun = fakes.oa.chatRequests().length
      expect(firstRun).toBe(5)
      // The re-run starts at segment 2 with segment 1's answer as the summary so far.
      const r = await summarizeSession(store, secrets, sessionId, { ...opts, maxOutputTokens: 400 })
      const rerun = fakes.oa.chatRequests().slice(firstRun)
      expect(rerun).toHaveLength(plan.segments - 1)
      expect(userText(rerun[0]!)).toMatch(new RegExp(`segment 2 of ${plan.segments}`))
      expect(userText(rerun[0]!)).toContain('Summary so far:')
      expect(userText(rerun[0]!)).toContain('through segment 1')
      expect(r.summary!.version).toBe(1)
      expect(r.summary!.usage.calls).toBe(plan.segments)
      expect(r.summary!.goal).toContain(`through segment ${plan.segments}`)
      for (const q of fakes.oa.chatRequests()) for (const s of S5_SECRETS) expect(q.text).not.toContain(s)
      expect(store.summaries.versions(sessionId)).toHaveLength(1)
    } finally {
      store.close()
    }
  })
})

describe('summary through Gemini (real SDK)', () => {
  it('sends the same reduced session with a JSON schema and stores a version', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S2-checkout-typeerror-rage-leave.posthog-export.json', 'gemini.db')
    try {
      const r = await summarizeSession(store, secrets, sessionId, { llm: { provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: fakes.gm.baseUrl, offline: true, retry: fast } })
      const [req] = fakes.gm.generateRequests()
      const body = req!.body as { contents: { parts: { text: string }[] }[]; generationConfig: { responseJsonSchema: { required: string[] } } }
      expect(body.generationConfig.responseJsonSchema.required).toContain('flags')
      expect(body.contents[0]!.parts[0]!.text).toContain('e,t,event,target,el,url,detail')
      expect(body.contents[0]!.parts[0]!.text).toContain('rage_click')
      expect(r.summary).toMatchObject({ version: 1, provider: 'gemini', model: 'gemini-2.5-flash' })
    } finally {
      store.close()
    }
  })
})

describe('provider none', () => {
  it('makes an offline summary from the heuristics, labelled as such, without any request', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S6-thirdparty-widget-errors-purchase-ok.posthog-events.jsonl', 'none.db')
    try {
      const r = await summarizeSession(store, secrets, sessionId, { llm: { provider: 'none', model: 'heuristics', baseUrl: '', offline: true } })
      expect(r.summary).toMatchObject({ kind: 'heuristic', provider: 'none', outcome: 'unclear', usage: { calls: 0 } })
      expect(r.summary!.goal).toMatch(/offline from heuristics/)
      expect(r.summary!.flags.some((f) => f.blocking)).toBe(false)
      expect(fakes.oa.server.requests).toHaveLength(0)
    } finally {
      store.close()
    }
  })
})

describe('router channels', () => {
  it('summary:run (dry run and job), summary:get, flags:list, flags:set-status', async () => {
    const db = path.join(tmp.dir, 'router.db')
    const seed = await importSample(tmp.dir, 'S3-search-500-spa.posthog-events.jsonl', 'router.db')
    seed.store.close()
    const core = openCore({ db, transport: 'http', secrets })
    try {
      core.store.settings.set({ provider: 'openai', model: 'gpt-4.1-mini', base_url: fakes.oa.baseUrl, offline: true })
      const router = createRouter(core)
      const id = seed.sessionId
      const dry = await router.handle('summary:run', { id, dryRun: true })
      expect(dry).toMatchObject({ ok: true, result: { job: null, dry_run: { provider: 'openai', segments: 1 } } })
      expect(fakes.oa.chatRequests()).toHaveLength(0)
      const run = (await router.handle('summary:run', { id })) as { ok: true; result: { job: { id: string } } }
      const done = await core.jobs.wait(run.result.job.id)
      expect(done).toMatchObject({ state: 'done', result: { session_id: id, version: 1, kind: 'model', outcome: 'failed' } })
      const got = (await router.handle('summary:get', { id })) as { ok: true; result: { latest: { version: number; flags: unknown[] }; versions: unknown[] } }
      expect(got.result.latest.version).toBe(1)
      expect(got.result.versions).toHaveLength(1)
      const list = (await router.handle('flags:list', { id })) as { ok: true; result: { flags: { id: number; origin: string; type: string }[]; summary_version: number } }
      expect(list.result.summary_version).toBe(1)
      expect(new Set(list.result.flags.map((f) => f.origin))).toEqual(new Set(['heuristic', 'model']))
      const h = list.result.flags.find((f) => f.origin === 'heuristic' && f.type === 'http_error_after_action')!
      expect(await router.handle('flags:set-status', { flag_id: h.id, status: 'confirmed', note: 'seen in the replay' })).toMatchObject({ ok: true, result: { status: 'confirmed', status_by: 'user' } })
      const again = (await router.handle('flags:list', { id, origin: 'heuristic' })) as { ok: true; result: { flags: { id: number; status: string }[] } }
      expect(again.result.flags.find((f) => f.id === h.id)!.status).toBe('confirmed')
      expect(await router.handle('flags:set-status', { flag_id: 999999, status: 'denied' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
      expect(await router.handle('summary:get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
      expect(await router.handle('summary:run', { id, provider: 'claude' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    } finally {
      await core.close()
    }
  })
})
