// The Session page's summary pane in headless Chromium: an offline summary (no model), flags that
// seek the player to their moment, and a manual confirm that is stored.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { sharedSamples } from '../helpers'
import { startWeb, type Web } from './harness'

let web: Web
let sessionId = ''

beforeAll(async () => {
  web = await startWeb({ viewport: { width: 1400, height: 860 } })
  const [r] = await importFiles(web.core.store, [path.join(sharedSamples, 'sessions', 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl')])
  expect(r!.error).toBeNull()
  sessionId = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).rows[0]!.id
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
  await web.page.goto(web.server.url.replace(/#.*/, `#/session/${sessionId}`))
  await web.page.waitForSelector('.summary')
}, 60_000)
afterAll(async () => web?.close())

const playheadMs = async () => Number(await web.page.getByTestId('clock').getAttribute('data-ms'))

describe('summary pane', () => {
  it('flags not yet detected by these detectors are offered to be detected again; then the TypeError is among them as blocking', async () => {
    // Stored without the import job (importFiles directly): listing never detects, it says so.
    const stale = web.page.getByTestId('flags-stale')
    await stale.waitFor()
    expect(await web.page.getByTestId('flag').count()).toBe(0)
    await stale.getByRole('button', { name: 'Detect again' }).click()
    await stale.waitFor({ state: 'detached', timeout: 30_000 })
    await web.page.getByTestId('flag').first().waitFor()
    const flags = await web.page.getByTestId('flag').allInnerTexts()
    expect(flags.some((f) => /blocking/.test(f) && /TypeError/.test(f))).toBe(true)
  })

  it('summarizes offline with provider none and shows the outcome', async () => {
    await web.page.getByRole('button', { name: 'Summarize' }).click()
    await web.page.waitForSelector('.summary-goal', { timeout: 30_000 })
    expect(await web.page.locator('.summary-meta').innerText()).toMatch(/Offline summary/)
    expect(await web.page.locator('.summary-body .badge').innerText()).toBe('Failed')
  })

  it('clicking a flag seeks the player to its moment', async () => {
    const flag = web.page.getByTestId('flag').filter({ hasText: 'TypeError' }).first()
    const stored = web.core.store.flags.list(sessionId).find((f) => /TypeError/.test(f.title))!
    await flag.locator('.flag-main').click()
    const start = web.core.store.replay.chunkIndex(sessionId)[0]!.start_ms
    await expect.poll(playheadMs).toBe(stored.time_ms - start)
  })

  it('a manual confirm is stored and shown', async () => {
    const flag = web.page.getByTestId('flag').filter({ hasText: 'TypeError' }).first()
    await flag.getByRole('button', { name: 'Confirm flag' }).click()
    await expect.poll(() => flag.locator('.status').innerText()).toMatch(/Confirmed by user/)
    const stored = web.core.store.flags.list(sessionId).find((f) => /TypeError/.test(f.title))!
    expect(stored.status).toBe('confirmed')
  })
})
