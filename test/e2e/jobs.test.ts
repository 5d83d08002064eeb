// A job whose process stopped while it ran shows in the status bar as interrupted, and "Run again"
// runs what it was asked (here: importing a bundled sample).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWeb, type Web } from './harness'

let web: Web

beforeAll(async () => {
  web = await startWeb()
  const job = { id: 'old-job', kind: 'import' as const, title: 'Import demo-shop.rrweb.json', state: 'running' as const, progress: 0.4, message: '', error: null, result: null, created_ms: Date.now() - 60_000, finished_ms: null }
  web.core.store.jobs.insert(job, { pid: 0x7ffffff0, capability: 'samples:import', input: { names: ['demo-shop.rrweb.json'] } })
  // What a new process does at start for a job whose process is gone.
  web.core.store.jobs.markInterrupted(Date.now(), () => true)
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 60_000)
afterAll(async () => web?.close())

describe('interrupted jobs', () => {
  it('are shown with Run again, which runs what they were asked and clears them', async () => {
    const row = web.page.getByTestId('job-interrupted')
    await row.waitFor()
    expect(await row.innerText()).toContain('Import demo-shop.rrweb.json: interrupted')
    await row.getByRole('button', { name: 'Run again' }).click()
    await row.waitFor({ state: 'detached' })
    await web.page.waitForSelector('[data-testid="job-last"]', { timeout: 60_000 })
    expect(web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).total).toBe(1)
    expect(web.core.store.jobs.get('old-job')).toBeUndefined()
  })
})
