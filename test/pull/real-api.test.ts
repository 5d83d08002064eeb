// `sightline pull` against a fake PostHog API that refuses what PostHog refuses (test/fakes/posthog-api.ts,
// written from PostHog's server code): OFFSET-free event paging, replay links as posthog-js writes
// them, long-term storage, block ranges and their failures, rate limits and scopes. Waits run on a
// virtual clock shared by the client and the fake.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CancelledError } from '../../electron/errors'
import { importFiles } from '../../electron/import'
import { eventsQuery } from '../../electron/pull/events'
import type { Store } from '../../electron/store'
import { type FakePosthogApi, type FakeRecording, OFFSET_NOT_ALLOWED_MESSAGE } from '../fakes/posthog-api'
import { StuckClock, until } from './clock'
import { pullFixture, S1, sample, view } from './fixture'

const fx = pullFixture('pull-real-api', '5150', { http: { timeoutMs: 2_000, retries: 2, baseDelayMs: 10 }, eventsPageSize: 7 })
const { fresh, input, pull } = fx
let api: FakePosthogApi
let s1: FakeRecording
let byFile: Store

/** The same recording in another project, its snapshot lines spread over `n` blocks (none empty). */
function copy(rec: FakeRecording, projectId: string, n = rec.blobs.length): FakeRecording {
  const lines = rec.blobs.join('').split('\n').filter(Boolean)
  const blobs = Array.from({ length: n }, (_, i) => lines.slice(Math.floor((i * lines.length) / n), Math.floor(((i + 1) * lines.length) / n)).map((l) => l + '\n').join(''))
  return { ...rec, projectId, blobs, events: rec.events.map((e) => ({ ...e })) }
}

const paths = (re: RegExp) => api.requests.filter((q) => re.test(q.path)).map((q) => q.path.split('?')[1] ?? '')
const queries = () => api.requests.filter((q) => q.path.endsWith('/query/')).map((q) => (q.body as { query: { query: string } }).query.query)

async function post(path: string, body: unknown) {
  const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  ;({ api, s1 } = await fx.start())
  byFile = fresh()
  await importFiles(byFile, [sample(S1)])
})
afterEach(() => {
  api.faults.length = 0
  api.requests.length = 0
  api.resetRateLimits()
  api.scopes = new Set(['session_recording:read', 'query:read', 'project:read'])
  api.limits = {}
  api.throttled = 0
  s1.snapshots = s1.failingBlocks = s1.deleted = undefined
})
afterAll(() => fx.stop())

describe('events over HogQL with a personal API key', () => {
  it('the fake refuses OFFSET (even OFFSET 0) as PostHog does, and answers hasMore null to a LIMIT', async () => {
    const q = (sql: string) => post(`/api/projects/${fx.project}/query/`, { query: { kind: 'HogQLQuery', query: sql } })
    const base = `SELECT uuid, event FROM events WHERE properties.$session_id = '${s1.sessionId}' ORDER BY timestamp ASC, toString(uuid) ASC`
    expect(await q(`${base} LIMIT 5 OFFSET 0`)).toEqual({ status: 400, body: expect.objectContaining({ detail: OFFSET_NOT_ALLOWED_MESSAGE }) })
    expect(await q(`${base} LIMIT 10, 5`)).toMatchObject({ status: 400, body: { detail: OFFSET_NOT_ALLOWED_MESSAGE } })
    expect(await q(`${base} LIMIT 5`)).toMatchObject({ status: 200, body: { hasMore: null } })
    expect(await q(base)).toMatchObject({ status: 200, body: { hasMore: false } })
  })

  it('pages on (timestamp, uuid) without OFFSET, ending on a short page; every event once', async () => {
    const store = fresh()
    const r = await pull(store, input(api.replayUrl(s1)))
    expect(r).toMatchObject({ error: null, events: 26 })
    expect(view(store, s1.sessionId)).toEqual(view(byFile, s1.sessionId))
    const qs = queries()
    expect(qs).toHaveLength(4) // 7 + 7 + 7 + 5
    expect(qs.some((q) => /OFFSET/i.test(q))).toBe(false)
    expect(qs[1]).toMatch(/\(timestamp > toDateTime\('[\dT:.-]+Z', 6, 'UTC'\) OR \(timestamp = toDateTime\('[\dT:.-]+Z', 6, 'UTC'\) AND toString\(uuid\) > '[\da-f-]{36}'\)\) ORDER BY timestamp ASC, toString\(uuid\) ASC LIMIT 7$/)
  })

  it('events sharing one timestamp across page boundaries are all fetched once (uuid breaks the tie)', async () => {
    const rec = copy(s1, '5151')
    const t = String(rec.events[3]!.timestamp)
    for (const e of rec.events.slice(3, 20)) e.timestamp = t // 17 events at one instant, pages of 7
    api.add(rec)
    api.rowsServed = 0
    const r = await pull(fresh(), input(api.replayUrl(rec)))
    expect(r).toMatchObject({ error: null, events: 26 })
    expect(api.rowsServed).toBe(26)
  })

  it('the query quotes nothing but the session id, ISO times and uuids', () => {
    expect(eventsQuery('abc', {}, 10, null)).toBe("SELECT uuid, event, timestamp, distinct_id, properties, elements_chain FROM events WHERE properties.$session_id = 'abc' ORDER BY timestamp ASC, toString(uuid) ASC LIMIT 10")
  })
})

describe('replay links as posthog-js writes them', () => {
  it('/project/<project token>/replay/<id>: the token is found in the projects the key can see (paged)', async () => {
    api.add(copy(s1, '5152'))
    api.listPageSize = 1
    try {
      const r = await pull(fresh(), input(`${api.url}/project/${api.projectToken('5152')}/replay/${s1.sessionId}?t=30`))
      expect(r).toMatchObject({ error: null, sessions: 1, file: `${api.url}/project/5152/replay/${s1.sessionId}` })
      expect(paths(/^\/api\/projects\/\?/).length).toBeGreaterThan(1) // followed `next`
      expect(api.requests.some((q) => q.path.startsWith('/api/projects/5152/session_recordings/'))).toBe(true)
    } finally {
      api.listPageSize = 100
    }
  })

  it('a token no visible project has, and a key without project:read, say so', async () => {
    await expect(pull(fresh(), input(`${api.url}/project/phc_NotAProjectOfThisKey1/replay/${s1.sessionId}`))).rejects.toThrow(/token phc_NotAProjectOfThisKey1, and no project or environment this API key can see/)
    api.scopes.delete('project:read')
    await expect(pull(fresh(), input(`${api.url}/project/${api.projectToken(fx.project)}/replay/${s1.sessionId}`))).rejects.toThrow(/lacks the project:read scope \(HTTP 403\)/)
  })

  it('/replay/<id> without a project reads the key’s current project (@current)', async () => {
    api.currentProject = fx.project
    const r = await pull(fresh(), input(`${api.url}/replay/${s1.sessionId}`))
    expect(r).toMatchObject({ error: null, sessions: 1, file: `${api.url}/replay/${s1.sessionId}` })
    expect(api.requests.every((q) => q.path.startsWith('/api/projects/@current/'))).toBe(true)
  })
})

describe('snapshot sources and their failures', () => {
  it('a recording in long-term storage (one blob_v2_lts key, JSON lines) lands as the file does', async () => {
    s1.snapshots = 'blob_v2_lts'
    const store = fresh()
    expect(await pull(store, input(api.replayUrl(s1)))).toMatchObject({ error: null, snapshot_events: 251 })
    expect(view(store, s1.sessionId)).toEqual(view(byFile, s1.sessionId))
    expect(paths(/snapshots/)).toEqual(['blob_v2=true&blob_v2_lts=true', `source=blob_v2_lts&blob_key=${encodeURIComponent(`session_recordings_lts/team_id/${fx.project}/session_id/${s1.sessionId}/data`)}`])
  })

  it('45 blocks go in ranges of at most 20 keys (PostHog refuses more with a personal key)', async () => {
    const rec = copy(s1, '5153', 45)
    api.add(rec)
    const store = fresh()
    await pull(store, input(api.replayUrl(rec), { blobKeysPerRequest: 50 }))
    expect(paths(/source=blob_v2&/)).toEqual([0, 20, 40].map((a) => `source=blob_v2&start_blob_key=${a}&end_blob_key=${Math.min(a + 19, 44)}&decompress=false`))
    expect(view(store, rec.sessionId)).toEqual(view(byFile, s1.sessionId))
    const wide = await fetch(`${api.url}/api/projects/5153/session_recordings/${rec.sessionId}/snapshots?source=blob_v2&start_blob_key=0&end_blob_key=21`, { headers: { authorization: `Bearer ${api.apiKey}` } })
    expect({ status: wide.status, body: await wide.json() }).toMatchObject({ status: 400, body: { detail: 'Cannot request more than 20 blob keys at once' } })
  })

  it('a block past the last one (404 "Block index out of range"): a clear error, nothing stored', async () => {
    api.faults.push({ kind: 'status', status: 200, path: /snapshots\?blob_v2=true/, body: { sources: [0, 1, 2, 3].map((i) => ({ source: 'blob_v2', blob_key: String(i) })) } })
    const store = fresh()
    await expect(pull(store, input(api.replayUrl(s1), { blobKeysPerRequest: 2 }))).rejects.toThrow(/no longer has snapshot blocks 2–3 of recording .* \(HTTP 404: Block index out of range\): the recording changed while it was pulled\. Nothing was imported/)
    expect(store.sessions.get(s1.sessionId)).toBeUndefined()
  })

  it('a deleted recording (410 recording_deleted) is said so at once, not retried', async () => {
    s1.deleted = true
    const store = fresh()
    await expect(pull(store, input(api.replayUrl(s1)))).rejects.toThrow(/is gone \(HTTP 410\): the recording was permanently deleted\. Nothing was imported\. PostHog says: This recording has been permanently deleted/)
    expect(paths(/source=blob_v2&/)).toHaveLength(1)
    expect(store.sessions.get(s1.sessionId)).toBeUndefined()
  })

  it('blocks PostHog cannot load (502 recording_blocks_unavailable) are final, as in its player', async () => {
    s1.failingBlocks = [0, 1, 2]
    const store = fresh()
    await expect(pull(store, input(api.replayUrl(s1)))).rejects.toThrow(/could not load the stored data of snapshot blocks 0–2 .*\(HTTP 502\).* does not retry this\. Nothing was imported/)
    expect(paths(/source=blob_v2&/)).toHaveLength(1)
    expect(store.sessions.get(s1.sessionId)).toBeUndefined()
  })

  it('a range served with blocks missing (200, fewer records) is retried, then refused: never a half import', async () => {
    s1.failingBlocks = [1]
    const store = fresh()
    await expect(pull(store, input(api.replayUrl(s1)))).rejects.toThrow(/served snapshot blocks 0–2 of recording .* incompletely in 3 attempts: 2 of the 3 blocks came back .*Nothing was imported/)
    expect(paths(/source=blob_v2&/)).toHaveLength(3)
    expect(store.sessions.get(s1.sessionId)).toBeUndefined()
  })

  it('503 "over capacity": retried; if it lasts, a clear error and nothing stored', async () => {
    const busy = { kind: 'status' as const, status: 503, path: /source=blob_v2&/, body: { error: 'ClickHouse over capacity. Please retry' } }
    api.faults.push(busy)
    expect(await pull(fresh(), input(api.replayUrl(s1)))).toMatchObject({ error: null })
    api.faults.push(busy, busy, busy)
    const store = fresh()
    await expect(pull(store, input(api.replayUrl(s1)))).rejects.toThrow(/PostHog is over capacity \(HTTP 503\) and did not serve snapshot blocks 0–2 .* in 3 attempts\. Nothing was imported; try again in a few minutes\. PostHog says: ClickHouse over capacity/)
    expect(store.sessions.get(s1.sessionId)).toBeUndefined()
  })
})

describe('rate limits and scopes', () => {
  it('snapshot requests are paced under the free plan’s 12 a minute: PostHog never has to refuse one', async () => {
    const rec = copy(s1, '5154', 30)
    api.add(rec)
    const messages: string[] = []
    const before = fx.clock.now()
    // 1 listing + 30 one-block ranges per pull
    await pull(fresh(), input(api.replayUrl(rec), { blobKeysPerRequest: 1 }), { onProgress: (p) => messages.push(p.message ?? '') })
    expect(api.throttled).toBe(0)
    expect(fx.clock.now() - before).toBeGreaterThanOrEqual(2 * 60_000)
    expect(messages).toContain("Pacing requests under PostHog's limit of 12 snapshot requests a minute; next in 60 s")
  })

  it('without pacing, PostHog’s 429 is waited out however long its Retry-After (here an hour of HogQL budget)', async () => {
    api.limits = { query: [2, 3_600_000] }
    const messages: string[] = []
    const before = fx.clock.now()
    const r = await pull(fresh(), input(api.replayUrl(s1)), { pace: false, onProgress: (p) => messages.push(p.message ?? '') })
    expect(r).toMatchObject({ error: null, events: 26 })
    expect(api.throttled).toBeGreaterThan(0)
    expect(fx.clock.now() - before).toBeGreaterThanOrEqual(3_000_000)
    expect(messages.find((m) => m.startsWith('Rate limited'))).toMatch(/^Rate limited by PostHog; retrying in (3[0-6]\d\d) s$/)
  })

  it('a Retry-After wait can be cancelled at any moment', async () => {
    api.faults.push({ kind: 'status', status: 429, headers: { 'retry-after': '3600' }, body: { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled. Expected available in 3600 seconds.' } })
    const ctl = new AbortController()
    const messages: string[] = []
    const p = pull(fresh(), input(api.replayUrl(s1)), { clock: new StuckClock(), signal: ctl.signal, onProgress: (p) => messages.push(p.message ?? '') })
    await until(() => messages.includes('Rate limited by PostHog; retrying in 3600 s'), 'the countdown to start')
    ctl.abort()
    await expect(p).rejects.toBeInstanceOf(CancelledError)
    expect(api.requests).toHaveLength(1)
  })

  it('a 403 names the scope the key lacks', async () => {
    api.scopes.delete('query:read')
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/The PostHog API key lacks the query:read scope \(HTTP 403\), which the events of recording .* needs\. Add query:read to the key/)
    api.scopes = new Set(['query:read'])
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/lacks the session_recording:read scope \(HTTP 403\)/)
  })
})
