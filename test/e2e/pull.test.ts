// "Replay link…" in the Library: a PostHog replay URL pulled from a fake PostHog API (real HTTP on
// 127.0.0.1), imported, listed, with the failure cases a support agent meets shown in the dialog.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePosthogApi, recordingFromCaptureFile, type FakeRecording } from '../fakes/posthog-api'
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

const dialog = () => web.page.getByRole('dialog', { name: 'Paste a replay link' })

describe('Replay link dialog', () => {
  it('explains a link that names no recording, without starting anything', async () => {
    await web.page.getByRole('button', { name: /Replay link/ }).click()
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
    await web.page.getByRole('button', { name: /Replay link/ }).click()
    await dialog().getByLabel('Replay link').fill(`${api.url}/project/${api.projectToken('4242')}/replay/${id}?t=12`)
    await dialog().getByRole('button', { name: 'Fetch and import' }).click()
    const running = web.page.getByTestId('job-running')
    await running.filter({ hasText: /Rate limited by PostHog; retrying in 3[56]\d\d s/ }).waitFor({ timeout: 30_000 })
    await running.getByRole('button', { name: /Cancel/ }).click()
    await running.waitFor({ state: 'detached' })
    expect(api.requests.some((r) => r.path.startsWith('/api/projects/?'))).toBe(true)
    expect(web.core.store.sessions.get(id)).toBeUndefined()
  })
})
