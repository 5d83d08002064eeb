// A new user gets from traces to clusters: the Clusters page offers "Run clustering" (offline by
// default), shows the job's stages, and opens the new run in the explorer.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { App } from '../../electron/app'
import { startWeb, type Web } from './harness'

let web: Web
const shot = (name: string) => (fs.mkdirSync(path.join(os.tmpdir(), 'sightline-shots'), { recursive: true }), path.join(os.tmpdir(), 'sightline-shots', name))
beforeAll(async () => {
  web = await startWeb({ viewport: { width: 1280, height: 800 } })
  await new App(web.core).complete('import:files', { files: ['demo-traces.posthog.jsonl', 'demo-traces.otlp.jsonl'].map((f) => path.resolve('resources/samples', f)) })
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
  await web.page.evaluate(() => (location.hash = '#/clusters'))
}, 120_000)
afterAll(async () => web?.close())

describe('first cluster run from the UI', () => {
  it('Run clustering → per-stage progress → the run in the explorer', async () => {
    const { page } = web
    await page.getByTestId('run-form').waitFor()
    expect(await page.locator('.first-run').innerText()).toMatch(/traces are ready/)
    await page.screenshot({ path: shot('clusters-first-run.png') })
    await page.getByLabel('Min cluster size').fill('3')
    await page.getByTestId('run-clustering').click()
    await page.getByTestId('pipeline-progress').waitFor()
    await page.waitForSelector('[data-testid="scatter"] canvas.scatter-canvas', { timeout: 180_000 })
    const runs = web.core.store.clusters.list()
    expect(runs).toHaveLength(1)
    expect(await page.getByTestId('run-switcher').inputValue()).toBe(runs[0]!.run_id)
    await page.getByTestId('cluster-bars').waitFor()
    await page.screenshot({ path: shot('clusters-samples.png') })
  }, 240_000)
})
