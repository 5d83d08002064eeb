// Manual verification in headless Chromium through web mode, offline: Verify on a flag renders the
// clip of its moment (a real .webm, played in a <video> beside the flag), the person denies it with
// a note, and the decision is stored as theirs; the clip can be saved under a name that says the
// session and the moment.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeFrameSource } from '../../electron/clips'
import { refreshFlags } from '../../electron/sessions'
import { importFiles } from '../../electron/import'
import { sharedSamples } from '../helpers'
import { startWeb, type Web } from './harness'

let web: Web
let sessionId = ''

beforeAll(async () => {
  web = await startWeb({ viewport: { width: 1400, height: 900 } })
  const [r] = await importFiles(web.core.store, [path.join(sharedSamples, 'sessions', 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl')])
  expect(r!.error).toBeNull()
  sessionId = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).rows[0]!.id
  refreshFlags(web.core.store, sessionId)
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
  await web.page.goto(web.server.url.replace(/#.*/, `#/session/${sessionId}`))
  await web.page.getByTestId('flag').first().waitFor({ timeout: 30_000 })
}, 60_000)
afterAll(async () => {
  await closeFrameSource()
  await web?.close()
})

describe('manual verification', () => {
  it('Verify plays the clip of the flag beside it; Deny with a note is stored as the user’s', async () => {
    const flag = web.page.getByTestId('flag').filter({ hasText: 'TypeError' }).first()
    const stored = web.core.store.flags.list(sessionId).find((f) => /TypeError/.test(f.title))!
    await flag.getByTestId('verify').click()
    const video = flag.getByTestId('flag-clip')
    await video.waitFor({ timeout: 120_000 })
    // The browser decoded it: a webm of 10 s (t − 2 s … t + 8 s, cut at the session's end).
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1)
    const duration = await video.evaluate((v: HTMLVideoElement) => v.duration)
    const clip = web.core.store.clips.forFlag(stored.id)[0]!
    expect(clip).toMatchObject({ session_id: sessionId, fps: 10, width: 960, height: 540 })
    expect(Math.abs(duration - clip.frames / 10)).toBeLessThan(0.3)
    expect(await flag.getByTestId('clip-save').getAttribute('download')).toMatch(new RegExp(`^session-${sessionId.slice(0, 8)}.*-at-\\d\\dm\\d\\ds\\.webm$`))

    await flag.getByLabel('Note').fill('The coupon button does nothing, but checkout still works')
    await flag.getByTestId('verify-deny').click()
    await expect.poll(() => flag.locator('.status').innerText()).toMatch(/Denied by user/)
    expect(await flag.getByTestId('flag-note').innerText()).toBe('The coupon button does nothing, but checkout still works')
    const after = web.core.store.flags.get(stored.id)!
    expect(after).toMatchObject({ status: 'denied', status_by: 'user', status_note: 'The coupon button does nothing, but checkout still works' })

    // Verify again: the recorded clip is reused, not rendered a second time.
    await flag.getByTestId('verify').click()
    await flag.getByTestId('flag-clip').waitFor({ timeout: 30_000 })
    expect(web.core.store.clips.forFlag(stored.id)).toHaveLength(1)
  }, 200_000)
})
