// Pull by query against the fake PostHog API: the recordings list (filters, cursor pages, oldest
// first), concurrent pulls under the rate limits, a sync point per project and query, links back.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ByQueryInput, paceEstimate, previewByQuery, pullByQuery } from '../../electron/pull/by-query'
import { queryOfFilter } from '../../electron/pull/list'
import { RateLimiter } from '../../electron/pull/rate-limits'
import { parseFilter } from '../../electron/sessions/filter'
import { openStore, type Store } from '../../electron/store'
import { FakePosthogApi } from '../fakes/posthog-api'
import { syntheticRecording } from '../fakes/posthog-list'
import { tempDir } from '../helpers'
import { VirtualClock } from './clock'

const tmp = tempDir('sightline-by-query-')
const clock = new VirtualClock()
const HOUR = 3_600_000
let api: FakePosthogApi
let dbs = 0
const fresh = (): Store => openStore(path.join(tmp.dir, `q-${++dbs}.db`))
const sessionsOf = (store: Store) => store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: -1, offset: 0 })

beforeAll(async () => {
  api = await new FakePosthogApi().start()
  api.now = clock.now
  // 40 recordings over the last 40 hours; every 5th has an exception; persons user_0 … user_96
  for (let i = 0; i < 40; i++) api.add(syntheticRecording(i, '77', clock.now() - (40 - i) * HOUR, { errorsEvery: 5 }))
})
afterAll(async () => {
  await api.close()
  tmp.cleanup()
})

const input = (extra: Partial<ByQueryInput> = {}): ByQueryInput => ({ project: `${api.url}/project/77/replay/home`, apiKey: api.apiKey, offline: true, pageSize: 7, http: { timeoutMs: 2000, retries: 2, baseDelayMs: 10 }, ...extra })
const run = (store: Store, extra: Partial<ByQueryInput> = {}) => pullByQuery(store, input(extra), { clock })

describe('the Library filter as PostHog list filters', () => {
  it('maps what the list can answer and refuses the rest with why', () => {
    expect(queryOfFilter(parseFilter('did $exception and duration >= 30s and visited /checkout'))).toEqual({
      events: [{ id: '$exception', name: '$exception', type: 'events', order: 0, properties: [] }],
      properties: [{ key: '$current_url', type: 'event', operator: 'icontains', value: '/checkout' }],
      having_predicates: [{ key: 'duration', type: 'recording', operator: 'gt', value: 29 }],
    })
    expect(queryOfFilter(parseFilter('did $pageview where person = user_3 and url contains /p/3'))).toMatchObject({ distinct_ids: ['user_3'], events: [{ id: '$pageview', properties: [{ key: '$current_url', operator: 'icontains', value: '/p/3' }] }] })
    expect(queryOfFilter(parseFilter('errors > 0'))).toMatchObject({ having_predicates: [{ key: 'console_error_count', operator: 'gt', value: 0 }] })
    expect(() => queryOfFilter(parseFilter('not did purchase'))).toThrow(/"not" cannot be asked/)
    expect(() => queryOfFilter(parseFilter('did click'))).toThrow(/derives from the recording/)
    expect(() => queryOfFilter(parseFilter('did $pageview or duration > 1m'))).toThrow(/"or"/)
  })
})

describe('the pacer', () => {
  it('counts a request from when it was answered: a slow answer keeps the window closed as long as PostHog does', () => {
    let t = 0
    const l = new RateLimiter({ now: () => t, sleep: async () => {} }, { recording: [{ name: '1 a minute', max: 1, windowMs: 60_000 }], snapshots: [], query: [], api: [] })
    const mark = l.note('recording')
    t = 5_000 // PostHog counted it somewhere in these 5 s
    l.settle(mark)
    t = 60_000
    expect(l.wait('recording').ms).toBe(5_000)
    t = 65_000
    expect(l.wait('recording').ms).toBe(0)
  })
})

describe('pull --project', () => {
  it('pulls every match once, oldest first; a re-run pulls only what is new; links kept', async () => {
    const store = fresh()
    const first = await run(store, { filter: parseFilter('did $exception'), filterText: 'did $exception', since: '-3d', concurrency: 3 })
    expect(first).toMatchObject({ listed: 8, pulled: 8, skipped: 0, failed: [] })
    const ids = sessionsOf(store).rows.map((r) => r.id).sort()
    expect(ids).toHaveLength(8)
    expect(ids).toEqual(api.recordings.size ? [...api.recordings.values()].filter((r) => r.events.some((e) => e.event === '$exception')).map((r) => r.sessionId).sort() : [])
    expect(store.sync.link('session', ids[0]!)).toBe(`${api.url}/project/77/replay/${ids[0]}`)
    // nothing new: nothing listed past the sync point
    const again = await run(store, { filter: parseFilter('did $exception'), filterText: 'did $exception', since: '-3d' })
    expect(again).toMatchObject({ listed: 0, pulled: 0 })
    // five newer recordings, one with an exception
    for (let i = 40; i < 45; i++) api.add(syntheticRecording(i, '77', clock.now() - (45 - i) * 60_000, { errorsEvery: 5 }))
    clock.sleep(10 * 60_000)
    const next = await run(store, { filter: parseFilter('did $exception'), filterText: 'did $exception', since: '-3d' })
    expect(next).toMatchObject({ listed: 1, pulled: 1 })
    expect(sessionsOf(store).rows).toHaveLength(9)
    store.close()
  })

  it('--limit pulls the oldest N new ones; the next run continues after them', async () => {
    const store = fresh()
    const a = await run(store, { since: '-2d', limit: 10 })
    expect(a).toMatchObject({ pulled: 10, more: true })
    const b = await run(store, { since: '-2d', limit: 1000 })
    expect(b.pulled).toBe(35)
    expect(sessionsOf(store).rows).toHaveLength(45)
    store.close()
  })

  it('--hogql takes the session ids of the rows; a query without them is refused', async () => {
    const store = fresh()
    const started = clock.now() // --since counts from the run's start (pacing may move the clock during it)
    const r = await run(store, { hogql: "SELECT session_id FROM session_replay_events WHERE distinct_id = 'user_3' GROUP BY session_id LIMIT 100" })
    expect(r).toMatchObject({ listed: 1, pulled: 1 })
    // HogQL rows carry no times: the events query is still bounded (from --since, default -90d, less a day)
    const events = api.requests.filter((q) => q.path.endsWith('/query/') && /FROM events/.test(JSON.stringify(q.body))).at(-1)
    expect(JSON.stringify(events?.body)).toContain(`timestamp >= toDateTime('${new Date(started - 91 * 86_400_000).toISOString().slice(0, 19)}Z')`)
    await expect(run(store, { hogql: 'SELECT distinct_id FROM session_replay_events LIMIT 10' })).rejects.toThrow(/no session_id column/)
    // without a LIMIT PostHog answers 100 rows and hasMore
    for (let i = 100; i < 201; i++) api.add(syntheticRecording(i, '78', clock.now() - HOUR))
    await expect(run(store, { project: `${api.url}/project/78`, hogql: 'SELECT session_id FROM session_replay_events' })).rejects.toThrow(/add LIMIT/)
    store.close()
  })

  it('the preview counts what is new and how long PostHog lets it take', async () => {
    const store = fresh()
    const p = await previewByQuery(store, input({ since: '-3d' }), { clock })
    expect(p).toMatchObject({ recordings: 45, matching: 45, requests: { snapshots: 90 } })
    // free plan: 60 snapshot requests an hour bind; 90 requests → the 61st waits an hour
    expect(p.bound_by).toBe('60 snapshot requests an hour')
    expect(p.estimate_ms).toBeGreaterThanOrEqual(HOUR)
    expect(paceEstimate({ snapshots: 12 }).ms).toBe(0)
    store.close()
  })
})

// Last: it moves the shared clock on by days.
describe('recordings PostHog lists late', () => {
  it('a recording PostHog lists late (it started before the sync point) is pulled by the next run, once; the window is bounded', async () => {
    const store = fresh()
    const project = `${api.url}/project/79`
    const t0 = clock.now()
    for (let i = 0; i < 10; i++) api.add(syntheticRecording(300 + i, '79', t0 - (10 - i) * HOUR))
    const first = await run(store, { project, since: '-3d' })
    expect(first).toMatchObject({ listed: 10, pulled: 10, late: 0 })
    // ingested after that pull: one that started 5 h ago (inside the day listed again), one 30 h ago (outside)
    const late = syntheticRecording(310, '79', t0 - 5 * HOUR - 60_000)
    const tooLate = syntheticRecording(311, '79', t0 - 30 * HOUR)
    api.add(late).add(tooLate)
    api.requests.length = 0
    const second = await run(store, { project, since: '-3d' })
    expect(second).toMatchObject({ listed: 1, pulled: 1, late: 1, skipped: 0, failed: [] })
    expect(store.sessions.get(late.sessionId)).toBeDefined()
    expect(store.sessions.get(tooLate.sessionId)).toBeUndefined()
    // only the late one's snapshots were fetched: the other ten in the window were skipped by id
    const fetched = new Set(api.requests.filter((r) => r.path.includes('/snapshots')).map((r) => /session_recordings\/([^/]+)\//.exec(r.path)![1]))
    expect([...fetched]).toEqual([late.sessionId])
    expect(await run(store, { project, since: '-3d' })).toMatchObject({ listed: 0, pulled: 0, late: 0 })
    expect(sessionsOf(store).rows).toHaveLength(11)
    // two days on: the sync point moves past two new ones and the items the window has passed go
    const key = second.sync_key
    expect(store.sync.items(key)).toBe(11)
    await clock.sleep(2 * 24 * HOUR)
    for (let i = 0; i < 2; i++) api.add(syntheticRecording(320 + i, '79', clock.now() - (2 - i) * HOUR))
    expect(await run(store, { project, since: '-3d' })).toMatchObject({ listed: 2, pulled: 2, late: 0 })
    expect(store.sync.items(key)).toBe(2)
    store.close()
  })
})
