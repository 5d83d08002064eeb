// Screenshots of every page in web mode, light and dark, from the bundled samples, so a person can
// look at what the app shows:  npx tsx scripts/screenshots.ts [outdir] [extra-file-to-import...]
import path from 'node:path'
import type { Page } from 'playwright-core'
import { startWeb } from '../test/e2e/harness'

const out = path.resolve(process.argv[2] ?? 'screenshots')
const extra = process.argv.slice(3)

async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  await page.waitForTimeout(400)
  await page.screenshot({ path: path.join(out, `${scheme}-${name}.png`) })
}

for (const scheme of ['light', 'dark'] as const) {
  const web = await startWeb({ colorScheme: scheme, viewport: { width: 1400, height: 860 } })
  const { page, server } = web
  const go = (hash: string) => page.goto(server.url.replace(/#.*/, hash))
  await page.goto(server.url)
  await page.waitForSelector('.samples li')
  await shoot(page, 'welcome', scheme)

  await page.getByTestId('load-all-samples').click()
  await page.waitForSelector('[data-testid="job-last"]', { timeout: 60_000 })
  if (extra.length) {
    await page.getByTestId('file-picker').setInputFiles(extra)
    await page.waitForSelector(`[data-testid="job-last"]:has-text("Import ${extra.length} files")`, { timeout: 60_000 })
  }
  await shoot(page, 'library', scheme)

  const session = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).rows[0]!
  await go(`#/session/${encodeURIComponent(session.id)}?t=12000`)
  await page.waitForSelector('[data-testid="replay-mount"] iframe')
  await page.getByRole('button', { name: 'Summarize' }).click()
  await page.waitForSelector('.summary-goal', { timeout: 30_000 })
  await shoot(page, 'session', scheme)

  const trace = web.core.store.traces.list({ sort: 'spans', dir: 'desc', limit: 1, offset: 0 }).rows[0]!
  await go(`#/trace/${encodeURIComponent(trace.id)}`)
  await page.waitForSelector('[data-testid="span-tree"]')
  await shoot(page, 'trace', scheme)
  await page.getByRole('tab', { name: /Text/ }).click()
  await shoot(page, 'trace-text', scheme)

  for (const p of ['traces', 'clusters', 'settings']) {
    await go(`#/${p}`)
    await shoot(page, p, scheme)
  }
  await web.close()
}
console.log(`Screenshots in ${out}`)
