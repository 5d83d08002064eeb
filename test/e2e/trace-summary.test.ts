// The trace viewer's summary beside the L001: text: "Summarize" makes one (offline here: no
// provider in Settings), and clicking a line ref highlights that line and scrolls it into view.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { repoRoot } from '../helpers'
import { startWeb, type Web } from './harness'

let web: Web
beforeAll(async () => {
  web = await startWeb({ viewport: { width: 1400, height: 700 } })
  // A session too: an empty Library shows the samples offer instead of its tabs.
  await importFiles(web.core.store, ['demo-shop.rrweb.json', 'demo-traces.posthog.jsonl'].map((f) => path.join(repoRoot, 'resources/samples', f)))
  // The first load carries the access token (URL fragment).
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 60_000)
afterAll(async () => web?.close())

describe('trace summary beside the text', () => {
  it('summarizes a trace and scrolls to a line ref when clicked', async () => {
    await web.page.getByRole('tab', { name: /Traces/ }).click()
    await web.page.locator('table[aria-label="Traces"] tbody tr').first().click()
    await web.page.getByTestId('span-tree').waitFor()
    const id = decodeURIComponent(web.page.url().split('#/trace/')[1]!)
    await web.page.getByRole('tab', { name: /Text/ }).click()
    await web.page.getByTestId('trace-text').locator('.tl').first().waitFor()
    await web.page.getByTestId('summarize-trace').click()
    // (the first model-layer import of the process can take seconds on a busy machine)
    await web.page.getByTestId('trace-summary').locator('h3').waitFor({ timeout: 60_000 })
    const stored = web.core.store.traceSummaries.latest(id)!
    expect(await web.page.getByTestId('trace-summary').locator('h3').innerText()).toBe(stored.title)

    const refs = web.page.getByTestId('line-ref')
    const n = await refs.count()
    expect(n).toBeGreaterThan(1)
    const last = refs.nth(n - 1)
    const ref = await last.innerText()
    const line = web.page.locator(`#line-${ref}`)
    const box = async () => {
      const pane = (await web.page.getByTestId('trace-text').boundingBox())!
      const b = (await line.boundingBox())!
      return b.y >= pane.y && b.y + b.height <= pane.y + pane.height
    }
    await last.click()
    await web.page.waitForFunction((sel) => document.querySelector(sel)?.classList.contains('hl'), `#line-${ref}`)
    expect(await box()).toBe(true)
    // The first ref scrolls back up.
    const first = await refs.first().innerText()
    await refs.first().click()
    await web.page.waitForFunction((sel) => document.querySelector(sel)?.classList.contains('hl'), `#line-${first}`)
    expect(await line.evaluate((el) => el.classList.contains('hl'))).toBe(false)
  }, 90_000)
})
