// LLM traces by query: PostHog's `$ai_*` events of a date range (the shared sample: 300 traces, 2,869
// events written by the real SDKs) through the fake query API, paged on (timestamp, uuid), imported
// into the trace store; a sync point per project and query; links back to PostHog's trace page.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { previewTraces, pullTraces, tracesQuery } from '../../electron/pull/traces'
import { openStore, type Store } from '../../electron/store'
import { FakePosthogApi } from '../fakes/posthog-api'
import { sharedSamples, tempDir } from '../helpers'
import { VirtualClock } from './clock'

const SAMPLE = path.join(sharedSamples, 'traces', 'posthog-events.jsonl')
const events = fs.readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown> & { properties: Record<string, unknown> })
const tmp = tempDir('sightline-pull-traces-')
// the sample was written 2026-11-22 17:55; "now" is a day later
const clock = new VirtualClock(Date.parse('2026-11-23T18:00:00Z'))
let api: FakePosthogApi
let dbs = 0
const fresh = (): Store => openStore(path.join(tmp.dir, `t-${++dbs}.db`))
const traceCount = (s: Store) => s.traces.list({ sort: 'start_ms', dir: 'asc', limit: -1, offset: 0 }).total

beforeAll(async () => {
  api = await new FakePosthogApi().start()
  api.now = clock.now
  api.addEvents('55', events)
})
afterAll(async () => {
  await api.close()
  tmp.cleanup()
})

describe('pull --traces', () => {
  it('pages through every $ai_ event once and stores the same traces as importing the file', async () => {
    const byFile = fresh()
    await importFiles(byFile, [SAMPLE])
    const store = fresh()
    // 2,869 events in pages of 1,000: 3 queries; 120 an hour, so no wait
    expect(await previewTraces(store, { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: '-7d', pageSize: 1000 }, { clock })).toMatchObject({ events: 2869, traces: 300, queries: 3, estimate_ms: 0, bound_by: 'none' })
    // at 10 events a page, 287 queries: the 121st waits for the hour to pass
    expect(await previewTraces(store, { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: '-7d', pageSize: 10 }, { clock })).toMatchObject({ queries: 287, bound_by: '120 HogQL queries an hour' })
    const r = await pullTraces(store, { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: '-7d', pageSize: 1000 }, { clock })
    expect(r).toMatchObject({ events: 2869, pages: 3, traces: 300 })
    expect(store.sync.get(r.sync_key)).toMatchObject({ pulled: 2869 })
    expect(api.rowsServed).toBe(2869)
    expect(traceCount(store)).toBe(traceCount(byFile))
    expect(traceCount(store)).toBe(300)
    // every trace's spans as from the file, though pages cut traces in two
    const a = byFile.traces.list({ sort: 'start_ms', dir: 'asc', limit: -1, offset: 0 }).rows.map((t) => [t.id, t.spans, t.input_tokens])
    const b = store.traces.list({ sort: 'start_ms', dir: 'asc', limit: -1, offset: 0 }).rows.map((t) => [t.id, t.spans, t.input_tokens])
    expect(b).toEqual(a)
    const id = String(events[0]!.properties.$ai_trace_id)
    expect(store.sync.link('trace', id)).toBe(`${api.url}/project/55/llm-analytics/traces/${id}`)
    // nothing new after the sync point: one query, no rows
    api.rowsServed = 0
    const again = await pullTraces(store, { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: '-7d', pageSize: 500 }, { clock })
    expect(again).toMatchObject({ events: 0, pages: 0 })
    expect(api.rowsServed).toBe(0)
    // new events arrive: only they are fetched
    const later = events.slice(0, 5).map((e, i) => ({ ...e, uuid: `01a2ffff-0000-7000-8000-00000000000${i}`, timestamp: '2026-11-23T10:00:00.000Z', properties: { ...e.properties, $ai_trace_id: 'late-trace', $ai_span_id: `late-${i}` } }))
    api.addEvents('55', later)
    const next = await pullTraces(store, { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: '-7d', pageSize: 500 }, { clock })
    expect(next).toMatchObject({ events: 5, traces: 1 })
    expect(traceCount(store)).toBe(301)
    byFile.close()
    store.close()
  }, 180_000)

  it('--model pulls whole traces: every event of a trace that called the model, no event of the others', async () => {
    const model = 'gpt-4.1'
    const picked = new Set(events.filter((e) => e.properties.$ai_model === model).map((e) => String(e.properties.$ai_trace_id)))
    expect(picked.size).toBe(16)
    const theirs = events.filter((e) => picked.has(String(e.properties.$ai_trace_id)))
    // those traces hold other models' calls and events without a model: an event filter would lose them
    expect(theirs.filter((e) => e.properties.$ai_model !== model).length).toBeGreaterThan(theirs.filter((e) => e.properties.$ai_model === model).length)
    const byFile = fresh()
    await importFiles(byFile, [SAMPLE])
    const store = fresh()
    const asked = { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: '2026-11-22', model, pageSize: 100 }
    // the preview counts them with one query: the pull takes a page per 100 events and the short one
    const queries = api.requests.filter((q) => q.path.endsWith('/query/')).length
    expect(await previewTraces(store, asked, { clock })).toMatchObject({ events: theirs.length, traces: 16, queries: Math.floor(theirs.length / 100) + 1, estimate_ms: 0 })
    expect(api.requests.filter((q) => q.path.endsWith('/query/')).length).toBe(queries + 1)
    const r = await pullTraces(store, asked, { clock })
    expect(r).toMatchObject({ events: theirs.length, traces: 16, pages: Math.floor(theirs.length / 100) + 1 })
    expect(await previewTraces(store, asked, { clock })).toMatchObject({ events: 0, traces: 0, queries: 1 })
    const rows = (s: Store) => s.traces.list({ sort: 'start_ms', dir: 'asc', limit: -1, offset: 0 }).rows.map((t) => [t.id, t.spans, t.input_tokens])
    expect(rows(store)).toEqual(rows(byFile).filter(([id]) => picked.has(String(id))))
    // again: nothing new
    expect(await pullTraces(store, { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: '2026-11-22', model, pageSize: 100 }, { clock })).toMatchObject({ events: 0 })
    byFile.close()
    store.close()
  }, 60_000)

  it('a model or a person picks traces; quotes cannot break out of the query', async () => {
    expect(tracesQuery({ since: '2026-11-01T00:00:00.000Z', until: null, model: "gpt-4o-mini' OR 1=1", person: 'user_1' }, 10, null)).toContain("properties.$ai_model = 'gpt-4o-mini\\' OR 1=1'")
    const store = fresh()
    const person = String(events.find((e) => e.event === '$ai_trace')!.distinct_id)
    const r = await pullTraces(store, { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: '2026-11-22', person }, { clock })
    // the fake holds the sample and the five later events of the first test
    const all = api.extraEvents.get('55')! as typeof events
    const expected = new Set(all.filter((e) => e.distinct_id === person).map((e) => e.properties.$ai_trace_id))
    expect(r.traces).toBe(expected.size)
    // whole traces: their events by anyone (feedback, metrics) come too
    expect(r.events).toBe(all.filter((e) => expected.has(e.properties.$ai_trace_id)).length)
    expect(r.events).toBeGreaterThan(all.filter((e) => e.distinct_id === person).length)
    await expect(pullTraces(store, { project: `${api.url}/project/55`, apiKey: api.apiKey, offline: true, since: 'last tuesday' }, { clock })).rejects.toThrow(/--since takes a date/)
    store.close()
  }, 60_000)
})
