// The explorer's selection beyond a page: a lasso of more than 1,000 points lists every one of them
// (rows rendered only in view, the count right, the last row reachable by scrolling), and a link
// carries the selection — a lasso or a few Shift-clicked points — so opening it selects the same points.
// Screenshot of the scrolled list: $TMPDIR/sightline-shots/clusters-selection-list.png, to be looked at.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { Store } from '../../electron/store'
import type { NewClusterRun } from '../../electron/store/clusters'
import { scatterDrawn, scatterEval, selectionCount as count } from './clusters-fixture'
import { startWeb, type Web } from './harness'

const N = 2400
let web: Web

/** A run of N points in a 20×20 square: cluster 0 on the left half, cluster 1 on the right. */
function seedBig(store: Store) {
  let seed = 3
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const insert = store.db.prepare('INSERT INTO traces (id, name, start_ms, end_ms, spans, input_tokens, output_tokens, cost_usd, error, models) VALUES (?, ?, ?, ?, 1, ?, ?, ?, 0, ?)')
  const points: NewClusterRun['points'] = []
  store.transaction(() => {
    for (let i = 0; i < N; i++) {
      const id = `big-${String(i).padStart(5, '0')}`
      insert.run(id, `chat ${i}`, Date.UTC(2026, 10, 1) + i * 60_000, Date.UTC(2026, 10, 1) + i * 60_000 + 1000, 100 + i, 10, 0.001, '["gpt-4.1-mini"]')
      const x = rnd() * 20 - 10, y = rnd() * 20 - 10
      points.push({ id, cluster: x < 0 ? 0 : 1, topic: 0, x, y, membership: 1, outlier: 0 })
    }
  })
  store.clusters.save({
    id: 'run-big',
    created_ms: Date.UTC(2026, 11, 1),
    source: 'embeddings:fixture',
    params: { min_cluster_size: 15 },
    input: { kind: 'embeddings', model: 'fixture' },
    timings: { total_ms: 1 },
    topics: [{ id: 0, label: 'Everything', size: N, keywords: [] }],
    clusters: [0, 1].map((id) => ({ id, label: id ? 'Right' : 'Left', size: N / 2, topic: 0, keywords: [], description: null })),
    points,
  })
}

/** The points the scatter draws as selected (state Marked), ascending. */
const marked = (page: Page) => scatterEval<number[]>(page, 'const out = []; s.style.state.forEach((v, i) => v === 3 && out.push(i)); return out')

async function openExplorer(page: Page, hash: string) {
  await page.goto(`${web.server.url.split('#')[0]}${hash}`)
  await scatterDrawn(page)
}

beforeAll(async () => {
  web = await startWeb({ viewport: { width: 1280, height: 800 } })
  web.page.setDefaultTimeout(10_000)
  seedBig(web.core.store)
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
  await web.page.evaluate(() => (location.hash = '#/clusters'))
  await scatterDrawn(web.page)
}, 60_000)
afterAll(async () => web?.close())

describe('selections beyond a page, and links that carry them', () => {
  let lassoed: number[] = []
  let link = ''

  it('a lasso of more than 1,000 points lists them all: count right, rows rendered in view only, the last one reachable', async () => {
    const { page } = web
    await page.getByRole('button', { name: 'Lasso' }).click()
    // A box over the left two thirds of the map, in screen px.
    const box = await scatterEval<{ x0: number; y0: number; x1: number; y1: number }>(
      page,
      `const a = s.clientPoint(0), v = s.getView(), r = s.canvas.getBoundingClientRect()
       const X = (x) => r.left + (x - v.cx) * v.scale + r.width / 2, Y = (y) => r.top + r.height / 2 - (y - v.cy) * v.scale
       return { x0: X(-10.5), y0: Y(10.5), x1: X(3), y1: Y(-10.5) }`,
    )
    lassoed = await scatterEval<number[]>(
      page,
      `const out = []; for (let i = 0; i < s.x.length; i++) { const p = s.clientPoint(i); if (p.x > arg.x0 && p.x < arg.x1 && p.y > arg.y0 && p.y < arg.y1) out.push(i) } return out`,
      box,
    )
    expect(lassoed.length).toBeGreaterThan(1000)
    await page.mouse.move(box.x0, box.y0)
    await page.mouse.down()
    for (const [x, y] of [[box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1], [box.x0, box.y0 + 1]]) await page.mouse.move(x!, y!, { steps: 8 })
    await page.mouse.up()
    await page.waitForFunction((n) => document.querySelector('[data-testid="list-count"]')?.getAttribute('data-total') === String(n), lassoed.length)
    expect(await count(page)).toBe(lassoed.length)
    expect(await marked(page)).toEqual(lassoed)
    expect(await page.locator('.side-note').innerText()).toBe('Selected points')
    const rows = page.locator('table[aria-label="Traces"] tbody tr[aria-rowindex]')
    await rows.first().waitFor()
    // Rendered: the rows in view, not the whole selection.
    expect(await rows.count()).toBeLessThan(100)
    expect(await rows.first().locator('.ellipsis').innerText()).toBe(`chat ${lassoed[0]}`)
    // Scrolled to the end: the last point of the selection (point order), at its place in the list.
    // (Rows measured on the way change the height: scroll to the end until it stays the end.)
    await page.waitForFunction(
      ([n, title]) => {
        const el = document.querySelector('.side-body')!
        el.scrollTop = el.scrollHeight
        return document.querySelector(`table[aria-label="Traces"] tbody tr[aria-rowindex="${n}"] .ellipsis`)?.textContent === title
      },
      [lassoed.length, `chat ${lassoed.at(-1)}`] as const,
      { polling: 200 },
    )
    fs.mkdirSync(path.join(os.tmpdir(), 'sightline-shots'), { recursive: true })
    await page.screenshot({ path: path.join(os.tmpdir(), 'sightline-shots', 'clusters-selection-list.png') })
    // Sorted by tokens (largest first; tokens grow with the index here): the last point first.
    await page.locator('.side-body').evaluate((el) => (el.scrollTop = 0))
    await page.getByRole('button', { name: 'Tokens' }).click()
    await page.getByRole('button', { name: 'Tokens' }).click()
    await page.locator(`table[aria-label="Traces"] tbody tr[aria-rowindex="1"] .ellipsis:text-is("chat ${lassoed.at(-1)}")`).waitFor()
    expect(await page.getByTestId('list-count').getAttribute('data-total')).toBe(String(lassoed.length))
    await page.getByRole('button', { name: 'Pan' }).click()
    link = page.url()
    expect(link).toMatch(/#\/clusters\?.*sel=/)
  })

  it('the link opens the same selection in another tab', async () => {
    const other = await web.page.context().newPage()
    try {
      await openExplorer(other, link.slice(link.indexOf('#')))
      await other.getByTestId('selection-count').waitFor()
      expect(await count(other)).toBe(lassoed.length)
      expect(await marked(other)).toEqual(lassoed)
      await other.waitForFunction((n) => document.querySelector('[data-testid="list-count"]')?.getAttribute('data-total') === String(n), lassoed.length)
    } finally {
      await other.close()
    }
  })

  it('a few Shift-clicked points travel in the link too, with the filter beside them', async () => {
    const { page } = web
    await page.getByRole('button', { name: 'Clear selection' }).click()
    expect(page.url()).not.toMatch(/sel=/)
    const picks = [17, 900, 2001]
    for (const [k, i] of picks.entries()) {
      const at = await scatterEval<{ x: number; y: number }>(page, 'return s.clientPoint(arg)', i)
      const hit = await scatterEval<number>(page, 'return s.pick(arg.x, arg.y)', at)
      expect(hit).toBeGreaterThanOrEqual(0)
      picks[k] = hit
      if (k) await page.keyboard.down('Shift')
      await page.mouse.click(at.x, at.y)
      if (k) await page.keyboard.up('Shift')
      await page.waitForFunction((n) => document.querySelector('[data-testid="selection-count"]')?.textContent?.startsWith(`${n} `), k + 1)
    }
    // A legend filter added after the selection keeps it in the address.
    await page.getByRole('tab', { name: 'Topics' }).click()
    await page.getByTestId('cluster-legend').getByRole('button', { name: 'Everything', exact: true }).click()
    await page.waitForURL(/topic=0/)
    const url = page.url()
    expect(url).toMatch(/sel=/)
    const other = await web.page.context().newPage()
    try {
      await openExplorer(other, url.slice(url.indexOf('#')))
      await other.getByTestId('selection-count').waitFor()
      expect(await marked(other)).toEqual([...picks].sort((a, b) => a - b))
      await other.getByTestId('filter-chip').locator('text=Everything').waitFor()
    } finally {
      await other.close()
    }
  })
})
