// The cluster explorer through web mode in headless Chromium, on a stored run with known structure:
// the scatter draws (not blank), hover and click a point, lasso a region, click a bar to filter the
// scatter and the list, open a trace and come back through its cluster link. Screenshots light
// and dark at 1280×800 go to $TMPDIR/sightline-shots/clusters-*.png, to be looked at.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { CLUSTERS, NOISE, PER_CLUSTER, seedRun } from '../clusters/fixture'
import { openClusters, scatterDrawn, scatterEval, selectionCount as count, SHOTS } from './clusters-fixture'
import type { Web } from './harness'

let web: Web
let ids: string[]
let runId: string

/** Pixel variance of the scatter canvas (0 for a blank canvas), read back whichever renderer drew it. */
const variance = (page: Page) =>
  page.evaluate(() => {
    const src = document.querySelector('[data-testid="scatter"] canvas.scatter-canvas') as HTMLCanvasElement
    const c = document.createElement('canvas')
    c.width = src.width
    c.height = src.height
    const ctx = c.getContext('2d')!
    ctx.drawImage(src, 0, 0)
    const d = ctx.getImageData(0, 0, c.width, c.height).data
    let sum = 0, sq = 0, n = 0
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i]! + d[i + 1]! + d[i + 2]!) / 3
      sum += v
      sq += v * v
      n++
    }
    return sq / n - (sum / n) ** 2
  })

beforeAll(async () => {
  web = await openClusters((store) => {
    ;({ runId, ids } = seedRun(store))
  })
}, 60_000)
afterAll(async () => web?.close())

describe('cluster explorer', () => {
  it('loads the stored run: the scatter is drawn (not blank), the chart and legend name the topics', async () => {
    const { page } = web
    await scatterDrawn(page)
    expect(await variance(page)).toBeGreaterThan(20)
    expect(await page.getByTestId('run-switcher').inputValue()).toBe(runId)
    await page.waitForFunction(() => /Orders and money[\s\S]*Account access/.test(document.querySelector('[data-testid="cluster-bars"]')?.textContent ?? ''))
    expect(await page.getByTestId('cluster-legend').innerText()).toMatch(/Orders and money[\s\S]*Outliers/)
    await page.screenshot({ path: path.join(SHOTS, 'clusters-light.png') })
  })

  it('hover shows the tooltip (title from the summary, topic, cluster, model, tokens); a click selects the point', async () => {
    const { page } = web
    const at = await scatterEval<{ x: number; y: number }>(page, 'return s.clientPoint(arg)', 5)
    // In a dense blob the nearest point to the cursor may be a neighbour of point 5: ask which.
    const hit = await scatterEval<number>(page, 'return s.pick(arg.x, arg.y)', at)
    expect(Math.floor(hit / PER_CLUSTER)).toBe(0)
    await page.mouse.move(at.x, at.y)
    const tip = page.getByTestId('scatter-tip')
    await tip.locator(`.tip-title:text("Refund for order #${hit % PER_CLUSTER}")`).waitFor()
    const text = await tip.innerText()
    expect(text).toMatch(/Orders and money/)
    expect(text).toMatch(/Refund requests/)
    expect(text).toMatch(/gpt-4\.1-mini|gemini-2\.5-flash/)
    await page.mouse.click(at.x, at.y)
    await page.getByTestId('selection-count').waitFor()
    expect(await count(page)).toBe(1)
    await page.locator(`table[aria-label="Traces"] td .ellipsis:text-is("Refund for order #${hit % PER_CLUSTER}")`).waitFor()
  })

  it('a lasso selects exactly the points inside it', async () => {
    const { page } = web
    await page.getByRole('button', { name: 'Lasso' }).click()
    // A box around the "Password resets" blob (data (5, -4), radius 1.2), in screen px.
    const box = await scatterEval<{ x0: number; y0: number; x1: number; y1: number }>(
      page,
      `const v = s.getView(), r = s.canvas.getBoundingClientRect(), w = r.width, h = r.height
       const X = (x) => r.left + (x - v.cx) * v.scale + w / 2, Y = (y) => r.top + h / 2 - (y - v.cy) * v.scale
       return { x0: X(3.6), y0: Y(-2.6), x1: X(6.4), y1: Y(-5.4) }`,
    )
    const expected = await scatterEval<number>(
      page,
      `let n = 0; for (let i = 0; i < s.x.length; i++) { const p = s.clientPoint(i); if (p.x > arg.x0 && p.x < arg.x1 && p.y > arg.y0 && p.y < arg.y1) n++ } return n`,
      box,
    )
    expect(expected).toBeGreaterThanOrEqual(PER_CLUSTER)
    await page.mouse.move(box.x0, box.y0)
    await page.mouse.down()
    for (const [x, y] of [[box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1], [box.x0, box.y0 + 1]]) await page.mouse.move(x!, y!, { steps: 8 })
    await page.mouse.up()
    await page.waitForFunction((n) => document.querySelector('[data-testid="selection-count"]')?.textContent?.startsWith(`${n} `), expected)
    expect(await count(page)).toBe(expected)
    await page.waitForFunction((n) => document.querySelector('[data-testid="list-count"]')?.getAttribute('data-total') === String(n), expected)
    await page.getByRole('button', { name: 'Pan' }).click()
  })

  it('clicking a bar filters the scatter and the list to that cluster, with its drill-down', async () => {
    const { page } = web
    await page.getByRole('button', { name: 'Clear selection' }).click()
    // Bars are drawn in cluster order; "Password resets" is cluster 3.
    await page.locator('.cluster-bars .recharts-bar').nth(3).locator('.recharts-bar-rectangle path').first().click()
    await page.getByTestId('filter-chip').locator('text=Password resets').waitFor()
    expect(page.url()).toMatch(/cluster=3/)
    await page.getByTestId('drill-down').locator('text=Conversations about password resets.').waitFor()
    await page.waitForFunction((n) => document.querySelector('[data-testid="list-count"]')?.getAttribute('data-total') === String(n), PER_CLUSTER)
    const shown = await scatterEval<number>(page, 'let n = 0; for (const v of s.style.state) if (v >= 2) n++; return n')
    expect(shown).toBe(PER_CLUSTER)
    const rows = await page.locator('table[aria-label="Traces"] tbody tr .title-cell .ellipsis').allInnerTexts()
    expect(rows.every((t) => t.startsWith('Reset my password'))).toBe(true)
    expect(await page.locator('table[aria-label="Traces"] .bullets').count()).toBeGreaterThan(0)
  })

  it('the outliers view lists the noise points by outlier score', async () => {
    const { page } = web
    await page.getByRole('tab', { name: 'Outliers' }).click()
    const table = page.locator('table[aria-label="Outliers"]')
    await table.locator('tbody tr').first().waitFor()
    const scores = (await table.locator('tbody tr td:last-child').allInnerTexts()).map(Number)
    expect(scores).toHaveLength(NOISE)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  it('opens a trace, whose page links back to its cluster with the point selected', async () => {
    const { page } = web
    await page.getByRole('tab', { name: 'Traces' }).click()
    await page.locator('table[aria-label="Traces"] tbody tr').first().click()
    await page.waitForURL(/#\/trace\//)
    const id = decodeURIComponent(page.url().split('#/trace/')[1]!)
    expect(ids.slice(PER_CLUSTER * 3, PER_CLUSTER * 4)).toContain(id)
    const link = page.getByTestId('trace-cluster')
    await link.locator('text=Password resets').waitFor()
    await page.screenshot({ path: path.join(SHOTS, 'clusters-trace-link.png') })
    await link.click()
    await page.waitForURL(/#\/clusters\?/)
    expect(page.url()).toContain(`point=${encodeURIComponent(id)}`)
    await page.getByTestId('selection-count').waitFor()
    expect(await count(page)).toBe(1)
    await page.locator(`table[aria-label="Traces"] tbody tr`).first().waitFor()
  })

  it('dark theme: the scatter is drawn on the dark panel (screenshot)', async () => {
    const { page } = web
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.getByRole('button', { name: 'Clear selection' }).click()
    await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid="scatter"] canvas.scatter-canvas') as HTMLCanvasElement
      const t = document.createElement('canvas')
      t.width = 1
      t.height = 1
      t.getContext('2d')!.drawImage(c, 2, 2, 1, 1, 0, 0, 1, 1)
      return t.getContext('2d')!.getImageData(0, 0, 1, 1).data[0]! < 80
    })
    expect(await variance(page)).toBeGreaterThan(20)
    await page.screenshot({ path: path.join(SHOTS, 'clusters-dark.png') })
    expect(CLUSTERS.length).toBe(6)
  })

  it('the WebGL renderer (pinned, software here) draws the same map with the same interactions', async () => {
    const { page } = web
    await page.emulateMedia({ colorScheme: 'light' })
    await page.evaluate(() => localStorage.setItem('sightline.scatter', 'webgl'))
    await page.reload()
    await page.waitForSelector('[data-testid="scatter"] canvas.scatter-canvas[data-renderer="webgl"]')
    await scatterDrawn(page)
    expect(await variance(page)).toBeGreaterThan(20)
    const at = await scatterEval<{ x: number; y: number }>(page, 'return s.clientPoint(arg)', PER_CLUSTER * 6 + 3)
    const hit = await scatterEval<number>(page, 'return s.pick(arg.x, arg.y)', at)
    await page.mouse.click(at.x, at.y)
    await page.waitForFunction(() => document.querySelector('[data-testid="selection-count"]')?.textContent?.startsWith('1 '))
    await page.locator(`table[aria-label="Traces"] td .ellipsis:text-is("${hit >= PER_CLUSTER * 6 ? `Odd one out #${hit - PER_CLUSTER * 6}` : `${CLUSTERS[Math.floor(hit / PER_CLUSTER)]!.title} #${hit % PER_CLUSTER}`}")`).waitFor()
    await page.screenshot({ path: path.join(SHOTS, 'clusters-webgl.png') })
    await page.evaluate(() => localStorage.removeItem('sightline.scatter'))
  })
})
