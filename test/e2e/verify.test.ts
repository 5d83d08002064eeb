// Verification in headless Chromium through web mode. By hand, offline: Verify on a flag renders the
// clip of its moment (a real .webm, played in a <video> beside the flag), the person denies it with
// a note, and the decision is stored as theirs; the clip can be saved under a name that says the
// session and the moment. With a model (a fake Gemini on 127.0.0.1 through the real SDK): Ask the
// model → the verdict, what the user saw and the clip it saw appear on the flag, its timeline marker
// turns red, the summary gets a version; a cloud model shows what is sent, the pixel notice and
// offline mode's refusal first.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeFrameSource } from '../../electron/clips'
import { refreshFlags } from '../../electron/sessions'
import { importFiles } from '../../electron/import'
import { sharedSamples } from '../helpers'
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server'
import { startWeb, type Web } from './harness'

let web: Web
let gm: FakeGemini
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
  await gm?.close()
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

describe('verification by a model', () => {
  it('Ask the model: the verdict, what the user saw and its clip on the flag; the marker turns red; a new summary version', async () => {
    gm = await startFakeGemini(() => ({ verdict: 'confirmed', what_user_saw: 'A red error banner above the Place order button', what_user_did_next: 'Clicked it four more times, then left', evidence_s: [2.5], explanation: 'The banner is on screen for the rest of the clip.' }))
    web.core.store.settings.set({ provider: 'gemini', model: 'gemini-2.5-flash', base_url: gm.baseUrl, offline: true })
    const target = web.core.store.flags.list(sessionId, { origin: 'heuristic' }).find((f) => f.blocking && f.status === 'unverified')!
    await web.page.reload()
    const flag = web.page.getByTestId('flag').filter({ hasText: target.title }).first()
    await flag.waitFor({ timeout: 30_000 })
    await flag.getByTestId('verify').click()
    // A model on this machine: no estimate to confirm, the job starts at once.
    await flag.getByTestId('verify-model').click()
    await expect.poll(() => flag.getByTestId('flag-status').innerText(), { timeout: 120_000 }).toMatch(/Confirmed by gemini-2\.5-flash/)
    const verdict = flag.getByTestId('flag-verdict')
    expect(await verdict.innerText()).toContain('A red error banner above the Place order button')
    expect(await verdict.innerText()).toContain('Clicked it four more times, then left')
    expect(gm.generateRequests()).toHaveLength(1)
    // The clip the model saw plays on the flag.
    await verdict.getByTestId('verdict-clip').click()
    const video = verdict.getByTestId('flag-clip')
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 }).toBeGreaterThanOrEqual(1)
    // The flag's marker on the timeline says confirmed.
    expect(await web.page.locator('.marker.marker-flag.flag-confirmed').count()).toBeGreaterThanOrEqual(1)
    expect(web.core.store.flags.get(target.id)).toMatchObject({ status: 'confirmed', status_by: 'model' })
    await web.page.screenshot({ path: path.join(process.env.SIGHTLINE_SHOTS ?? '/tmp', 'verify-model.png') })
  }, 200_000)

  it('a cloud model: the estimate, the pixel notice and the mask setting come first; offline mode refuses it', async () => {
    web.core.store.settings.set({ provider: 'gemini', model: 'gemini-2.5-flash', base_url: 'https://generativelanguage.googleapis.com', offline: true, clip_mask_text: true })
    await web.page.reload()
    const flag = web.page.getByTestId('flag').filter({ hasNot: web.page.getByTestId('flag-verdict') }).first()
    await flag.waitFor({ timeout: 30_000 })
    await flag.getByTestId('verify').click()
    await flag.getByTestId('verify-model').click()
    const est = flag.getByTestId('verify-estimate')
    await est.waitFor({ timeout: 30_000 })
    const text = await est.innerText()
    expect(text).toMatch(/Sends a \d+ s video of this moment \(768×432\) to gemini-2\.5-flash at generativelanguage\.googleapis\.com/)
    expect(text).toMatch(/Redaction applies to text, not to pixels/)
    expect(text).toMatch(/Offline mode is on/)
    expect(await flag.getByTestId('verify-mask').isChecked()).toBe(true)
    expect(await flag.getByTestId('verify-send').isDisabled()).toBe(true)
    await web.page.screenshot({ path: path.join(process.env.SIGHTLINE_SHOTS ?? '/tmp', 'verify-estimate.png') })
  }, 100_000)
})
