// One flag, one id (issue 16): a summary's flag that restates a detected one (cites its rows) keeps
// the detected flag's id, so do the flags of a later version; flags:list lists each flag once;
// verdicts live on the flag and make a new summary version (denied: no longer blocking), the old
// version stays as it was, and a model never overrides a person.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import { createRouter } from '../../electron/api'
import { openCore } from '../../electron/core'
import { summarizeSession, applyVerdicts, type SummarizeOptions } from '../../electron/summarize'
import type { Recorded } from '../fakes/http'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { importSample, tempDir } from './helpers'

const secrets = { get: () => 'sk-test-key' }
const tmp = tempDir()
let oa: FakeOpenAI

/** A model that restates the first blocking hint (citing its rows, under its own type) and adds one flag of its own. */
function answer(req: Recorded) {
  const user = (req.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'user')!.content
  const csv = user.slice(user.indexOf('Detector hints')).split('\n').slice(1)
  const hints = parse(csv.slice(0, csv.findIndex((l) => l === '') === -1 ? undefined : csv.findIndex((l) => l === '')).join('\n'), { columns: true }) as { t: string; label: string; rows: string }[]
  const hint = hints.find((h) => h.label === 'blocking')!
  return {
    goal: 'Buy something',
    outcome: 'failed',
    outcome_reason: 'The order could not be placed.',
    segments: [{ start_s: 0, end_s: 20, title: 'Browsing', what_happened: 'Looked at products.' }],
    key_moments: [],
    flags: [
      { type: 'checkout_broken', label: 'blocking', t_s: Number(hint.t), event_refs: hint.rows.split(' ').map(Number), confidence: 0.9, title: 'Checkout is broken', explanation: 'Restates the detector.' },
      { type: 'slow_page', label: 'friction', t_s: 3, event_refs: [], confidence: 0.5, title: 'Slow first page', explanation: 'Own finding.' },
    ],
  }
}

beforeAll(async () => {
  oa = await startFakeOpenAI(answer)
})
afterAll(async () => {
  await oa.close()
  tmp.cleanup()
})

const viaOpenAI: SummarizeOptions = { llm: { provider: 'openai', model: 'gpt-4.1-mini', baseUrl: '', offline: true, retry: { retries: 0 }, timeoutMs: 10_000 } }

describe('one flag, one id', () => {
  it('a model summary restating a detected flag, and the next version, keep its id; verdicts make a new version', async () => {
    const seed = await importSample(tmp.dir, 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl', 'identity.db')
    seed.store.close()
    const core = openCore({ db: path.join(tmp.dir, 'identity.db'), transport: 'http', secrets })
    const { store } = core
    const sessionId = seed.sessionId
    const handler = createRouter(core)
    const router = {
      call: async (channel: string, req: unknown) => {
        const r = (await handler.handle(channel as never, req)) as { ok: boolean; result?: unknown; error?: unknown }
        if (!r.ok) throw new Error(JSON.stringify(r.error))
        return r.result
      },
    }
    const detected = store.flags.list(sessionId, { origin: 'heuristic' })
    const blocking = detected.find((f) => f.blocking)!
    expect(blocking).toBeDefined()

    const llm = { ...viaOpenAI.llm, baseUrl: oa.baseUrl }
    const v1 = (await summarizeSession(store, secrets, sessionId, { llm })).summary!
    const restating = v1.flags.find((f) => f.type === 'checkout_broken')!
    // The first blocking detected flag's rows were cited: same flag, same id.
    expect(restating.id).toBe(detected.filter((d) => d.evidence.some((e) => restating.evidence.includes(e))).sort((a, b) => Number(b.blocking) - Number(a.blocking))[0]!.id)
    const own = v1.flags.find((f) => f.type === 'slow_page')!
    expect(detected.map((d) => d.id)).not.toContain(own.id)

    // A second run: the same two flags keep their ids.
    const v2 = (await summarizeSession(store, secrets, sessionId, { llm: { ...llm, model: 'gpt-4.1' } })).summary!
    expect(v2.version).toBe(v1.version + 1)
    expect(v2.flags.map((f) => f.id).sort()).toEqual(v1.flags.map((f) => f.id).sort())

    // flags:list: each flag once (the restated detected flag shows the summary's words).
    const listed = (await router.call('flags:list', { id: sessionId })) as { flags: { id: number; title: string }[] }
    expect(new Set(listed.flags.map((f) => f.id)).size).toBe(listed.flags.length)
    expect(listed.flags.find((f) => f.id === restating.id)!.title).toBe('Checkout is broken')
    expect(listed.flags.length).toBe(detected.length + 1)

    // A person denies it: a new version where it is not blocking, outcome no longer "failed" when nothing blocking is left.
    await router.call('flags:set-status', { flag_id: restating.id, status: 'denied', note: 'Order went through on retry' })
    const v3 = store.summaries.latest(sessionId)!
    expect(v3.version).toBe(v2.version + 1)
    expect(v3.verified_from).toBe(v2.version)
    const denied = v3.flags.find((f) => f.id === restating.id)!
    expect(denied).toMatchObject({ blocking: false, label: 'noise', status: 'denied', status_by: 'user' })
    expect(v3.flags.filter((f) => f.blocking)).toEqual([])
    expect(v3.outcome).toBe('unclear')
    expect(v3.outcome_reason).toContain('"Checkout is broken" denied')
    // The old version is as it was (its words), with today's status.
    const old = store.summaries.byVersion(sessionId, v2.version)!
    expect(old.outcome).toBe('failed')
    expect(old.flags.find((f) => f.id === restating.id)).toMatchObject({ blocking: true, status: 'denied' })
    // The same decision again changes nothing: no new version.
    expect(applyVerdicts(store, sessionId, Date.now())).toBeNull()

    // A model's later verdict does not override the person's; its clip is kept.
    const r = store.flags.setVerdict(restating.id, { status: 'confirmed', by: 'model', note: null, saw: 'An error banner', next: 'Left', evidence_ms: [blocking.time_ms], clip_id: null, provider: 'gemini', model: 'gemini-2.5-flash', tokens: 2600, cost_usd: 0.001 }, Date.now())!
    expect(r.applied).toBe(false)
    expect(r.flag).toMatchObject({ status: 'denied', status_by: 'user' })

    // Confirmed again by the person: blocking again, failed again.
    await router.call('flags:set-status', { flag_id: restating.id, status: 'confirmed' })
    const v4 = store.summaries.latest(sessionId)!
    expect(v4.verified_from).toBe(v2.version)
    expect(v4.flags.find((f) => f.id === restating.id)).toMatchObject({ blocking: true, status: 'confirmed' })
    expect(v4.outcome).toBe('failed')
    await core.close()
  }, 120_000)

  it('a heuristic summary lists the detected flags under their own ids', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl', 'none.db')
    const detected = store.flags.list(sessionId, { origin: 'heuristic' }).map((f) => f.id)
    const s = (await summarizeSession(store, secrets, sessionId, { llm: { provider: 'none', model: 'heuristics', baseUrl: '', offline: true } })).summary!
    expect(s.flags.map((f) => f.id).sort()).toEqual([...detected].sort())
    store.close()
  }, 60_000)
})
