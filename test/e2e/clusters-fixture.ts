// The cluster explorer's e2e start: web mode on a seeded store, the Clusters page opened once its
// scatter is there, and the ways the tests read the scatter.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import type { Store } from '../../electron/store'
import { startWeb, type Web } from './harness'

/** Where the screenshots go, to be looked at. */
export const SHOTS = path.join(os.tmpdir(), 'sightline-shots')

/**
 * Starts web mode at 1280×800, lets `seed` store what the page is to show, opens the Library and
 * then the Clusters page, and waits for the scatter's canvas. A step that fails closes it all.
 */
export async function openClusters(seed: (store: Store) => void): Promise<Web> {
  const web = await startWeb({ viewport: { width: 1280, height: 800 } })
  try {
    seed(web.core.store)
    fs.mkdirSync(SHOTS, { recursive: true })
    await web.page.goto(web.server.url)
    await web.page.waitForSelector('h1:text("Library")')
    await web.page.evaluate(() => (location.hash = '#/clusters'))
    await web.page.waitForSelector('[data-testid="scatter"] canvas.scatter-canvas')
    return web
  } catch (e) {
    await web.close()
    throw e
  }
}

/** Runs `fn` (a function body over `s`, the scatter, and `arg`) in the page. */
export const scatterEval = <T,>(page: Page, fn: string, arg?: unknown) =>
  page.evaluate(([fn, arg]) => {
    const s = (document.querySelector('[data-testid="scatter"]') as unknown as { scatter: Record<string, unknown> }).scatter
    return new Function('s', 'arg', fn)(s, arg)
  }, [fn, arg] as const) as Promise<T>

/** Waits until the scatter has drawn at least once (whichever renderer). */
export const scatterDrawn = (page: Page) =>
  page.waitForFunction(() => {
    const s = (document.querySelector('[data-testid="scatter"]') as unknown as { scatter?: { lastDrawMs: number } } | null)?.scatter
    return !!s && s.lastDrawMs > 0
  })

/** The number of selected points the page shows. */
export const selectionCount = async (page: Page) => Number((await page.getByTestId('selection-count').innerText()).replace(/\D/g, ''))
