// First run with the bundled samples, then the trace viewer: tree, chat, L001 text, and the jump
// from an LLM call to the replay at that moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWeb, type Web } from './harness'

let web: Web
beforeAll(async () => {
  web = await startWeb({ viewport: { width: 1400, height: 860 } })
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 60_000)
afterAll(async () => web?.close())

describe('bundled samples and the trace viewer', () => {
  it('"Load all samples" imports the demo recording and the demo traces', async () => {
    await web.page.getByTestId('load-all-samples').click()
    await web.page.waitForSelector('[data-testid="job-last"]', { timeout: 60_000 })
    expect(await web.page.getByTestId('job-last').innerText()).not.toMatch(/failed/)
    expect(web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).total).toBe(1)
    expect(web.core.store.traces.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).total).toBeGreaterThan(20)
    // The import job ran the offline detectors: the demo's failed checkout shows in the list.
    const [session] = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).rows
    expect(session!.flags).toBeGreaterThan(0)
    const row = web.page.locator('table[aria-label="Sessions"] tbody tr').first()
    expect(await row.locator('td').nth(7).innerText()).toBe(String(session!.flags))
  })

  it('opens a trace from the list: its tree, a model call as a chat, and the L001 text', async () => {
    await web.page.getByRole("tab", { name: /Traces/ }).click()
    await web.page.locator('table[aria-label="Traces"] tbody tr').first().click()
    await web.page.getByTestId('span-tree').waitFor()
    const id = decodeURIComponent(web.page.url().split('#/trace/')[1]!)
    const detail = web.core.store.spans.detail(id)!
    expect(await web.page.getByTestId('span-tree').locator('li').count()).toBe(detail.spans.length)
    await web.page.getByTestId('chat').locator('.bubble').first().waitFor()
    await web.page.getByRole('tab', { name: /Text/ }).click()
    await web.page.getByTestId('trace-text').locator('.tl').first().waitFor()
    const lines = await web.page.getByTestId('trace-text').locator('.tl .ln').allInnerTexts()
    expect(lines[0]).toBe('L001')
    expect(lines.filter(Boolean).every((l, i) => l === `L${String(i + 1).padStart(3, '0')}`)).toBe(true)
  })

  it('a trace of the demo session opens the replay at the moment of its LLM call', async () => {
    const linked = web.core.store.traces.list({ sort: 'start_ms', dir: 'asc', limit: 100, offset: 0 }).rows.find((r) => r.session_id)!
    expect(linked).toBeDefined()
    await web.page.goto(web.server.url.replace(/#.*/, `#/trace/${encodeURIComponent(linked.id)}`))
    await web.page.getByTestId('open-replay').click()
    await web.page.waitForSelector('[data-testid="replay-mount"] iframe')
    const url = new URL(web.page.url())
    const [, sid, t] = /#\/session\/([^?]+)\?t=(\d+)/.exec(url.hash)!
    expect(decodeURIComponent(sid!)).toBe(linked.session_id)
    const session = web.core.store.sessions.get(linked.session_id!)!
    expect(Number(t)).toBeGreaterThanOrEqual(session.start_ms)
    expect(Number(t)).toBeLessThanOrEqual(session.end_ms)
    // The player opened at that moment, and the session's AI calls are on its timeline.
    const playhead = Number(await web.page.getByTestId('clock').getAttribute('data-ms'))
    expect(Math.abs(playhead - (Number(t) - session.start_ms))).toBeLessThan(1500)
    expect(await web.page.locator('.marker-ai').count()).toBeGreaterThan(0)
  })
  it('a trace whose session is not in the database says so, with the replay action disabled', async () => {
    const linked = web.core.store.traces.list({ sort: 'start_ms', dir: 'asc', limit: 100, offset: 0 }).rows.find((r) => r.session_id)!
    // The recording goes; its traces stay.
    web.core.store.db.prepare('DELETE FROM sessions WHERE id = ?').run(linked.session_id)
    await web.page.goto(web.server.url.replace(/#.*/, `#/trace/${encodeURIComponent(linked.id)}`))
    const missing = web.page.getByTestId('open-replay-missing')
    await missing.waitFor()
    expect(await missing.isDisabled()).toBe(true)
    expect(await missing.getAttribute('title')).toContain(`Session ${linked.session_id} is not imported`)
    expect(await web.page.getByTestId('open-replay').count()).toBe(0)
  })
})
