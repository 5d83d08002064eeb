// Takes screenshots of each page in web mode (light and dark) so a person can look at them:
//   npx tsx scripts/screenshots.ts [outdir] [file-to-import...]
import path from 'node:path'
import { startWeb } from '../test/e2e/harness'

const out = path.resolve(process.argv[2] ?? 'screenshots')
const files = process.argv.slice(3)

for (const scheme of ['light', 'dark'] as const) {
  const web = await startWeb({ colorScheme: scheme, viewport: { width: 1280, height: 760 } })
  const { page, server } = web
  await page.goto(server.url)
  await page.waitForSelector('.page-head h1')
  await page.waitForTimeout(300)
  await page.screenshot({ path: path.join(out, `${scheme}-library-empty.png`) })
  if (files.length) {
    await page.getByTestId('file-picker').setInputFiles(files)
    await page.waitForSelector('[data-testid="job-last"]', { timeout: 60_000 })
    await page.waitForTimeout(500)
    await page.screenshot({ path: path.join(out, `${scheme}-library.png`) })
    const row = page.locator('table tbody tr').first()
    if (await row.count()) {
      await row.click()
      await page.waitForSelector('.facts')
      await page.waitForTimeout(1500)
      await page.screenshot({ path: path.join(out, `${scheme}-session.png`) })
      await page.keyboard.press('Space')
      await page.waitForTimeout(3000)
      await page.screenshot({ path: path.join(out, `${scheme}-session-playing.png`) })
    }
  }
  for (const p of ['clusters', 'settings']) {
    await page.goto(server.url.replace(/#.*/, `#/${p}`))
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(out, `${scheme}-${p}.png`) })
  }
  await web.close()
}
console.log(`Screenshots in ${out}`)
