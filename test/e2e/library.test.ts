// The real renderer in headless Chromium through web mode: import through the UI, see it listed.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listSamples } from '../../electron/samples'
import { remoteRefsRecording } from '../fixtures/remote-refs'
import { sharedSamples } from '../helpers'
import { startWeb, type Web } from './harness'

let web: Web
const pageErrors: string[] = []
const foreignRequests: string[] = []

beforeAll(async () => {
  web = await startWeb()
  web.page.on('pageerror', (e) => pageErrors.push(e.message))
  web.page.on('request', (r) => {
    if (!/^(http:\/\/127\.0\.0\.1:\d+|data:|blob:)/.test(r.url())) foreignRequests.push(r.url())
  })
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 60_000)
afterAll(async () => web?.close())

describe('Library in web mode', () => {
  it('hides the token from the address bar and offers the bundled samples on an empty database', async () => {
    expect(web.page.url()).not.toContain('token=')
    await web.page.waitForSelector('text=Bring a session or a trace set')
    await web.page.locator('.samples li').first().waitFor()
    const offered = await web.page.locator('.samples li strong').allInnerTexts()
    expect(offered.length).toBeGreaterThan(0)
    expect(offered).toEqual(listSamples().map((s) => s.title))
  })

  it('imports a recording picked in the file dialog and lists its session', async () => {
    const file = path.join(sharedSamples, 'sessions', 'S1-happy-browse-and-buy.rrweb.json')
    await web.page.getByTestId('file-picker').setInputFiles(file)
    await web.page.waitForSelector('[data-testid="job-last"]', { timeout: 60_000 })
    expect(await web.page.getByTestId('job-last').innerText()).toMatch(/1 session/)
    const rows = web.page.locator('table[aria-label="Sessions"] tbody tr')
    await rows.first().waitFor()
    expect(await rows.count()).toBe(1)
    const stored = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).rows
    expect(stored).toHaveLength(1)
    // A plain rrweb file has no product events: the Events cell says "rec." rather than 0.
    expect(stored[0]!.events).toBe(0)
    expect(await rows.first().locator('td').nth(5).innerText()).toBe('rec.')
    expect(await rows.first().locator('td').nth(0).innerText()).toContain(new Date(stored[0]!.start_ms).getFullYear().toString())
  })

  it('opens the session with the keyboard and shows its facts', async () => {
    await web.page.locator('table[aria-label="Sessions"] tbody tr').first().focus()
    await web.page.keyboard.press('Enter')
    await web.page.waitForSelector('.facts')
    const id = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).rows[0]!.id
    expect(decodeURIComponent(web.page.url())).toContain(`#/session/${id}`)
    expect(await web.page.locator('.page-head h1').innerText()).toBe(id)
  })

  it('reports a file it cannot read in the status bar, naming it, and stores nothing', async () => {
    await web.page.keyboard.press('Control+1')
    await web.page.waitForSelector('h1:text("Library")')
    const junk = path.join(web.dir, 'not-a-recording.json')
    fs.writeFileSync(junk, '{"hello": ')
    await web.page.getByTestId('file-picker').setInputFiles(junk)
    await web.page.waitForSelector('[data-testid="job-last"].bad', { timeout: 60_000 })
    expect(await web.page.getByTestId('job-last').innerText()).toContain('not-a-recording.json')
    expect(web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).total).toBe(1)
  })

  it('filters sessions with the filter language and explains a bad filter', async () => {
    const input = web.page.getByLabel('Session filter')
    await input.fill('duration > 10h')
    await input.press('Enter')
    await web.page.waitForSelector('text=No sessions match.')
    await input.fill('did navigation and duration > 1s')
    await input.press('Enter')
    await web.page.locator('table[aria-label="Sessions"] tbody tr').first().waitFor()
    await input.fill('duration >> 1s')
    await input.press('Enter')
    await web.page.waitForSelector('.filter-error')
    expect(await web.page.locator('.filter-error').innerText()).toMatch(/column 11/)
    await input.fill('')
    await input.press('Enter')
  })

  it('imports a file dropped onto the window', async () => {
    const text = JSON.stringify(remoteRefsRecording('http://127.0.0.1:9', Date.UTC(2026, 5, 1)))
    // Runs in the page; the test's own types know no DOM.
    const dataTransfer = await web.page.evaluateHandle((t) => {
      const page = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } }
        File: new (parts: string[], name: string, options: { type: string }) => unknown
      }
      const dt = new page.DataTransfer()
      dt.items.add(new page.File([t], 'dropped.rrweb.json', { type: 'application/json' }))
      return dt
    }, text)
    const before = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).total
    await web.page.dispatchEvent('body', 'dragenter', { dataTransfer })
    await web.page.waitForSelector('.drop-overlay')
    await web.page.dispatchEvent('body', 'dragover', { dataTransfer })
    await web.page.dispatchEvent('body', 'drop', { dataTransfer })
    await web.page.waitForSelector('[data-testid="job-last"]:has-text("Import dropped.rrweb.json")', { timeout: 60_000 })
    expect(await web.page.locator('.drop-overlay').count()).toBe(0)
    expect(web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).total).toBe(before + 1)
  })

  it('keyboard: Ctrl+4 opens Settings, where offline mode is on by default', async () => {
    await web.page.keyboard.press('Control+4')
    await web.page.waitForSelector('h1:text("Settings")')
    expect(await web.page.getByRole('switch', { name: /Offline mode/ }).isChecked()).toBe(true)
    // Masking text in clips sent to a model: off by default, saved when switched.
    const mask = web.page.getByRole('switch', { name: 'Mask all text in clips sent to a model' })
    expect(await mask.isChecked()).toBe(false)
    await mask.click()
    await expect.poll(() => web.core.store.settings.all().clip_mask_text).toBe(true)
    await mask.click()
    await expect.poll(() => web.core.store.settings.all().clip_mask_text).toBe(false)
  })

  it('made no request off this machine and threw no page errors', () => {
    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
