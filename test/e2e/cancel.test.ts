// Cancelling a long import from the status bar leaves nothing behind.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeRecording } from '../../bench/gen-recording'
import { startWeb, type Web } from './harness'

let web: Web
let file = ''

beforeAll(async () => {
  web = await startWeb()
  // About 70 MB: a few seconds of import on this machine, long enough to cancel in.
  file = path.join(web.dir, 'six-hours.rrweb.json')
  await writeRecording(file, { durationMs: 6 * 3_600_000 })
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 120_000)
afterAll(async () => web?.close())

describe('cancel', () => {
  it('the status bar cancels a running import and the database stays empty', async () => {
    expect(fs.statSync(file).size).toBeGreaterThan(50e6)
    await web.page.getByTestId('file-picker').setInputFiles(file)
    const running = web.page.getByTestId('job-running')
    await running.waitFor({ timeout: 60_000 })
    await running.getByRole('button', { name: /Cancel/ }).click()
    const last = web.page.getByTestId('job-last')
    await last.waitFor({ timeout: 60_000 })
    expect(await last.innerText()).toMatch(/Cancelled — nothing was kept/)
    const [job] = web.core.jobs.list()
    expect(job!.state).toBe('cancelled')
    const count = (table: string) => (web.core.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    for (const table of ['sources', 'sessions', 'events', 'snapshot_chunks', 'session_windows']) expect(count(table), table).toBe(0)
  }, 120_000)
})
