// The replay player in headless Chromium through web mode: play, keyboard seeking, a console
// error that seeks to its moment, frames that change, a replay that fetches nothing remote, and a
// third-party widget's errors shown muted.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { remoteRefsRecording } from '../fixtures/remote-refs'
import { sharedSamples } from '../helpers'
import { startWeb, type Web } from './harness'

let web: Web
let remote: http.Server
const remoteHits: string[] = []
let sessionId = ''
const START = Date.UTC(2026, 10, 1, 12, 0, 0)

const clockSeconds = async () => {
  const [m, s] = (await web.page.getByTestId('clock').innerText()).split(' / ')[0]!.split(':').map(Number)
  return m! * 60 + s!
}
const playheadMs = async () => Number(await web.page.getByTestId('clock').getAttribute('data-ms'))
/** What the fixture's heading must read at the playhead (see remote-refs.ts). */
const expectedText = async () => `Step ${Math.min(20, Math.round((await playheadMs()) / 1000))}`

beforeAll(async () => {
  // A "remote" origin: anything the replay loads from it is counted.
  remote = http.createServer((req, res) => {
    remoteHits.push(req.url ?? '')
    res.end('x')
  })
  await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r))
  const remoteUrl = `http://127.0.0.1:${(remote.address() as { port: number }).port}`
  web = await startWeb({ viewport: { width: 1280, height: 800 } })
  const file = path.join(web.dir, 'remote-refs.rrweb.json')
  fs.writeFileSync(file, JSON.stringify(remoteRefsRecording(remoteUrl, START)))
  const [result] = await importFiles(web.core.store, [file])
  expect(result!.error).toBeNull()
  sessionId = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).rows[0]!.id
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 60_000)

afterAll(async () => {
  await web?.close()
  remote?.close()
})

const frameText = () => web.page.frameLocator('[data-testid="replay-mount"] iframe').locator('#title').innerText()

describe('replay player', () => {
  it('opens a session at a deep-linked moment with its first frame', async () => {
    await web.page.goto(web.server.url.replace(/#.*/, `#/session/${encodeURIComponent(sessionId)}?t=5000`))
    await web.page.waitForSelector('[data-testid="replay-mount"] iframe')
    await expect.poll(frameText, { timeout: 10_000 }).toBe('Step 5')
    expect(await clockSeconds()).toBe(5)
  })

  it('plays, and the frame changes over time', async () => {
    const before = await web.page.locator('[data-testid="replay-mount"]').screenshot()
    await web.page.getByTestId('play').click()
    await expect.poll(playheadMs, { timeout: 10_000 }).toBeGreaterThanOrEqual(6_500)
    await web.page.keyboard.press('Space')
    await expect.poll(() => web.page.getByTestId('replay-mount').getAttribute('data-settled')).toBe('true')
    const after = await web.page.locator('[data-testid="replay-mount"]').screenshot()
    expect(Buffer.compare(before, after)).not.toBe(0)
    expect(await playheadMs()).toBeGreaterThanOrEqual(6_500)
    expect(await frameText()).toBe(await expectedText())
  })

  it('seeks with the keyboard: → +5 s, shift+← −60 s (clamped to the start)', async () => {
    const t0 = await playheadMs()
    await web.page.keyboard.press('ArrowRight')
    await expect.poll(playheadMs).toBe(t0 + 5_000)
    await expect.poll(frameText).toBe(await expectedText())
    await web.page.keyboard.press('Shift+ArrowLeft')
    await expect.poll(clockSeconds).toBe(0)
    await web.page.keyboard.press('3')
    expect(await web.page.locator('.segmented button.active').innerText()).toBe('4×')
  })

  it('clicking a console error lands the player at its time', async () => {
    await web.page.getByRole('tab', { name: /Console/ }).click()
    const row = web.page.getByTestId('console-list').locator('li', { hasText: 'boom at step 12' })
    await row.locator('button').click()
    await expect.poll(clockSeconds).toBe(12)
    await expect.poll(frameText).toBe('Step 12')
    expect(await row.locator('.stack').innerText()).toContain('app.js')
  })

  it('the replay fetched nothing from the remote origin the recording references', async () => {
    await web.page.waitForTimeout(500)
    expect(remoteHits).toEqual([])
  })

  it('a PostHog mobile recording says why it cannot be shown instead of a blank player', async () => {
    const t0 = START + 3_600_000
    const file = path.join(web.dir, 'mobile.json')
    const events = [
      { type: 4, data: { href: 'MainActivity', width: 390, height: 844 }, timestamp: t0 },
      { type: 2, data: { wireframes: [{ id: 1, x: 0, y: 0, width: 390, height: 844, type: 'text', text: 'Cart' }], initialOffset: { top: 0, left: 0 } }, timestamp: t0 + 1 },
      { type: 3, data: { source: 2, type: 7, id: 1, x: 20, y: 30 }, timestamp: t0 + 4000 },
    ]
    fs.writeFileSync(file, JSON.stringify(events))
    const [r] = await importFiles(web.core.store, [file])
    expect(r!.notes).toHaveLength(1)
    const id = r!.session_ids![0]!
    await web.page.goto(web.server.url.replace(/#.*/, `#/session/${encodeURIComponent(id)}`))
    await expect.poll(() => web.page.locator('.player-note.bad').innerText(), { timeout: 10_000 }).toContain("PostHog's mobile SDK")
    if (process.env.SCREENSHOTS) await web.page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'mobile.png') })
  })

  it("a broken third-party widget's errors are grey markers listed apart, not in the red Errors count (S6)", async () => {
    // truth.json: every error and failed request of S6 comes from the StarPanel widget (noise).
    const [r] = await importFiles(web.core.store, [path.join(sharedSamples, 'sessions/S6-thirdparty-widget-errors-purchase-ok.posthog-export.json')])
    expect(r!.error).toBeNull()
    const id = r!.session_ids![0]!
    await web.page.goto(web.server.url.replace(/#.*/, `#/session/${encodeURIComponent(id)}?t=0`))
    await expect.poll(() => web.page.getByTestId('replay-mount').getAttribute('data-settled'), { timeout: 15_000 }).toBe('true')
    const errorsFact = web.page.locator('.facts div', { hasText: /^Errors/ }).locator('dd')
    expect(await errorsFact.innerText()).toBe('0')
    expect(await errorsFact.getAttribute('class')).not.toContain('text-bad')
    // Single markers and groups alike: none red, the widget's errors grey.
    expect(await web.page.locator('.timeline .marker-error').count()).toBe(0)
    expect(await web.page.locator('.timeline .marker-noise').count()).toBeGreaterThan(3)
    const noiseTab = web.page.locator('.pane-tabs').getByRole('tab', { name: /^Noise/ })
    const listed = Number(await noiseTab.locator('.count').innerText())
    expect(listed).toBeGreaterThanOrEqual(21) // 21 console errors + the beacon's 404 (with their $exception twins when PostHog sent them)
    expect(await web.page.locator('.pane-tabs .badge.bad').count()).toBe(0)
    await noiseTab.click()
    await expect.poll(() => web.page.getByTestId('noise-list').locator('li').count()).toBeGreaterThan(5)
    expect(await web.page.getByTestId('noise-list').locator('button.bad').count()).toBe(0)
    await web.page.locator('.pane-tabs').getByRole('tab', { name: /^Events/ }).click()
    const types = await web.page.getByTestId('event-list').locator('.pane-type').allInnerTexts()
    expect(types.filter((t) => /exception|console_error/.test(t))).toEqual([])
  }, 60_000)
})
