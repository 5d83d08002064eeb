// The topic slider in headless Chromium (web mode): moved from the keyboard it re-cuts the stored
// run, and the chart, the legend and the scatter's colours show the new number of topics; a
// reload keeps it; a run stored without its merge order has the slider disabled with the reason.
// Screenshot: $TMPDIR/sightline-shots/clusters-topics.png.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { seedRun } from '../clusters/fixture'
import { openClusters, SHOTS } from './clusters-fixture'
import type { Web } from './harness'

let web: Web
let runId: string

/** Topic rows of the distribution chart (Outliers excluded). */
const barTopics = (page: Page) => page.evaluate(() => Number(document.querySelector('[data-testid="cluster-bars"]')?.getAttribute('data-topics') ?? -1))

/** Distinct colours of the scatter's points (topics + the outliers' grey while colouring by topic). */
const scatterColours = (page: Page) =>
  page.evaluate(() => {
    const s = (document.querySelector('[data-testid="scatter"]') as unknown as { scatter?: { style?: { color: Uint8Array } } }).scatter
    return s?.style ? new Set(s.style.color).size : 0
  })

const waitFor = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setImmediate(r))
  }
}

beforeAll(async () => {
  web = await openClusters((store) => {
    seedRun(store, { runId: 'old-run', created_ms: Date.UTC(2026, 10, 1) })
    ;({ runId } = seedRun(store, { merges: true }))
  })
}, 60_000)
afterAll(async () => web?.close())

describe('topic slider', () => {
  it('moved from the keyboard, re-cuts the run: chart, legend and scatter colours follow; a reload keeps it', async () => {
    const { page } = web
    const range = page.getByRole('slider', { name: 'Number of topics' })
    expect(await range.inputValue()).toBe('2')
    expect(await range.getAttribute('max')).toBe('6')
    expect(await page.getByTestId('topic-slider').getAttribute('title')).toMatch(/made with 2/)
    await waitFor('2 topics in the chart', async () => (await barTopics(page)) === 2)
    await waitFor('3 scatter colours', async () => (await scatterColours(page)) === 3)

    await range.focus()
    await page.keyboard.press('End')
    expect(await page.getByTestId('topics-value').innerText()).toBe('6')
    await waitFor('6 topics in the chart', async () => (await barTopics(page)) === 6)
    await waitFor('7 scatter colours', async () => (await scatterColours(page)) === 7)
    expect(web.core.store.clusters.info(runId)!.topics).toBe(6)
    expect(await page.getByTestId('cluster-legend').innerText()).toMatch(/Where is my parcel/)
    await page.screenshot({ path: path.join(SHOTS, 'clusters-topics.png') })

    // A filter on topic 5, then a cut to one topic: the filter goes (topic 5 is no more).
    await page.evaluate((id) => (location.hash = `#/clusters?run=${id}&topic=5`), runId)
    await page.getByTestId('filter-chip').waitFor()
    await range.focus()
    await page.keyboard.press('Home')
    await waitFor('1 topic in the chart', async () => (await barTopics(page)) === 1)
    await page.getByTestId('filter-chip').waitFor({ state: 'detached' })
    await waitFor('2 scatter colours', async () => (await scatterColours(page)) === 2)
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await waitFor('4 topics in the chart', async () => (await barTopics(page)) === 4)
    expect(web.core.store.clusters.info(runId)!.params.topics_cut).toBe(4)

    await page.reload()
    await page.waitForSelector('[data-testid="scatter"] canvas.scatter-canvas')
    await waitFor('the slider at 4 after a reload', async () => (await range.inputValue()) === '4')
    await waitFor('4 topics in the chart after a reload', async () => (await barTopics(page)) === 4)
  })

  it('a run stored without its merge order: the slider is disabled and says why', async () => {
    const { page } = web
    await page.getByTestId('run-switcher').selectOption('old-run')
    await page.getByTestId('topics-blocked').waitFor()
    expect(await page.getByRole('slider', { name: 'Number of topics' }).isDisabled()).toBe(true)
    expect(await page.getByTestId('topics-blocked').textContent()).toMatch(/^fixed for this run: This run was stored without its topic merge order/)
    expect(await page.getByTestId('topic-slider').getAttribute('title')).toMatch(/without its topic merge order/)
    await page.screenshot({ path: path.join(SHOTS, 'clusters-topics-disabled.png') })
  })
})
