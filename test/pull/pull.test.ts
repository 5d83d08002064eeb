// `sightline pull`: a recording fetched from a fake PostHog API (real HTTP on 127.0.0.1, serving the
// shared sample capture files) lands exactly as importing the file would, once, with clear errors.
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createRouter } from '../../electron/api'
import { openCore } from '../../electron/core'
import { CancelledError } from '../../electron/errors'
import { importFiles } from '../../electron/import'
import { parseReplayUrl } from '../../electron/pull'
import type { FakePosthogApi, FakeRecording } from '../fakes/posthog-api'
import { fingerprint } from '../import/helpers'
import { until } from './clock'
import { pullFixture, S1, S4, sample, view } from './fixture'

const fx = pullFixture('pull-test', '4711', { http: { timeoutMs: 2_000, retries: 3, baseDelayMs: 20 }, eventsPageSize: 7, blobKeysPerRequest: 2 })
const PROJECT = fx.project
const { fresh, input, pull } = fx
let api: FakePosthogApi
let s1: FakeRecording
let s4: FakeRecording

beforeAll(async () => {
  ;({ api, s1, s4 } = await fx.start())
})
afterEach(() => {
  api.faults.length = 0
  api.requests.length = 0
  api.resetRateLimits()
})
afterAll(() => fx.stop())

describe('replay links', () => {
  const sid = '01a208fc-297e-74ca-85e3-79b7096f247b'
  it('cloud, self-hosted, list/playlist pages with sessionRecordingId, the API URL', () => {
    expect(parseReplayUrl(`https://us.posthog.com/project/12345/replay/${sid}?t=42`)).toEqual({
      apiBase: 'https://us.posthog.com',
      project: { kind: 'id', id: '12345' },
      sessionId: sid,
      canonical: `https://us.posthog.com/project/12345/replay/${sid}`,
    })
    expect(parseReplayUrl(`https://eu.posthog.com/project/7/replay/${sid}`)).toMatchObject({ apiBase: 'https://eu.posthog.com', project: { id: '7' } })
    expect(parseReplayUrl(`https://app.posthog.com/project/7/replay/${sid}`)).toMatchObject({ apiBase: 'https://us.posthog.com' })
    expect(parseReplayUrl(`https://posthog.acme.internal:8443/project/3/replay/${sid}`)).toMatchObject({ apiBase: 'https://posthog.acme.internal:8443', project: { id: '3' }, sessionId: sid })
    expect(parseReplayUrl(`https://us.posthog.com/project/12345/replay/home?sessionRecordingId=${sid}`)).toMatchObject({ project: { id: '12345' }, sessionId: sid })
    expect(parseReplayUrl(`https://us.posthog.com/project/12345/replay/playlists/abc123?sessionRecordingId=${sid}`)).toMatchObject({ sessionId: sid })
    expect(parseReplayUrl(`https://us.posthog.com/project/12345/person/xyz#activeTab=sessionRecordings&sessionRecordingId=${sid}`)).toMatchObject({ sessionId: sid })
    expect(parseReplayUrl(`https://us.posthog.com/api/projects/12345/session_recordings/${sid}/`)).toMatchObject({ project: { id: '12345' }, sessionId: sid })
    expect(parseReplayUrl(`https://us.posthog.com/environments/99/replay/${sid}?t=3`)).toMatchObject({ project: { kind: 'id', id: '99' }, sessionId: sid })
  })

  it('links as posthog-js builds them (project token), and links without a project', () => {
    // posthog-core.ts get_session_replay_url: endpointFor('ui', `/project/${token}/replay/${sessionId}`) + `?t=`
    expect(parseReplayUrl(`https://us.posthog.com/project/phc_AbC123dEf456GhI789/replay/${sid}?t=30`)).toEqual({
      apiBase: 'https://us.posthog.com',
      project: { kind: 'token', token: 'phc_AbC123dEf456GhI789' },
      sessionId: sid,
      canonical: `https://us.posthog.com/project/phc_AbC123dEf456GhI789/replay/${sid}`,
    })
    expect(parseReplayUrl(`https://us.posthog.com/project/sTMFPsFhdP1Ssg/replay/${sid}`)).toMatchObject({ project: { kind: 'token', token: 'sTMFPsFhdP1Ssg' } })
    expect(parseReplayUrl(`https://eu.posthog.com/replay/${sid}?t=12`)).toEqual({ apiBase: 'https://eu.posthog.com', project: { kind: 'current' }, sessionId: sid, canonical: `https://eu.posthog.com/replay/${sid}` })
  })

  it('says what is wrong with a link that cannot be pulled', () => {
    expect(() => parseReplayUrl('not a url')).toThrow(/not a URL/)
    expect(() => parseReplayUrl('https://us.posthog.com/insights/abc')).toThrow(/names no project/)
    expect(() => parseReplayUrl('https://us.posthog.com/project/1/replay/home')).toThrow(/names no recording/)
    expect(() => parseReplayUrl('https://us.posthog.com/replay/file-playback')).toThrow(/names no recording/)
    expect(() => parseReplayUrl('https://us.posthog.com/project/1/replay/file-playback')).toThrow(/names no recording/)
    expect(() => parseReplayUrl("https://us.posthog.com/project/1/replay/abc'%20OR%201=1")).toThrow(/characters/)
    expect(() => parseReplayUrl('https://us.posthog.com/shared/AbCdEf123')).toThrow(/shared replay link .*not to its events/)
    expect(() => parseReplayUrl('ftp://us.posthog.com/project/1/replay/abc')).toThrow(/http/)
  })
})

describe('pull from the PostHog API', () => {
  it('lands exactly as importing the capture file (S1: one window, paged events, blob ranges)', async () => {
    const byFile = fresh()
    const [fromFile] = await importFiles(byFile, [sample(S1)])
    const pulled = fresh()
    const progress: number[] = []
    const r = await pull(pulled, input(api.replayUrl(s1)), { onProgress: ({ fraction }) => fraction !== null && progress.push(fraction) })
    expect(r).toMatchObject({ file: `${api.url}/project/${PROJECT}/replay/${s1.sessionId}`, error: null, already_imported: false, sessions: 1 })
    expect({ events: r.events, snapshot_events: r.snapshot_events }).toEqual({ events: fromFile!.events, snapshot_events: fromFile!.snapshot_events })
    expect(r).toMatchObject({ events: 26, snapshot_events: 251 })
    expect(view(pulled, s1.sessionId)).toEqual(view(byFile, s1.sessionId))
    expect(view(pulled, s1.sessionId).row).toMatchObject({ id: s1.sessionId, windows: 1 })
    // every request carried the key; 3 blobs in ranges of 2; 26 events in pages of 7
    expect(api.requests.every((q) => q.auth === `Bearer ${api.apiKey}`)).toBe(true)
    expect(api.requests.filter((q) => q.path.includes('source=blob_v2')).map((q) => q.path.split('?')[1])).toEqual([
      'source=blob_v2&start_blob_key=0&end_blob_key=1&decompress=false',
      'source=blob_v2&start_blob_key=2&end_blob_key=2&decompress=false',
    ])
    expect(api.requests.filter((q) => q.path.endsWith('/query/'))).toHaveLength(4)
    expect(progress.at(-1)).toBeGreaterThan(0.9)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
  })

  it('two tabs (S4): both windows, same durations and counts as the file', async () => {
    const byFile = fresh()
    await importFiles(byFile, [sample(S4)])
    const pulled = fresh()
    const r = await pull(pulled, input(api.replayUrl(s4), { blobKeysPerRequest: 20 }))
    expect(r.error).toBeNull()
    const v = view(pulled, s4.sessionId)
    expect(v).toEqual(view(byFile, s4.sessionId))
    expect(v.row).toMatchObject({ windows: 2, snapshot_events: 78, events: 10 })
    expect(v.row!.duration_ms).toBe(byFile.sessions.get(s4.sessionId)!.duration_ms)
  })

  it('a second pull changes nothing (already imported); a pull after the file import adds nothing', async () => {
    const store = fresh()
    await pull(store, input(api.replayUrl(s1)))
    const before = fingerprint(store)
    const again = await pull(store, input(api.replayUrl(s1), { eventsPageSize: 100, blobKeysPerRequest: 1 }))
    expect(again).toMatchObject({ already_imported: true, error: null, sessions: 0, events: 0 })
    expect(fingerprint(store)).toBe(before)

    const other = fresh()
    await importFiles(other, [sample(S1)])
    const row = view(other, s1.sessionId)
    const merged = await pull(other, input(api.replayUrl(s1)))
    expect(merged).toMatchObject({ error: null, events: 0, snapshot_events: 0 })
    expect(view(other, s1.sessionId)).toEqual(row)
  })

  it('401: a wrong key is not retried and the error says to set POSTHOG_API_KEY (without the key)', async () => {
    const p = pull(fresh(), input(api.replayUrl(s1), { apiKey: 'phx_wrong_key_abcdef' }))
    await expect(p).rejects.toThrow(/HTTP 401.*POSTHOG_API_KEY/)
    await expect(p).rejects.not.toThrow(/phx_wrong_key_abcdef/)
    expect(api.requests).toHaveLength(1)
  })

  it('no key at all: refused before any request', async () => {
    await expect(pull(fresh(), input(api.replayUrl(s1), { apiKey: '' }))).rejects.toThrow(/POSTHOG_API_KEY/)
    expect(api.requests).toHaveLength(0)
  })

  it('403 and 404 (unknown recording, wrong project) say what to check', async () => {
    api.faults.push({ kind: 'status', status: 403, body: { type: 'authentication_error', code: 'permission_denied', detail: 'You do not have permission to perform this action.' } })
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/HTTP 403.*session_recording:read/)
    await expect(pull(fresh(), input(`${api.url}/project/${PROJECT}/replay/01a20000-0000-7000-8000-000000000000`))).rejects.toThrow(
      /no recording 01a20000-0000-7000-8000-000000000000 in project 4711 .*HTTP 404.*project id/,
    )
    await expect(pull(fresh(), input(`${api.url}/project/1/replay/${s1.sessionId}`))).rejects.toThrow(/in project 1 .*HTTP 404/)
  })

  it('a host that answers with a web page (not PostHog) is not retried', async () => {
    api.faults.push({ kind: 'raw', text: '<!doctype html><title>Some other app</title>' })
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/did not answer like PostHog's API .*PostHog instance/)
    expect(api.requests).toHaveLength(1)
  })

  it('429 with Retry-After: waits as asked (a countdown on the virtual clock), then succeeds', async () => {
    api.faults.push({ kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: { type: 'throttled_error', detail: 'Request was throttled. Expected available in 3 seconds.' } })
    const before = fx.clock.now()
    const messages: string[] = []
    const r = await pull(fresh(), input(api.replayUrl(s1)), { onProgress: (p) => messages.push(p.message ?? '') })
    expect(r.error).toBeNull()
    expect(fx.clock.now() - before).toBeGreaterThanOrEqual(3000)
    expect(messages.filter((m) => m.startsWith('Rate limited'))).toEqual(['Rate limited by PostHog; retrying in 3 s', 'Rate limited by PostHog; retrying in 2 s', 'Rate limited by PostHog; retrying in 1 s'])
    expect(api.requests[0]!.path).toBe(api.requests[1]!.path)
  })

  it('5xx is retried with backoff; a server that keeps failing gives up with a clear error', async () => {
    api.faults.push({ kind: 'status', status: 503, path: /snapshots\?source=/ }, { kind: 'status', status: 500, path: /snapshots\?source=/ })
    expect((await pull(fresh(), input(api.replayUrl(s1)))).error).toBeNull()
    api.requests.length = 0
    for (let i = 0; i < 4; i++) api.faults.push({ kind: 'status', status: 502, path: /query/ })
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/HTTP 502.*events of recording.*after 4 attempts/)
  })

  it('a slow response times out and is retried; one that never comes gives up', async () => {
    const fast = { timeoutMs: 300, retries: 1, baseDelayMs: 10 }
    api.faults.push({ kind: 'slow', ms: 1_000, path: /snapshots\?blob_v2=true&blob_v2_lts=true$/ })
    const r = await pull(fresh(), input(api.replayUrl(s1), { http: fast }))
    expect(r.error).toBeNull()
    api.faults.push({ kind: 'slow', ms: 1_000 }, { kind: 'slow', ms: 1_000 })
    await expect(pull(fresh(), input(api.replayUrl(s1), { http: fast }))).rejects.toThrow(/did not answer recording .* after 2 attempts: no answer within/)
  })

  it('cancelling stops a request in flight and writes nothing', async () => {
    const store = fresh()
    const ctl = new AbortController()
    // the answer would take a minute: only cancelling can end this test in time
    api.faults.push({ kind: 'slow', ms: 60_000, path: /query/ })
    const p = pull(store, input(api.replayUrl(s1)), { signal: ctl.signal })
    await until(() => api.requests.some((q) => q.path.endsWith('/query/')), 'the events query to reach the server')
    ctl.abort()
    await expect(p).rejects.toBeInstanceOf(CancelledError)
    expect(store.sessions.get(s1.sessionId)).toBeUndefined()
  })

  it('offline mode refuses a cloud host before any socket opens, and says how to allow it', async () => {
    const spy = vi.spyOn(globalThis, 'fetch')
    try {
      const p = pull(fresh(), input(`https://us.posthog.com/project/${PROJECT}/replay/${s1.sessionId}`))
      await expect(p).rejects.toThrow(/Offline mode is on: refusing to pull from us\.posthog\.com.*--no-offline.*Settings/)
      expect(spy).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
    }
  })

  it('redirects: followed with the key on the same origin; another origin gets no key; a cloud host offline is not followed', async () => {
    const meta = new RegExp(`session_recordings/${s1.sessionId}/$`)
    // same origin (a proxy moving the API): followed, key kept
    api.faults.push({ kind: 'status', status: 302, path: /snapshots\?blob_v2=true/, headers: { location: `/api/environments/${PROJECT}/session_recordings/${s1.sessionId}/snapshots?blob_v2=true&blob_v2_lts=true` } })
    expect((await pull(fresh(), input(api.replayUrl(s1)))).error).toBeNull()
    expect(api.requests.filter((r) => r.path.startsWith('/api/environments/')).map((r) => r.auth)).toEqual([`Bearer ${api.apiKey}`])
    // localhost is another origin than 127.0.0.1: the key is dropped, so the fake answers 401
    api.requests.length = 0
    api.faults.push({ kind: 'status', status: 307, path: meta, headers: { location: `${api.url.replace('127.0.0.1', 'localhost')}/api/projects/${PROJECT}/session_recordings/${s1.sessionId}/` } })
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/HTTP 401/)
    expect(api.requests.map((r) => r.auth)).toEqual([`Bearer ${api.apiKey}`, undefined])
    // offline: a hop to a cloud host is refused before any connection
    api.faults.push({ kind: 'status', status: 302, path: meta, headers: { location: `https://us.posthog.com/api/projects/${PROJECT}/session_recordings/${s1.sessionId}/` } })
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/redirected to us\.posthog\.com.*not followed/)
  })
})

describe('pull:start', () => {
  it('runs as a job whose result is the import result; offline refusal and bad links fail at once', async () => {
    const core = openCore({ db: path.join(fx.dir, 'router.db'), transport: 'http', secrets: { get: (n) => (n === 'posthog' ? api.apiKey : undefined) } })
    try {
      const changes: string[] = []
      const router = createRouter(core, { onChanged: (w) => changes.push(w) })
      const res = await router.handle('pull:start', { url: api.replayUrl(s1) })
      expect(res.ok).toBe(true)
      const { job } = (res as { ok: true; result: { job: { id: string; kind: string } } }).result
      expect(job.kind).toBe('pull')
      const done = await core.jobs.wait(job.id)
      expect(done).toMatchObject({ state: 'done', progress: 1 })
      expect(done.result).toMatchObject([{ file: api.replayUrl(s1), error: null, sessions: 1, events: 26, snapshot_events: 251 }])
      expect(changes).toContain('sessions')
      expect(await router.handle('sessions:get', { id: s1.sessionId })).toMatchObject({ ok: true, result: { id: s1.sessionId } })

      const offline = await router.handle('pull:start', { url: `https://eu.posthog.com/project/1/replay/${s1.sessionId}` })
      expect(offline).toMatchObject({ ok: false, error: { code: 'user_error', message: expect.stringMatching(/Offline mode is on.*Settings/) } })
      expect(await router.handle('pull:start', { url: 'https://eu.posthog.com/project/1/replay/home' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
      expect(await router.handle('pull:start', {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
      expect(core.jobs.list().filter((j) => j.kind === 'pull')).toHaveLength(1)
    } finally {
      await core.close()
    }
  })
})
