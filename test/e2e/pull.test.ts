// "Pull from PostHog…" in the Library, against a fake PostHog API (real HTTP on 127.0.0.1): a replay
// URL pulled, imported, listed, with the failure cases a support agent meets shown in the dialog;
// recordings by query with the preview's count and time; "Open in PostHog" on the pulled session.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePosthogApi, recordingFromCaptureFile, type FakeRecording } from '../fakes/posthog-api'
import { syntheticRecording } from '../fakes/posthog-list'
import { sharedSamples } from '../helpers'
import { startWeb, type Web } from './harness'

let web: Web
let api: FakePosthogApi
let s1: FakeRecording

beforeAll(async () => {
  s1 = recordingFromCaptureFile(path.join(sharedSamples, 'sessions', 'S1-happy-browse-and-buy.posthog-events.jsonl'), '4242')
  api = await new FakePosthogApi().add(s1).start()
  web = await startWeb({ secrets: { get: (name) => (name === 'posthog' ? api.apiKey : undefined) } })
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 60_000)
afterAll(async () => {
  await web?.close()
  await api?.close()
})

const dialog = () => web.page.getByRole('dialog', { name: 'Pull from PostHog' })

describe('Pull from PostHog dialog', () => {
  it('explains a link that names no recording, without starting anything', async () => {
    await web.page.getByRole('button', { name: /Pull from PostHog/ }).click()
    await dialog().getByLabel('Replay link').fill('https://eu.posthog.com/project/1/replay/home')
    await dialog().getByRole('button', { name: 'Fetch and import' }).click()
    await dialog().locator('.banner.error').waitFor()
    expect(await dialog().locator('.banner.error').innerText()).toMatch(/recording/i)
  })

  it('pulls a recording by its link and lists the session', async () => {
    await dialog().getByLabel('Replay link').fill(api.replayUrl(s1))
    await dialog().getByRole('button', { name: 'Fetch and import' }).click()
    await dialog().waitFor({ state: 'detached' })
    await web.page.waitForSelector('[data-testid="job-last"]', { timeout: 60_000 })
    expect(await web.page.getByTestId('job-last').innerText()).toMatch(/1 session/)
    await web.page.locator('table[aria-label="Sessions"] tbody tr').first().waitFor()
    expect(web.core.store.sessions.get(s1.sessionId)).toBeDefined()
    expect(api.requests.every((r) => r.auth === `Bearer ${api.apiKey}`)).toBe(true)
  })

  it('a link as posthog-js writes it (project token): a long Retry-After shows as a countdown and can be cancelled', async () => {
    const id = '01a208fc-0000-7000-8000-00000000e2e0'
    api.add({ ...s1, sessionId: id, events: s1.events.map((e) => ({ ...e, properties: { ...(e.properties as object), $session_id: id } })) })
    api.faults.push({ kind: 'status', status: 429, path: /session_recordings\/[^/]+\/$/, headers: { 'retry-after': '3600' }, body: { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled. Expected available in 3600 seconds.' } })
    await web.page.getByRole('button', { name: /Pull from PostHog/ }).click()
    await dialog().getByLabel('Replay link').fill(`${api.url}/project/${api.projectToken('4242')}/replay/${id}?t=12`)
    await dialog().getByRole('button', { name: 'Fetch and import' }).click()
    const running = web.page.getByTestId('job-running')
    await running.filter({ hasText: /Rate limited by PostHog; retrying in 3[56]\d\d s/ }).waitFor({ timeout: 30_000 })
    await running.getByRole('button', { name: /Cancel/ }).click()
    await running.waitFor({ state: 'detached' })
    expect(api.requests.some((r) => r.path.startsWith('/api/projects/?'))).toBe(true)
    expect(web.core.store.sessions.get(id)).toBeUndefined()
  })

  it('pulls the recordings that match a query, after a preview of how many and how long; the session opens in PostHog', async () => {
    const now = Date.now()
    for (let i = 0; i < 30; i++) api.add(syntheticRecording(i, '555', now - (31 - i) * 3_600_000, { errorsEvery: 10 }))
    await web.page.getByRole('button', { name: /Pull from PostHog/ }).click()
    await dialog().getByRole('tab', { name: 'Recordings by query' }).click()
    await dialog().getByLabel('Project').fill(`${api.url}/project/555`)
    await dialog().getByLabel('Filter').fill('did $exception')
    await dialog().getByLabel('Since').fill('-3d')
    await dialog().getByRole('button', { name: 'Preview' }).click()
    const preview = dialog().getByRole('status', { name: 'Preview' })
    await preview.waitFor()
    // 3 recordings with an exception: 6 snapshot requests fit the free plan's 12 a minute
    expect(await preview.innerText()).toMatch(/3 new recordings to pull; no waiting/)
    await dialog().getByRole('button', { name: 'Pull 3 recordings' }).click()
    await dialog().waitFor({ state: 'detached' })
    await web.page.getByTestId('job-last').filter({ hasText: /Pulled 3 recordings/ }).waitFor({ timeout: 60_000 })
    const ids = [...api.recordings.values()].filter((r) => r.projectId === '555' && r.events.some((e) => e.event === '$exception')).map((r) => r.sessionId)
    expect(ids.every((id) => web.core.store.sessions.get(id))).toBe(true)
    await web.page.evaluate((h) => (location.hash = h), `#/session/${ids[0]}`)
    const open = web.page.getByRole('link', { name: 'Open in PostHog' })
    await open.waitFor()
    expect(await open.getAttribute('href')).toBe(`${api.url}/project/555/replay/${ids[0]}`)
  }, 90_000)

  it('LLM traces: a preview of how many events and traces are new; the sync point is listed, and Reset makes the next pull start over', async () => {
    // three traces of the SDK sample, every event of theirs
    const sample = fs.readFileSync(path.join(sharedSamples, 'traces', 'posthog-events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { properties: Record<string, unknown> })
    const ids = [...new Set(sample.map((e) => String(e.properties.$ai_trace_id)))].slice(0, 3)
    const events = sample.filter((e) => ids.includes(String(e.properties.$ai_trace_id)))
    api.addEvents('556', events)
    await web.page.evaluate(() => (location.hash = '#/'))
    await web.page.waitForSelector('h1:text("Library")')
    await web.page.getByRole('button', { name: /Pull from PostHog/ }).click()
    await dialog().getByRole('tab', { name: 'LLM traces' }).click()
    await dialog().getByLabel('Project', { exact: true }).fill(`${api.url}/project/556`)
    await dialog().getByLabel('Since', { exact: true }).fill('2026-11-01')
    await dialog().getByRole('button', { name: 'Preview' }).click()
    const preview = dialog().getByRole('status', { name: 'Preview' })
    await preview.filter({ hasText: /new LLM event/ }).waitFor()
    expect(await preview.innerText()).toMatch(new RegExp(`^${events.length} new LLM events in 3 traces to pull \\(1 query\\); no waiting`))
    await dialog().getByRole('button', { name: 'Pull 3 traces' }).click()
    await dialog().waitFor({ state: 'detached' })
    await web.page.getByTestId('job-last').filter({ hasText: /LLM/ }).waitFor({ timeout: 60_000 })
    await expect.poll(() => ids.every((id) => web.core.store.spans.traceExists(id)), { timeout: 30_000 }).toBe(true)

    // the dialog lists the sync points (this one, and the recordings query of the test before when it ran)
    await web.page.getByRole('button', { name: /Pull from PostHog/ }).click()
    await dialog().getByRole('tab', { name: 'LLM traces' }).click()
    const stored = web.core.store.sync.list()
    await dialog().getByText(new RegExp(`^Sync points \\(${stored.length}\\)$`)).click()
    const list = dialog().getByRole('list', { name: 'Sync points' })
    const items = await list.getByRole('listitem').allInnerTexts()
    expect(items).toHaveLength(stored.length)
    expect(items).toContainEqual(expect.stringMatching(new RegExp(`^LLM traces of ${api.url}/project/556: since 2026-11-01; ${events.length} pulled, up to `)))
    if (stored.some((p) => p.kind === 'recordings')) expect(items).toContainEqual(expect.stringMatching(/^Recordings of .*\/project\/555: filter did \$exception, since -3d; 3 pulled/))
    await dialog().getByLabel('Project', { exact: true }).fill(`${api.url}/project/556`)
    await dialog().getByLabel('Since', { exact: true }).fill('2026-11-01')
    await dialog().getByRole('button', { name: 'Preview' }).click()
    await preview.filter({ hasText: /^0 new LLM events in 0 traces/ }).waitFor()
    // Reset: the list loses it, the next preview counts everything again
    await list.getByRole('button', { name: /^Reset traces sync point of .*\/project\/556/ }).click()
    await list.getByRole('listitem').filter({ hasText: 'LLM traces' }).waitFor({ state: 'detached' })
    expect(web.core.store.sync.list().map((p) => p.kind)).toEqual(stored.filter((p) => p.kind === 'recordings').map((p) => p.kind))
    await dialog().getByRole('button', { name: 'Preview' }).click()
    await preview.filter({ hasText: new RegExp(`^${events.length} new LLM events in 3 traces`) }).waitFor()
    await dialog().getByRole('button', { name: 'Cancel' }).click()
  }, 90_000)
})
